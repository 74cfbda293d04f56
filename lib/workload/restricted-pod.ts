import { k8s } from 'cdk8s-plus-28';
import { ContainerResources, renderResources } from './container-resources';

/** The user id containers run as unless a workload says otherwise. */
export const DEFAULT_RUN_AS_USER = 10001;

/** Where every container gets a writable scratch directory, the root filesystem being read-only. */
export const SCRATCH_MOUNT_PATH = '/tmp';
const SCRATCH_VOLUME = 'tmp';

/** What varies between containers; everything security-related is fixed. */
export interface RestrictedContainerProps {
  readonly name: string;
  readonly image: string;
  readonly resources: ContainerResources;
  readonly command?: readonly string[];
  readonly args?: readonly string[];
  readonly ports?: readonly k8s.ContainerPort[];
  readonly envFrom?: readonly k8s.EnvFromSource[];
  /** Variables beside `envFrom`'s, e.g. a Secret's key. @default - none */
  readonly env?: readonly k8s.EnvVar[];
  /** Mounts beside the scratch directory's (read-only Secret files). @default - none */
  readonly volumeMounts?: readonly k8s.VolumeMount[];
  readonly readinessProbe?: k8s.Probe;
  readonly livenessProbe?: k8s.Probe;
}

/** A container that passes Pod Security "restricted" and has a read-only root filesystem. */
export function restrictedContainer(props: RestrictedContainerProps): k8s.Container {
  return {
    name: props.name,
    image: props.image,
    command: props.command && [...props.command],
    args: props.args && [...props.args],
    ports: props.ports && [...props.ports],
    envFrom: props.envFrom && [...props.envFrom],
    env: props.env && props.env.length > 0 ? [...props.env] : undefined,
    resources: renderResources(props.resources, `container "${props.name}"`),
    readinessProbe: props.readinessProbe,
    livenessProbe: props.livenessProbe,
    securityContext: {
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    },
    volumeMounts: [{ name: SCRATCH_VOLUME, mountPath: SCRATCH_MOUNT_PATH }, ...(props.volumeMounts ?? [])],
  };
}

/**
 * A pod spec with no token automount, a non-root user and a scratch volume for its containers, plus
 * `options.volumes` (Secret volumes: "restricted" allows them).
 */
export function restrictedPodSpec(
  containers: k8s.Container[],
  options: {
    serviceAccountName: string;
    runAsUser: number;
    restartPolicy?: string;
    volumes?: readonly k8s.Volume[];
  },
): k8s.PodSpec {
  return {
    serviceAccountName: options.serviceAccountName,
    automountServiceAccountToken: false,
    restartPolicy: options.restartPolicy,
    securityContext: {
      runAsNonRoot: true,
      runAsUser: options.runAsUser,
      runAsGroup: options.runAsUser,
      fsGroup: options.runAsUser,
      seccompProfile: { type: 'RuntimeDefault' },
    },
    containers,
    volumes: [{ name: SCRATCH_VOLUME, emptyDir: {} }, ...(options.volumes ?? [])],
  };
}
