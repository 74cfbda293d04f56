/**
 * The negative table of Pod Security: one row per control of the Pod Security Standards (baseline and
 * restricted, as kubernetes.io lists them), each an edit of a compliant pod spec that breaks exactly
 * that control, and the one rule that must fire. test/lib/policy/pod-security-rules.test.ts runs it
 * against the rules, test/cluster/pod-security-controls.test.ts against the real API server's
 * "restricted".
 */

/** A pod spec as loose data, to be broken. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type LoosePod = Record<string, any>;

export interface PodSecurityControl {
  /** The control, in the words of the standard. */
  readonly control: string;
  readonly level: 'baseline' | 'restricted';
  /** Breaks exactly this control in a compliant pod spec (and its pod metadata). */
  readonly edit: (spec: LoosePod, metadata: LoosePod) => void;
  readonly rule: string;
  /**
   * What the API server's validation needs besides for the pod to reach admission at all (a
   * HostProcess container must use the host network).
   * @default - nothing
   */
  readonly validWith?: (spec: LoosePod) => void;
  /**
   * Why the API server's "restricted" admits this pod although the standard (and the rule) refuse it.
   * @default - the server refuses it
   */
  readonly admittedBecause?: string;
}

const first = (spec: LoosePod): LoosePod => spec.containers[0];

export const POD_SECURITY_CONTROLS: readonly PodSecurityControl[] = [
  {
    control: 'HostProcess',
    level: 'baseline',
    edit: (spec) => (spec.securityContext.windowsOptions = { hostProcess: true }),
    rule: 'PSS014',
    validWith: (spec) => (spec.hostNetwork = true),
  },
  {
    control: 'Host Namespaces (hostNetwork)',
    level: 'baseline',
    edit: (spec) => (spec.hostNetwork = true),
    rule: 'PSS007',
  },
  {
    control: 'Host Namespaces (hostPID)',
    level: 'baseline',
    edit: (spec) => (spec.hostPID = true),
    rule: 'PSS007',
  },
  {
    control: 'Host Namespaces (hostIPC)',
    level: 'baseline',
    edit: (spec) => (spec.hostIPC = true),
    rule: 'PSS007',
  },
  {
    control: 'Privileged Containers',
    level: 'baseline',
    // The API refuses privileged with allowPrivilegeEscalation false: both go, both are PSS002's.
    edit: (spec) =>
      Object.assign(first(spec).securityContext, { privileged: true, allowPrivilegeEscalation: true }),
    rule: 'PSS002',
  },
  {
    control: 'Capabilities (baseline: beyond the default set)',
    level: 'baseline',
    edit: (spec) => (first(spec).securityContext.capabilities.add = ['SYS_ADMIN']),
    rule: 'PSS003',
  },
  {
    control: 'HostPath Volumes',
    level: 'baseline',
    edit: (spec) => spec.volumes.push({ name: 'host', hostPath: { path: '/var/run' } }),
    rule: 'PSS007',
  },
  {
    control: 'Host Ports',
    level: 'baseline',
    edit: (spec) => (first(spec).ports = [{ containerPort: 8080, hostPort: 8080 }]),
    rule: 'PSS008',
  },
  {
    control: 'AppArmor (field)',
    level: 'baseline',
    edit: (spec) => (first(spec).securityContext.appArmorProfile = { type: 'Unconfined' }),
    rule: 'PSS009',
  },
  {
    control: 'AppArmor (annotation)',
    level: 'baseline',
    edit: (_spec, metadata) =>
      (metadata.annotations = { 'container.apparmor.security.beta.kubernetes.io/app': 'unconfined' }),
    rule: 'PSS009',
  },
  {
    control: 'SELinux (type)',
    level: 'baseline',
    edit: (spec) => (spec.securityContext.seLinuxOptions = { type: 'spc_t' }),
    rule: 'PSS010',
  },
  {
    control: 'SELinux (user)',
    level: 'baseline',
    edit: (spec) => (first(spec).securityContext.seLinuxOptions = { user: 'system_u' }),
    rule: 'PSS010',
  },
  {
    control: '/proc Mount Type',
    level: 'baseline',
    edit: (spec) => {
      // An Unmasked /proc needs a user namespace to be accepted at all.
      spec.hostUsers = false;
      first(spec).securityContext.procMount = 'Unmasked';
    },
    rule: 'PSS011',
  },
  {
    control: 'Seccomp (baseline: Unconfined)',
    level: 'baseline',
    edit: (spec) => (spec.securityContext.seccompProfile = { type: 'Unconfined' }),
    rule: 'PSS004',
  },
  {
    control: 'Sysctls',
    level: 'baseline',
    edit: (spec) => (spec.securityContext.sysctls = [{ name: 'kernel.msgmax', value: '65536' }]),
    rule: 'PSS012',
  },
  {
    control: 'Probes and lifecycle hooks (host)',
    level: 'baseline',
    edit: (spec) => (first(spec).readinessProbe.httpGet.host = '169.254.169.254'),
    rule: 'PSS013',
    admittedBecause:
      'our namespaces enforce the profile of v1.33 (DEFAULT_POD_SECURITY_VERSION, lib/access/restricted-namespace-object.ts), which has no probe host control; it is new in v1.34, which the rules judge',
  },
  {
    control: 'Volume Types',
    level: 'restricted',
    edit: (spec) => spec.volumes.push({ name: 'nfs', nfs: { server: 'nfs.example', path: '/' } }),
    rule: 'PSS015',
  },
  {
    control: 'Privilege Escalation',
    level: 'restricted',
    edit: (spec) => (first(spec).securityContext.allowPrivilegeEscalation = true),
    rule: 'PSS002',
  },
  {
    control: 'Running as Non-root',
    level: 'restricted',
    edit: (spec) => {
      delete spec.securityContext.runAsNonRoot;
      delete first(spec).securityContext.runAsNonRoot;
    },
    rule: 'PSS001',
  },
  {
    control: 'Running as Non-root (false on the pod, true on every container)',
    level: 'restricted',
    edit: (spec) => (spec.securityContext.runAsNonRoot = false),
    rule: 'PSS001',
  },
  {
    control: 'Running as Non-root user',
    level: 'restricted',
    edit: (spec) => (first(spec).securityContext.runAsUser = 0),
    rule: 'PSS001',
  },
  {
    control: 'Seccomp (restricted: must be set)',
    level: 'restricted',
    edit: (spec) => {
      delete spec.securityContext.seccompProfile;
      delete first(spec).securityContext.seccompProfile;
    },
    rule: 'PSS004',
  },
  {
    control: 'Capabilities (restricted: drop ALL)',
    level: 'restricted',
    edit: (spec) => (first(spec).securityContext.capabilities.drop = ['NET_RAW']),
    rule: 'PSS003',
  },
];

/** A pod that passes every rule (and "restricted"), with a readiness probe for the probe row. */
export function compliantPod(image: string): { metadata: LoosePod; spec: LoosePod } {
  return {
    metadata: { labels: { app: 'pss' } },
    spec: {
      automountServiceAccountToken: false,
      securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [
        {
          name: 'app',
          image,
          resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '1', memory: '128Mi' } },
          readinessProbe: { httpGet: { path: '/readyz', port: 8080 } },
          livenessProbe: { httpGet: { path: '/healthz', port: 8080 } },
          securityContext: {
            runAsNonRoot: true,
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            capabilities: { drop: ['ALL'] },
            seccompProfile: { type: 'RuntimeDefault' },
          },
          volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
        },
      ],
      volumes: [{ name: 'tmp', emptyDir: {} }],
    },
  };
}
