import { ArgoCdResourceNode, RolloutSnapshot } from '../../../lib';

export const REPOSITORY = 'ghcr.io/acme/backend';
export const NEW = `${REPOSITORY}:sha-0a1b2c3`;
export const OLD = `${REPOSITORY}:sha-1111111`;

/** A Deployment's rollout counters: complete (2 of 2 updated and available, none left over) by default. */
export interface RolloutCounters {
  readonly observedGeneration?: number;
  readonly replicas?: number;
  readonly updatedReplicas?: number;
  readonly availableReplicas?: number;
}

const COMPLETE: RolloutCounters = {
  observedGeneration: 4,
  replicas: 2,
  updatedReplicas: 2,
  availableReplicas: 2,
};

const deployment = (image: string, rollout: RolloutCounters) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'backend', namespace: 'production', generation: 4 },
  spec: { replicas: 2, template: { spec: { containers: [{ name: 'backend', image }] } } },
  status: { ...COMPLETE, ...rollout },
});
const cronJob = (image: string) => ({
  apiVersion: 'batch/v1',
  kind: 'CronJob',
  metadata: { name: 'backend-cleanup', namespace: 'production' },
  spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: 'cleanup', image }] } } } } },
});

const pod = (name: string, image: string, parent: ArgoCdResourceNode): ArgoCdResourceNode => ({
  kind: 'Pod',
  namespace: 'production',
  name,
  uid: `uid-${name}`,
  parentRefs: [{ kind: parent.kind, namespace: parent.namespace, name: parent.name, uid: parent.uid }],
  images: [image],
});

export interface SnapshotOptions {
  readonly sync?: string;
  readonly health?: string;
  readonly deploymentImage?: string;
  readonly cronJobImage?: string;
  /** The Deployment's rollout counters, over the complete ones. */
  readonly rollout?: RolloutCounters;
  /** Images of the Deployment's running pods (none: the project hides pods from ArgoCD's tree). */
  readonly podImages?: readonly string[];
  /** Image of a finished pod of the CronJob's last Job. */
  readonly jobPodImage?: string;
}

/** What ArgoCD answers for an application with a Deployment and a CronJob, done by default. */
export function snapshot(options: SnapshotOptions = {}): RolloutSnapshot {
  const replicaSet: ArgoCdResourceNode = {
    kind: 'ReplicaSet',
    namespace: 'production',
    name: 'backend-7d9f',
    uid: 'uid-rs',
    parentRefs: [{ kind: 'Deployment', namespace: 'production', name: 'backend', uid: 'uid-deploy' }],
  };
  const job: ArgoCdResourceNode = {
    kind: 'Job',
    namespace: 'production',
    name: 'backend-cleanup-1',
    uid: 'uid-job',
    parentRefs: [{ kind: 'CronJob', namespace: 'production', name: 'backend-cleanup', uid: 'uid-cron' }],
  };
  const pods = (options.podImages ?? [NEW, NEW]).map((image, i) =>
    pod(`backend-7d9f-${i}`, image, replicaSet),
  );
  return {
    application: {
      status: {
        sync: { status: options.sync ?? 'Synced', revision: 'abc123' },
        health: { status: options.health ?? 'Healthy' },
        operationState: { phase: 'Succeeded' },
      },
    },
    tree: {
      nodes: [
        { kind: 'Deployment', namespace: 'production', name: 'backend', uid: 'uid-deploy' },
        replicaSet,
        ...pods,
        { kind: 'CronJob', namespace: 'production', name: 'backend-cleanup', uid: 'uid-cron' },
        job,
        pod('backend-cleanup-1-x', options.jobPodImage ?? OLD, job),
      ],
    },
    managed: {
      items: [
        {
          kind: 'Deployment',
          namespace: 'production',
          name: 'backend',
          liveState: JSON.stringify(deployment(options.deploymentImage ?? NEW, options.rollout ?? {})),
        },
        {
          kind: 'CronJob',
          namespace: 'production',
          name: 'backend-cleanup',
          liveState: JSON.stringify(cronJob(options.cronJobImage ?? NEW)),
        },
        { kind: 'Service', namespace: 'production', name: 'backend', liveState: 'null' },
      ],
    },
  };
}
