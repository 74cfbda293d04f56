import { parseImageReference, repositoryOf } from '../image/image-reference';
import { containersOf, podSpecOf } from '../policy/pod-spec';
import { KubeObject } from '../manifest/kube-object';

/** The fields of an ArgoCD Application that a rollout check reads. */
export interface ArgoCdApplication {
  readonly status?: {
    readonly sync?: { readonly status?: string; readonly revision?: string };
    readonly health?: { readonly status?: string; readonly message?: string };
    readonly operationState?: { readonly phase?: string; readonly message?: string };
  };
}

export interface ArgoCdResourceRef {
  readonly kind?: string;
  readonly namespace?: string;
  readonly name?: string;
  readonly uid?: string;
}

/** A node of ArgoCD's resource tree: live objects, including the Pods the workloads created. */
export interface ArgoCdResourceNode extends ArgoCdResourceRef {
  readonly parentRefs?: readonly ArgoCdResourceRef[];
  /** Images of a Pod's containers and init containers. */
  readonly images?: readonly string[];
}

/** `GET /api/v1/applications/{name}/resource-tree`. */
export interface ArgoCdResourceTree {
  readonly nodes?: readonly ArgoCdResourceNode[];
}

/** One item of `GET /api/v1/applications/{name}/managed-resources`: `liveState` is the live object as JSON. */
export interface ArgoCdManagedResource extends ArgoCdResourceRef {
  readonly liveState?: string;
}

export interface ArgoCdManagedResources {
  readonly items?: readonly ArgoCdManagedResource[];
}

/** What ArgoCD reports about an application at one moment. */
export interface RolloutSnapshot {
  readonly application: ArgoCdApplication;
  readonly tree: ArgoCdResourceTree;
  readonly managed: ArgoCdManagedResources;
}

/** The image every workload and running pod must use. */
export interface ExpectedImage {
  /** Repository without tag, e.g. `ghcr.io/acme/backend`. */
  readonly repository: string;
  readonly tag: string;
}

export interface RolloutAssessment {
  /** True when the application is Synced and Healthy and everything runs the expected image. */
  readonly done: boolean;
  /** Why it is not done yet, one line each; empty when done. */
  readonly problems: readonly string[];
  /** The Git revision ArgoCD last synced. */
  readonly revision?: string;
}

/** Kinds whose pods should run all the time; pods of Jobs (and so CronJobs) come and go. */
const LONG_RUNNING_OWNERS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet']);

