import { containerRule, podRule } from './pod-rule';
import { NET_BIND_SERVICE, isWindowsPod } from './pod-security-rules';
import { PolicyRule } from './types';

/*
 * Production's pod hardening beyond the Pod Security Standards: what the PSS rules
 * (lib/policy/pod-security-rules.ts, which match "restricted" exactly) let through and production does
 * not. Each rule reports only what "restricted" allows, so a pod breaking the standard is not told twice.
 */

export const NO_NET_BIND_SERVICE: PolicyRule = containerRule(
  {
    id: 'HARD001',
    title: 'Containers add no Linux capability, not even NET_BIND_SERVICE',
    fix: 'Remove NET_BIND_SERVICE from securityContext.capabilities.add: listen on a port above 1023 and let the Service map the port clients use to it.',
  },
  ({ container }) => {
    const added = container.securityContext?.capabilities?.add;
    const index = Array.isArray(added) ? added.indexOf(NET_BIND_SERVICE) : -1;
    // Every other added capability is PSS003's; "restricted" allows this one, production does not.
    return index < 0
      ? undefined
      : { message: `adds ${NET_BIND_SERVICE}`, at: ['securityContext', 'capabilities', 'add', index] };
  },
);

export const LINUX_PODS: PolicyRule = podRule(
  {
    id: 'HARD002',
    title: 'Pods run on Linux, not Windows',
    fix: 'Remove spec.os.name: windows and run the workload on Linux. A Windows pod is exempt from the Linux controls of the restricted profile (allowPrivilegeEscalation, capabilities, seccomp) and the API refuses those fields on it, so it cannot be hardened as production requires.',
  },
  ({ pod }) =>
    isWindowsPod(pod)
      ? [
          {
            message:
              'pod spec sets os.name: windows, which waives allowPrivilegeEscalation, capabilities and seccomp',
            at: ['os', 'name'],
          },
        ]
      : [],
);

/** Was PSS005 (retired: not a control of the standard). */
export const READ_ONLY_ROOT: PolicyRule = containerRule(
  {
    id: 'HARD003',
    title: 'Containers have a read-only root filesystem',
    fix: 'Set securityContext.readOnlyRootFilesystem: true and mount an emptyDir where the app writes.',
  },
  ({ container }) =>
    container.securityContext?.readOnlyRootFilesystem === true
      ? undefined
      : { message: 'does not set readOnlyRootFilesystem: true', at: ['securityContext'] },
);

/** Was PSS006 (retired: not a control of the standard). */
export const NO_TOKEN_AUTOMOUNT: PolicyRule = podRule(
  {
    id: 'HARD004',
    title: 'Pods do not mount a service-account token',
    fix: 'Set automountServiceAccountToken: false in the pod spec.',
  },
  ({ pod }) =>
    pod.automountServiceAccountToken === false
      ? []
      : ['pod spec does not set automountServiceAccountToken: false'],
);

/** The hardening rules, in id order. */
export const HARDENING_RULES: readonly PolicyRule[] = [
  NO_NET_BIND_SERVICE,
  LINUX_PODS,
  READ_ONLY_ROOT,
  NO_TOKEN_AUTOMOUNT,
];
