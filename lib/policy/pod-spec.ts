import { memoized } from './judging-scope';
import { KubeObject } from '../manifest/kube-object';

/** The container fields the rules read. */
export interface ContainerSpec {
  readonly name?: string;
  readonly image?: string;
  readonly resources?: {
    readonly requests?: Record<string, unknown>;
    readonly limits?: Record<string, unknown>;
  };
  readonly readinessProbe?: unknown;
  readonly livenessProbe?: unknown;
  readonly securityContext?: SecurityContext;
  readonly ports?: readonly { readonly containerPort?: number; readonly hostPort?: number }[];
  readonly env?: readonly {
    readonly name?: string;
    readonly value?: unknown;
    readonly valueFrom?: unknown;
  }[];
}

/** A seccomp or AppArmor profile. */
export interface SecurityProfile {
  readonly type?: string;
  readonly localhostProfile?: string;
}

export interface SecurityContext {
  readonly runAsNonRoot?: boolean;
  readonly runAsUser?: number;
  readonly privileged?: boolean;
  readonly allowPrivilegeEscalation?: boolean;
  readonly readOnlyRootFilesystem?: boolean;
  readonly capabilities?: { readonly drop?: readonly string[]; readonly add?: readonly string[] };
  readonly seccompProfile?: SecurityProfile;
  readonly appArmorProfile?: SecurityProfile;
  readonly seLinuxOptions?: {
    readonly type?: string;
    readonly user?: string;
    readonly role?: string;
    readonly level?: string;
  };
  readonly windowsOptions?: { readonly hostProcess?: boolean };
  readonly procMount?: string;
  /** Pod level only. */
  readonly sysctls?: readonly { readonly name?: string; readonly value?: string }[];
}

export interface PodSpec {
  readonly containers?: readonly ContainerSpec[];
  readonly initContainers?: readonly ContainerSpec[];
  readonly ephemeralContainers?: readonly ContainerSpec[];
  readonly securityContext?: SecurityContext;
  readonly automountServiceAccountToken?: boolean;
  readonly hostNetwork?: boolean;
  readonly hostPID?: boolean;
  readonly hostIPC?: boolean;
  /** The OS the pod declares it runs: `linux` or `windows`. */
  readonly os?: { readonly name?: string };
  readonly volumes?: readonly ({ readonly name?: string } & Readonly<Record<string, unknown>>)[];
}

/** Kinds whose pods run for as long as the workload exists, and so need probes. */
export const LONG_RUNNING_KINDS: ReadonlySet<string> = new Set([
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'ReplicationController',
]);

/** Where each workload kind keeps its pod spec; any other kind is looked at `spec.template.spec`. */
const CRONJOB_PATH = ['spec', 'jobTemplate', 'spec', 'template', 'spec'];
// A Map, not an object: a kind named `constructor` or `toString` must not find Object's own.
const POD_SPEC_PATHS: ReadonlyMap<string, readonly string[]> = new Map([
  ['Pod', ['spec']],
  ['PodTemplate', ['template', 'spec']],
  ['CronJob', CRONJOB_PATH],
]);
const TEMPLATE_PATH = ['spec', 'template', 'spec'];

/** A pod spec and where it sits in its object, e.g. `['spec', 'jobTemplate', 'spec', 'template', 'spec']`. */
export interface PodSpecAt {
  readonly path: readonly string[];
  readonly spec: PodSpec;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function at(object: KubeObject, path: readonly string[]): unknown {
  let value: unknown = object;
  for (const key of path) value = isRecord(value) ? value[key] : undefined;
  return value;
}

/**
 * Every pod spec of an object: Pods, PodTemplates, CronJobs, the workload kinds (Deployment,
 * ReplicaSet, StatefulSet, DaemonSet, Job, ReplicationController) and any other kind with a pod
 * template (`spec.template.spec` or a CronJob-like `spec.jobTemplate.spec.template.spec` holding
 * containers of any type, e.g. an Argo Rollout). The one place pod specs are found: every pod rule goes
 * through it, so no kind can carry a pod past them. Found once per object while the rules judge it
 * (lib/policy/judging-scope.ts): read the list, never change it.
 */
export const podSpecsOf: (object: KubeObject) => readonly PodSpecAt[] = memoized(findPodSpecs);

function findPodSpecs(object: KubeObject): PodSpecAt[] {
  const known =
    POD_SPEC_PATHS.get(object.kind) ?? (TEMPLATE_KINDS.has(object.kind) ? TEMPLATE_PATH : undefined);
  if (known) {
    const spec = at(object, known);
    return isRecord(spec) ? [{ path: known, spec: spec as PodSpec }] : [];
  }
  // Most objects (Services, ConfigMaps, RBAC…) have no template at all: nothing to walk.
  const spec = object.spec;
  if (!isRecord(spec) || (spec.template === undefined && spec.jobTemplate === undefined)) return [];
  // Another kind's template is taken for a pod template when it holds containers.
  return [TEMPLATE_PATH, CRONJOB_PATH].flatMap((path) => {
    const template = at(object, path);
    return isRecord(template) && CONTAINER_KEYS.some((key) => Array.isArray(template[key]))
      ? [{ path, spec: template as PodSpec }]
      : [];
  });
}

const CONTAINER_KEYS = ['containers', 'initContainers', 'ephemeralContainers'] as const;

/** Kinds whose `spec.template.spec` is a pod spec even when it lists no container. */
const TEMPLATE_KINDS: ReadonlySet<string> = new Set([
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'ReplicationController',
  'Job',
]);

/** The first pod spec of an object (see `podSpecsOf`), or `undefined` when it runs no pods. */
export function podSpecOf(object: KubeObject): PodSpec | undefined {
  return podSpecsOf(object)[0]?.spec;
}

/** Which list of the pod spec a container is in. */
export type ContainerType = 'container' | 'init' | 'ephemeral';

export interface LabelledContainer {
  /** `container "app"`, `init container "migrate"` or `ephemeral container "debugger"`. */
  readonly label: string;
  readonly container: ContainerSpec;
  readonly init: boolean;
  readonly type: ContainerType;
  /** Path inside the pod spec: `['initContainers', 0]`. */
  readonly path: readonly (string | number)[];
}

const CONTAINER_LISTS: readonly [
  ContainerType,
  'initContainers' | 'containers' | 'ephemeralContainers',
  string,
][] = [
  ['init', 'initContainers', 'init container'],
  ['container', 'containers', 'container'],
  ['ephemeral', 'ephemeralContainers', 'ephemeral container'],
];

/**
 * Every container of a pod spec: init, regular and ephemeral containers. Listed once per pod spec while
 * the rules judge its object (lib/policy/judging-scope.ts): read the list, never change it.
 */
export const containersOf: (pod: PodSpec) => readonly LabelledContainer[] = memoized(listContainers);

function listContainers(pod: PodSpec): LabelledContainer[] {
  return CONTAINER_LISTS.flatMap(([type, field, noun]) =>
    (Array.isArray(pod[field]) ? (pod[field] as readonly ContainerSpec[]) : []).map((container, index) => ({
      label: `${noun} "${isRecord(container) ? container.name : undefined}"`,
      container: isRecord(container) ? container : {},
      init: type === 'init',
      type,
      path: [field, index],
    })),
  );
}
