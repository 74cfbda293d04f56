import { LocalFinding, containerRule, effective, podRule } from './pod-rule';
import { ContainerSpec, PodSpec, SecurityContext, SecurityProfile, containersOf } from './pod-spec';
import { PolicyRule } from './types';

/*
 * The Pod Security Standards' "restricted" profile (baseline's controls included), control by control,
 * exactly as the checks of k8s.io/pod-security-admission (the release tools/cluster/go.mod pins, v0.34)
 * judge a pod at its latest version, v1.34: no stricter, no laxer. What production asks beyond it has
 * rules of its own (lib/policy/hardening-rules.ts, HARD…). docs/policy.md maps each control to its rule;
 * test/lib/policy/pod-security-rules.fixtures.e2e.test.ts judges upstream's own fixtures with these rules.
 *
 * Two settings of the API server would relax upstream's checks; neither is on in v1.34: the alpha gate
 * UserNamespacesPodSecurityStandards (runAsNonRoot, runAsUser and procMount waived under hostUsers:
 * false), and turning off ProbeHostPodSecurityStandards (GA and locked on in v1.34).
 */

/**
 * A pod that declares `spec.os.name: windows`. Since v1.25 "restricted" does not ask such a pod for its
 * Linux-only controls: allowPrivilegeEscalation, capabilities (baseline's included) and seccomp.
 */
export const isWindowsPod = (pod: PodSpec): boolean => pod.os?.name === 'windows';

export const RUN_AS_NON_ROOT: PolicyRule = containerRule(
  {
    id: 'PSS001',
    title: 'Containers run as a non-root user',
    fix: 'Set securityContext.runAsNonRoot: true and a non-zero runAsUser.',
  },
  (input) => {
    if (effective(input, 'runAsNonRoot') !== true) {
      return { message: 'does not set runAsNonRoot: true', at: ['securityContext'] };
    }
    // An explicit false on the pod breaks the standard even under containers that all say true.
    if (input.pod.securityContext?.runAsNonRoot === false) {
      return { message: 'runs in a pod spec that sets runAsNonRoot: false', at: [] };
    }
    // Either level naming user 0 breaks the standard, even where the other level would override it.
    const root = [input.container.securityContext?.runAsUser, input.pod.securityContext?.runAsUser].includes(
      0,
    );
    return root ? { message: 'runs as user 0 (root)', at: ['securityContext', 'runAsUser'] } : undefined;
  },
);

export const NO_PRIVILEGE: PolicyRule = containerRule(
  {
    id: 'PSS002',
    title: 'Containers are not privileged and cannot escalate privileges',
    fix: 'Set securityContext.allowPrivilegeEscalation: false (not asked of a Windows pod) and leave privileged unset or false.',
  },
  ({ container, pod }) => {
    if (container.securityContext?.privileged === true) {
      return { message: 'is privileged', at: ['securityContext', 'privileged'] };
    }
    if (isWindowsPod(pod)) return undefined;
    return container.securityContext?.allowPrivilegeEscalation === false
      ? undefined
      : { message: 'does not set allowPrivilegeEscalation: false', at: ['securityContext'] };
  },
);

/** The one capability "restricted" lets a container add (HARD001 refuses it all the same). */
export const NET_BIND_SERVICE = 'NET_BIND_SERVICE';

export const DROP_CAPABILITIES: PolicyRule = containerRule(
  {
    id: 'PSS003',
    title: 'Containers drop all Linux capabilities and add none but NET_BIND_SERVICE',
    fix: 'Set securityContext.capabilities.drop: [ALL], and add no capability other than NET_BIND_SERVICE (which HARD001 refuses too).',
  },
  ({ container, pod }) => {
    // For a Windows pod "restricted" checks no capability at all, not even baseline's list.
    if (isWindowsPod(pod)) return undefined;
    const capabilities = container.securityContext?.capabilities;
    const dropsAll = asList(capabilities?.drop).includes('ALL');
    const forbidden = asList(capabilities?.add).filter((capability) => capability !== NET_BIND_SERVICE);
    const added = forbidden.length > 0 ? `adds capabilities ${forbidden.map(String).join(', ')}` : undefined;
    if (!dropsAll) {
      const message = ['does not drop ALL capabilities', added].filter(Boolean).join(' and ');
      return { message, at: ['securityContext'] };
    }
    return added ? { message: added, at: ['securityContext', 'capabilities', 'add'] } : undefined;
  },
);