const describe = (ref: ArgoCdResourceRef): string =>
  `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;

const sameRepository = (image: string, repository: string): boolean =>
  repositoryOf(parseImageReference(image)) === repositoryOf(parseImageReference(repository));

/** Problems of one image that should be `expected`: another tag, or a digest instead of the tag. */
function imageProblem(image: string, expected: ExpectedImage): string | undefined {
  const { tag, digest } = parseImageReference(image);
  return tag === expected.tag && digest === undefined ? undefined : `runs ${image}, want tag ${expected.tag}`;
}

/** Live workloads (Deployments, CronJobs, Jobs…) whose containers use the repository with another tag. */
function liveWorkloadProblems(managed: ArgoCdManagedResources, expected: ExpectedImage): string[] {
  let users = 0;
  const problems = (managed.items ?? []).flatMap((item) => {
    const live = item.liveState ? (JSON.parse(item.liveState) as KubeObject | null) : null;
    const pod = live && podSpecOf(live);
    if (!pod) return [];
    return containersOf(pod)
      .filter(({ container }) => container.image && sameRepository(container.image, expected.repository))
      .flatMap(({ label, container }) => {
        users++;
        const problem = imageProblem(container.image as string, expected);
        return problem ? [`${describe(item)}: ${label} ${problem}`] : [];
      });
  });
  return users === 0 ? [`no live workload uses ${expected.repository}`, ...problems] : problems;
}

/** A workload's live rollout counters, as the API server reports them. */
interface WorkloadRolloutStatus {
  readonly metadata?: { readonly generation?: number };
  readonly spec?: { readonly replicas?: number };
  readonly status?: {
    readonly observedGeneration?: number;
    readonly replicas?: number;
    readonly updatedReplicas?: number;
    readonly availableReplicas?: number;
  };
}

/** Kinds whose rollout is complete when every replica is updated and available (`kubectl rollout status`). */
const REPLICATED_KINDS = new Set(['Deployment', 'StatefulSet']);

/**
 * Live Deployments and StatefulSets using the repository whose rollout is not complete: the controller has
 * not seen the latest spec, or some replicas still run the previous template or are not available. This is
 * what says the old pods are gone when ArgoCD does not show the pods: its resource tree leaves out every
 * kind the Application's project does not permit (ours permits no Pod or ReplicaSet).
 */
function rolloutStatusProblems(managed: ArgoCdManagedResources, expected: ExpectedImage): string[] {
  return (managed.items ?? []).flatMap((item) => {
    if (!REPLICATED_KINDS.has(item.kind ?? '') || !item.liveState) return [];
    const live = JSON.parse(item.liveState) as (KubeObject & WorkloadRolloutStatus) | null;
    const pod = live && podSpecOf(live);
    if (!live || !pod) return [];
    const uses = containersOf(pod).some(
      ({ container }) => container.image && sameRepository(container.image, expected.repository),
    );
    if (!uses) return [];
    const wanted = live.spec?.replicas ?? 1;
    const status = live.status ?? {};
    const seen = (status.observedGeneration ?? 0) >= (live.metadata?.generation ?? 0);
    const complete =
      seen &&
      (status.updatedReplicas ?? 0) === wanted &&
      (status.replicas ?? 0) === wanted &&
      (status.availableReplicas ?? 0) === wanted;
    return complete
      ? []
      : [
          `${describe(item)}: rollout not complete (${status.updatedReplicas ?? 0} of ${wanted} replicas updated, ` +
            `${status.replicas ?? 0} in total, ${status.availableReplicas ?? 0} available` +
            `${seen ? '' : ', latest spec not yet observed'})`,
        ];
  });
}

/**
 * Pods owned (through any chain) by a long-running workload, using the repository with another tag. ArgoCD
 * shows pods only when the project permits the Pod kind; with none shown, `rolloutStatusProblems` decides.
 */
function runningPodProblems(tree: ArgoCdResourceTree, expected: ExpectedImage): string[] {
  const nodes = tree.nodes ?? [];
  const byUid = new Map(nodes.filter((node) => node.uid).map((node) => [node.uid, node]));
  const ownedByLongRunning = (node: ArgoCdResourceNode, seen = new Set<string>()): boolean =>
    (node.parentRefs ?? []).some((parent) => {
      if (LONG_RUNNING_OWNERS.has(parent.kind ?? '')) return true;
      const next = parent.uid ? byUid.get(parent.uid) : undefined;
      if (!next || !parent.uid || seen.has(parent.uid)) return false;
      return ownedByLongRunning(next, new Set([...seen, parent.uid]));
    });
  const pods = nodes.filter(
    (node) =>
      node.kind === 'Pod' &&
      ownedByLongRunning(node) &&
      (node.images ?? []).some((image) => sameRepository(image, expected.repository)),
  );
  return pods.flatMap((pod) =>
    (pod.images ?? [])
      .filter((image) => sameRepository(image, expected.repository))
      .flatMap((image) => {
        const problem = imageProblem(image, expected);
        return problem ? [`${describe(pod)} ${problem}`] : [];
      }),
  );
}

/**
 * Whether a rollout is complete: the application Synced and Healthy, every live workload that uses the
 * expected repository pinned to the expected tag, the rollout of the replicated ones complete (every
 * replica updated and available, none left on the previous template), and every running pod ArgoCD shows
 * running it. Healthy alone is not enough: an application can be Healthy on the previous version.
 */
export function assessRollout(snapshot: RolloutSnapshot, expected: ExpectedImage): RolloutAssessment {
  const status = snapshot.application.status ?? {};
  const problems = [
    ...(status.sync?.status === 'Synced'
      ? []
      : [`sync status is ${status.sync?.status ?? 'unknown'}, want Synced`]),
    ...(status.health?.status === 'Healthy'
      ? []
      : [
          `health is ${status.health?.status ?? 'unknown'}, want Healthy` +
            (status.health?.message ? ` (${status.health.message})` : ''),
        ]),
    ...(status.operationState?.phase === 'Failed' || status.operationState?.phase === 'Error'
      ? [
          `last sync operation ${status.operationState.phase}: ${status.operationState.message ?? 'no message'}`,
        ]
      : []),
    ...liveWorkloadProblems(snapshot.managed, expected),
    ...rolloutStatusProblems(snapshot.managed, expected),
    ...runningPodProblems(snapshot.tree, expected),
  ];
  return { done: problems.length === 0, problems, revision: status.sync?.revision };
}
