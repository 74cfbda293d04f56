import { KubeObject } from './types';

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
}

export interface SecurityContext {
  readonly runAsNonRoot?: boolean;
  readonly runAsUser?: number;
  readonly privileged?: boolean;
  readonly allowPrivilegeEscalation?: boolean;
  readonly readOnlyRootFilesystem?: boolean;
  readonly capabilities?: { readonly drop?: readonly string[]; readonly add?: readonly string[] };
  readonly seccompProfile?: { readonly type?: string };
}

export interface PodSpec {
  readonly containers?: readonly ContainerSpec[];
  readonly initContainers?: readonly ContainerSpec[];
  readonly securityContext?: SecurityContext;
  readonly automountServiceAccountToken?: boolean;
  readonly hostNetwork?: boolean;
  readonly hostPID?: boolean;
  readonly hostIPC?: boolean;
  readonly volumes?: readonly { readonly name?: string; readonly hostPath?: unknown }[];
}

/** Kinds whose pods run for as long as the workload exists, and so need probes. */
export const LONG_RUNNING_KINDS: ReadonlySet<string> = new Set([
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
]);

type Nested = { readonly [key: string]: Nested } | undefined;

/** The pod spec inside any workload kind, or `undefined` when the object runs no pods. */
export function podSpecOf(object: KubeObject): PodSpec | undefined {
  const spec = object.spec as Nested;
  switch (object.kind) {
    case 'Pod':
      return spec as PodSpec | undefined;
    case 'CronJob':
      return spec?.jobTemplate?.spec?.template?.spec as PodSpec | undefined;
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'ReplicaSet':
    case 'Job':
      return spec?.template?.spec as PodSpec | undefined;
    default:
      return undefined;
  }
}

export interface LabelledContainer {
  /** `container "app"` or `init container "migrate"`. */
  readonly label: string;
  readonly container: ContainerSpec;
  readonly init: boolean;
}

/** Every container of a pod spec, init containers included. */
export function containersOf(pod: PodSpec): LabelledContainer[] {
  return [
    ...(pod.initContainers ?? []).map((container) => ({
      label: `init container "${container.name}"`,
      container,
      init: true,
    })),
    ...(pod.containers ?? []).map((container) => ({
      label: `container "${container.name}"`,
      container,
      init: false,
    })),
  ];
}