const PROFILE_TYPES: ReadonlySet<unknown> = new Set(['RuntimeDefault', 'Localhost']);

export const SECCOMP: PolicyRule = podRule(
  {
    id: 'PSS004',
    title: 'Containers use the RuntimeDefault seccomp profile',
    fix: 'Set securityContext.seccompProfile.type: RuntimeDefault on the pod or the container.',
  },
  ({ pod }) => {
    // A Windows pod is asked for no seccomp profile, and "restricted" drops baseline's check for it too.
    if (isWindowsPod(pod)) return [];
    const podProfile = pod.securityContext?.seccompProfile;
    const podSets = podProfile !== undefined && podProfile !== null;
    // "Unconfined" at the pod level breaks even baseline, whatever the containers say.
    const atPod: LocalFinding[] =
      podSets && !PROFILE_TYPES.has(podProfile.type)
        ? [
            {
              message: `pod spec has seccomp profile ${podProfile.type ?? '<no type>'}`,
              at: ['securityContext', 'seccompProfile'],
            },
          ]
        : [];
    const atContainers = containersOf(pod).flatMap(({ label, container, path }): LocalFinding[] => {
      const own = container.securityContext?.seccompProfile;
      const at = [...path, 'securityContext'];
      if (own !== undefined && own !== null) {
        return PROFILE_TYPES.has(own.type)
          ? []
          : [{ message: `${label} has seccomp profile ${own.type ?? '<no type>'}`, at }];
      }
      // A container that sets none inherits the pod's: fine when it is allowed, reported above when not.
      return podSets ? [] : [{ message: `${label} has seccomp profile <unset>`, at }];
    });
    return [...atPod, ...atContainers];
  },
);

const HOST_NAMESPACES = ['hostNetwork', 'hostPID', 'hostIPC'] as const;

export const NO_HOST_ACCESS: PolicyRule = podRule(
  {
    id: 'PSS007',
    title: 'Pods share no host namespace and mount no host path',
    fix: 'Remove hostNetwork, hostPID, hostIPC and hostPath volumes; use an emptyDir or a PersistentVolumeClaim.',
  },
  ({ pod }) => [
    ...HOST_NAMESPACES.filter((field) => pod[field] === true).map((field) => ({
      message: `pod spec sets ${field}: true`,
      at: [field],
    })),
    ...volumesOf(pod.volumes).flatMap(({ volume, index }) =>
      volume.hostPath !== undefined && volume.hostPath !== null
        ? [{ message: `volume "${String(volume.name)}" is a hostPath`, at: ['volumes', index] }]
        : [],
    ),
  ],
);

export const NO_HOST_PORTS: PolicyRule = containerRule(
  {
    id: 'PSS008',
    title: 'Containers open no port on the node (hostPort)',
    fix: 'Remove hostPort from the container ports (or set it to 0); expose the port through a Service.',
  },
  ({ container }) => {
    const ports = asList(container.ports);
    // null is no port, as 0 is: the API server decodes both as "unset".
    const index = ports.findIndex(
      (port) => !!port && port.hostPort !== undefined && port.hostPort !== null && port.hostPort !== 0,
    );
    return index < 0
      ? undefined
      : { message: `sets hostPort ${String(ports[index].hostPort)}`, at: ['ports', index, 'hostPort'] };
  },
);

const APPARMOR_ANNOTATION = 'container.apparmor.security.beta.kubernetes.io/';
const allowedAppArmorAnnotation = (value: unknown): boolean =>
  value === undefined ||
  value === null ||
  value === '' ||
  value === 'runtime/default' ||
  String(value).startsWith('localhost/');

