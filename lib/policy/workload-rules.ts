import {
  ContainerSpec,
  LONG_RUNNING_KINDS,
  PodSpec,
  SecurityContext,
  containersOf,
  podSpecOf,
} from './pod-spec';
import { Finding, KubeObject, PolicyRule } from './types';

interface ContainerCheckInput {
  readonly container: ContainerSpec;
  readonly pod: PodSpec;
  readonly object: KubeObject;
  readonly init: boolean;
}

/** Builds a rule that checks each container of each pod-running object. */
function containerRule(
  rule: Omit<PolicyRule, 'check'>,
  check: (input: ContainerCheckInput) => string | undefined,
): PolicyRule {
  return {
    ...rule,
    check: (object) => {
      const pod = podSpecOf(object);
      if (!pod) return [];
      return containersOf(pod).flatMap(({ label, container, init }): Finding[] => {
        const problem = check({ container, pod, object, init });
        return problem ? [{ message: `${label} ${problem}` }] : [];
      });
    },
  };
}

/** A container setting wins over the pod's, as in the kubelet. */
function effective<K extends keyof SecurityContext>(input: ContainerCheckInput, key: K): SecurityContext[K] {
  return input.container.securityContext?.[key] ?? input.pod.securityContext?.[key];
}

const REQUIRED_RESOURCES = ['requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory'] as const;

export const RESOURCES: PolicyRule = containerRule(
  {
    id: 'RES001',
    title: 'Containers set CPU and memory requests and limits',
    fix: 'Set resources.requests and resources.limits for both cpu and memory.',
  },
  ({ container }) => {
    const missing = REQUIRED_RESOURCES.filter((path) => {
      const [section, resource] = path.split('.') as ['requests' | 'limits', string];
      return container.resources?.[section]?.[resource] === undefined;
    });
    return missing.length > 0 ? `is missing ${missing.join(', ')}` : undefined;
  },
);

export const PROBES: PolicyRule = containerRule(
  {
    id: 'PRB001',
    title: 'Long-running containers have readiness and liveness probes',
    fix: 'Add readinessProbe and livenessProbe to every container of a Deployment, StatefulSet or DaemonSet.',
  },
  ({ container, object, init }) => {
    if (init || !LONG_RUNNING_KINDS.has(object.kind)) return undefined;
    const missing = (['readinessProbe', 'livenessProbe'] as const).filter((probe) => !container[probe]);
    return missing.length > 0 ? `has no ${missing.join(' and no ')}` : undefined;
  },
);

export const RUN_AS_NON_ROOT: PolicyRule = containerRule(
  {
    id: 'PSS001',
    title: 'Containers run as a non-root user',
    fix: 'Set securityContext.runAsNonRoot: true and a non-zero runAsUser.',
  },
  (input) => {
    if (effective(input, 'runAsNonRoot') !== true) return 'does not set runAsNonRoot: true';
    return effective(input, 'runAsUser') === 0 ? 'runs as user 0 (root)' : undefined;
  },
);

export const NO_PRIVILEGE: PolicyRule = containerRule(
  {
    id: 'PSS002',
    title: 'Containers are not privileged and cannot escalate privileges',
    fix: 'Set securityContext.allowPrivilegeEscalation: false and leave privileged unset or false.',
  },
  ({ container }) => {
    if (container.securityContext?.privileged === true) return 'is privileged';
    return container.securityContext?.allowPrivilegeEscalation === false
      ? undefined
      : 'does not set allowPrivilegeEscalation: false';
  },
);

export const DROP_CAPABILITIES: PolicyRule = containerRule(
  {
    id: 'PSS003',
    title: 'Containers drop all Linux capabilities',
    fix: 'Set securityContext.capabilities.drop: [ALL] and add none.',
  },
  ({ container }) => {
    const capabilities = container.securityContext?.capabilities;
    if (!capabilities?.drop?.includes('ALL')) return 'does not drop ALL capabilities';
    const added = capabilities.add ?? [];
    return added.length > 0 ? `adds capabilities ${added.join(', ')}` : undefined;
  },
);

export const SECCOMP: PolicyRule = containerRule(
  {
    id: 'PSS004',
    title: 'Containers use the RuntimeDefault seccomp profile',
    fix: 'Set securityContext.seccompProfile.type: RuntimeDefault on the pod or the container.',
  },
  (input) => {
    const type = effective(input, 'seccompProfile')?.type;
    return type === 'RuntimeDefault' || type === 'Localhost'
      ? undefined
      : `has seccomp profile ${type ?? '<unset>'}`;
  },
);

export const READ_ONLY_ROOT: PolicyRule = containerRule(
  {
    id: 'PSS005',
    title: 'Containers have a read-only root filesystem',
    fix: 'Set securityContext.readOnlyRootFilesystem: true and mount an emptyDir where the app writes.',
  },
  ({ container }) =>
    container.securityContext?.readOnlyRootFilesystem === true
      ? undefined
      : 'does not set readOnlyRootFilesystem: true',
);

export const NO_TOKEN_AUTOMOUNT: PolicyRule = {
  id: 'PSS006',
  title: 'Pods do not mount a service-account token',
  fix: 'Set automountServiceAccountToken: false in the pod spec.',
  check: (object) => {
    const pod = podSpecOf(object);
    return pod && pod.automountServiceAccountToken !== false
      ? [{ message: 'pod spec does not set automountServiceAccountToken: false' }]
      : [];
  },
};

const HOST_NAMESPACES = ['hostNetwork', 'hostPID', 'hostIPC'] as const;

export const NO_HOST_ACCESS: PolicyRule = {
  id: 'PSS007',
  title: 'Pods share no host namespace and mount no host path',
  fix: 'Remove hostNetwork, hostPID, hostIPC and hostPath volumes; use an emptyDir or a PersistentVolumeClaim.',
  check: (object) => {
    const pod = podSpecOf(object);
    if (!pod) return [];
    const shared = HOST_NAMESPACES.filter((field) => pod[field] === true).map(
      (field) => `pod spec sets ${field}: true`,
    );
    const mounted = (pod.volumes ?? [])
      .filter((volume) => volume.hostPath)
      .map((volume) => `volume "${volume.name}" is a hostPath`);
    return [...shared, ...mounted].map((message) => ({ message }));
  },
};