export const APPARMOR: PolicyRule = podRule(
  {
    id: 'PSS009',
    title: 'AppArmor is not disabled or overridden',
    fix: 'Leave appArmorProfile unset, or set type RuntimeDefault or Localhost; never Unconfined (nor its annotation).',
  },
  ({ pod, annotations }) => [
    ...profileProblems(pod.securityContext?.appArmorProfile, 'pod spec', ['securityContext']),
    ...containersOf(pod).flatMap(({ label, container, path }) =>
      profileProblems(container.securityContext?.appArmorProfile, label, [...path, 'securityContext']),
    ),
    ...Object.entries(annotations)
      .filter(([key, value]) => key.startsWith(APPARMOR_ANNOTATION) && !allowedAppArmorAnnotation(value))
      .map(([key, value]) => `pod annotation ${key} is "${String(value)}"`),
  ],
);

function profileProblems(
  profile: SecurityProfile | undefined,
  label: string,
  at: readonly (string | number)[],
): LocalFinding[] {
  if (profile === undefined || profile === null || PROFILE_TYPES.has(profile.type)) return [];
  return [
    { message: `${label} has AppArmor profile ${String(profile.type)}`, at: [...at, 'appArmorProfile'] },
  ];
}

const SELINUX_TYPES: ReadonlySet<unknown> = new Set([
  undefined,
  '',
  'container_t',
  'container_init_t',
  'container_kvm_t',
  'container_engine_t',
]);

export const SELINUX: PolicyRule = podRule(
  {
    id: 'PSS010',
    title: 'SELinux options keep the container types and set no user or role',
    fix: 'Leave seLinuxOptions unset, or set only level and a type of container_t, container_init_t, container_kvm_t or container_engine_t.',
  },
  ({ pod }) => {
    const check = (context: SecurityContext | undefined, label: string, at: readonly (string | number)[]) => {
      const options = context?.seLinuxOptions;
      if (!options) return [];
      const bad = [
        !SELINUX_TYPES.has(options.type ?? '') && `type ${String(options.type)}`,
        options.user && `user ${options.user}`,
        options.role && `role ${options.role}`,
      ].filter((text): text is string => typeof text === 'string');
      return bad.length > 0
        ? [{ message: `${label} sets SELinux ${bad.join(', ')}`, at: [...at, 'seLinuxOptions'] }]
        : [];
    };
    return [
      ...check(pod.securityContext, 'pod spec', ['securityContext']),
      ...containersOf(pod).flatMap(({ label, container, path }) =>
        check(container.securityContext, label, [...path, 'securityContext']),
      ),
    ];
  },
);

export const PROC_MOUNT: PolicyRule = containerRule(
  {
    id: 'PSS011',
    title: 'Containers keep the default /proc mount',
    fix: 'Leave securityContext.procMount unset or Default.',
  },
  ({ container }) => {
    const procMount = container.securityContext?.procMount;
    return procMount === undefined || procMount === null || procMount === 'Default'
      ? undefined
      : { message: `sets procMount ${procMount}`, at: ['securityContext', 'procMount'] };
  },
);

/** The sysctls the standard calls safe (namespaced, isolated from other pods), as of Kubernetes 1.32. */
const SAFE_SYSCTLS: ReadonlySet<unknown> = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
  'net.ipv4.tcp_rmem',
  'net.ipv4.tcp_wmem',
]);

export const SYSCTLS: PolicyRule = podRule(
  {
    id: 'PSS012',
    title: 'Pods set only safe sysctls',
    fix: 'Remove the sysctl from securityContext.sysctls, or use one of the safe ones the Pod Security Standards list.',
  },
  ({ pod }) =>
    asList(pod.securityContext?.sysctls).flatMap((sysctl, index) =>
      SAFE_SYSCTLS.has(sysctl?.name)
        ? []
        : [
            {
              message: `pod spec sets unsafe sysctl ${String(sysctl?.name)}`,
              at: ['securityContext', 'sysctls', index],
            },
          ],
    ),
);

const PROBE_FIELDS = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;

/** Every handler of a container that may name a host: its probes' and its lifecycle hooks'. */
function handlersOf(container: ContainerSpec): { at: string[]; handler: Record<string, unknown> }[] {
  const record = container as Record<string, unknown>;
  const lifecycle = (record.lifecycle ?? {}) as Record<string, unknown>;
  return [
    ...PROBE_FIELDS.map((field) => ({ at: [field], handler: record[field] })),
    ...['postStart', 'preStop'].map((hook) => ({ at: ['lifecycle', hook], handler: lifecycle[hook] })),
  ].flatMap(({ at, handler }) =>
    typeof handler === 'object' && handler !== null
      ? [{ at, handler: handler as Record<string, unknown> }]
      : [],
  );
}

export const NO_HOST_PROBES: PolicyRule = containerRule(
  {
    id: 'PSS013',
    title: 'Probes and lifecycle hooks reach only the pod itself',
    fix: 'Remove host from httpGet and tcpSocket of probes and lifecycle hooks: they then reach the pod IP.',
  },
  ({ container }) => {
    for (const { at, handler } of handlersOf(container)) {
      for (const action of ['httpGet', 'tcpSocket']) {
        const host = (handler[action] as { host?: unknown } | undefined)?.host;
        if (host !== undefined && host !== null && host !== '') {
          return {
            message: `${at.join('.')} ${action} targets host "${String(host)}"`,
            at: [...at, action, 'host'],
          };
        }
      }
    }
    return undefined;
  },
);

export const NO_HOST_PROCESS: PolicyRule = podRule(
  {
    id: 'PSS014',
    title: 'No Windows HostProcess containers',
    fix: 'Leave securityContext.windowsOptions.hostProcess unset or false, on the pod and every container.',
  },
  ({ pod }) =>
    [
      { label: 'pod spec', context: pod.securityContext, at: ['securityContext'] as (string | number)[] },
      ...containersOf(pod).map(({ label, container, path }) => ({
        label,
        context: container.securityContext,
        at: [...path, 'securityContext'],
      })),
    ]
      .filter(({ context }) => context?.windowsOptions?.hostProcess === true)
      .map(({ label, at }) => ({
        message: `${label} is a Windows HostProcess`,
        at: [...at, 'windowsOptions'],
      })),
);

/** The volume types "restricted" allows; hostPath is PSS007's. */
const RESTRICTED_VOLUME_TYPES: ReadonlySet<string> = new Set([
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'image',
  'persistentVolumeClaim',
  'projected',
  'secret',
]);

export const VOLUME_TYPES: PolicyRule = podRule(
  {
    id: 'PSS015',
    title: 'Pods use only the volume types of the restricted profile',
    fix: 'Use configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected or secret volumes; put other storage behind a PersistentVolumeClaim.',
  },
  ({ pod }) =>
    volumesOf(pod.volumes).flatMap(({ volume, index }) => {
      const types = Object.keys(volume).filter((key) => key !== 'name' && volume[key] !== null);
      const bad = types.filter((type) => !RESTRICTED_VOLUME_TYPES.has(type) && type !== 'hostPath');
      return bad.length > 0
        ? [
            {
              message: `volume "${String(volume.name)}" is of type ${bad.join(', ')}`,
              at: ['volumes', index],
            },
          ]
        : [];
    }),
);

function asList<T>(value: readonly T[] | undefined): readonly T[] {
  return Array.isArray(value) ? value : [];
}

function volumesOf(
  volumes: readonly ({ readonly name?: string } & Readonly<Record<string, unknown>>)[] | undefined,
): { volume: { readonly name?: string } & Readonly<Record<string, unknown>>; index: number }[] {
  return asList(volumes).flatMap((volume, index) =>
    typeof volume === 'object' && volume !== null ? [{ volume, index }] : [],
  );
}

/** The Pod Security rules, in id order. */
export const POD_SECURITY_RULES: readonly PolicyRule[] = [
  RUN_AS_NON_ROOT,
  NO_PRIVILEGE,
  DROP_CAPABILITIES,
  SECCOMP,
  NO_HOST_ACCESS,
  NO_HOST_PORTS,
  APPARMOR,
  SELINUX,
  PROC_MOUNT,
  SYSCTLS,
  NO_HOST_PROBES,
  NO_HOST_PROCESS,
  VOLUME_TYPES,
];
