import { KubeObject } from '../manifest/kube-object';
import { RbacRule, clusterRole, roleBinding, serviceAccountSubject } from './rbac-objects';
import { restrictedNamespaceObject } from './restricted-namespace-object';
import { isDnsLabel } from '../manifest/dns-label';

/** The namespace the controller runs in and keeps its sealing keys in. */
export const SEALED_SECRETS_NAMESPACE = 'sealed-secrets';
/**
 * Where upstream publishes the controller's image, tagged with the release's version without its `v`.
 * Pinned by tag, not digest: no registry can be reached where this is generated, so the digest of the
 * tag was never read (docs/runbooks/sealing-keys.md says to check it before the first install).
 */
export const SEALED_SECRETS_IMAGE_REPOSITORY = 'docker.io/bitnami/sealed-secrets-controller';
/** The controller's name: its ServiceAccount, Deployment and Service (the name `kubeseal` looks for). */
export const SEALED_SECRETS_CONTROLLER = 'sealed-secrets-controller';
/** The ClusterRole of what the controller does in a namespace it serves (bound there by a RoleBinding). */
export const SEALED_SECRETS_UNSEALER = 'sealed-secrets-unsealer';
/**
 * The label on every sealing key Secret the controller makes (value `active`; `compromised` once retired
 * by hand): what a backup selects (docs/runbooks/sealing-keys.md).
 */
export const SEALING_KEY_LABEL = 'sealedsecrets.bitnami.com/sealed-secrets-key';
/** The controller's HTTP port (`/v1/cert.pem`, `/healthz`), named `http` as `kubeseal --fetch-cert` expects. */
export const SEALED_SECRETS_HTTP_PORT = 8080;
/** The controller's Prometheus metrics port. */
export const SEALED_SECRETS_METRICS_PORT = 8081;
/** How often the controller makes a new sealing key (upstream's default, 30 days); the old ones are kept. */
export const DEFAULT_KEY_RENEW_PERIOD = '720h';

/**
 * What the controller does in a namespace it serves, read from its source (v0.40.0, `pkg/controller`):
 * watch SealedSecrets and write their status; read, create and update the Secrets it unseals (and, in
 * its own namespace, list and create its sealing keys); record Events on SealedSecrets; get the
 * namespace object itself, which it checks exists at start. No `delete`: the Secrets it made carry an
 * owner reference to their SealedSecret and the garbage collector removes them (the controller deletes
 * only with `--old-gc-behavior`, not set). No `patch` of Secrets, no `watch` of its keys (only with
 * `--watch-for-secrets`, not set).
 *
 * Bound per namespace by RoleBindings, never by a ClusterRoleBinding: the API server authorizes a request
 * on the namespace object `namespaces/<name>` as a request inside that namespace, so `get namespaces`
 * reaches that one namespace only.
 */
export const UNSEALER_RULES: readonly RbacRule[] = [
  { apiGroups: ['bitnami.com'], resources: ['sealedsecrets'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['bitnami.com'], resources: ['sealedsecrets/status'], verbs: ['update'] },
  { apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list', 'watch', 'create', 'update'] },
  { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
  { apiGroups: [''], resources: ['namespaces'], verbs: ['get'] },
];

export interface SealedSecretsControllerProps {
  /**
   * The namespaces whose SealedSecrets the controller unseals: the environments of its cluster. It
   * watches those and its own, and may touch no other (`--all-namespaces=false`,
   * `--additional-namespaces`). At least one.
   */
  readonly servedNamespaces: readonly string[];
  /** The SealedSecret CustomResourceDefinition of the release (tools/sealed-secrets). */
  readonly customResourceDefinition: KubeObject;
  /** The controller's image, e.g. `docker.io/bitnami/sealed-secrets-controller:0.40.0`. */
  readonly image: string;
  /**
   * Go duration between two new sealing keys; every key stays usable for unsealing.
   * @default DEFAULT_KEY_RENEW_PERIOD
   */
  readonly keyRenewPeriod?: string;
  /**
   * Where the controller runs and keeps its keys.
   * @default SEALED_SECRETS_NAMESPACE
   */
  readonly namespace?: string;
}

/**
 * The controller's install objects, grouped so that no group holds two objects of one kind (each group
 * is one Pulumi component, whose resources are named by kind).
 */
export interface SealedSecretsControllerObjects {
  /** The SealedSecret CRD: cluster-wide, and deleting it deletes every SealedSecret of the cluster. */
  readonly definition: KubeObject;
  /** The controller's namespace, Pod Security `restricted`: deleting it deletes every sealing key. */
  readonly namespace: KubeObject;
  /**
   * The controller itself: its ServiceAccount, the unsealer ClusterRole, the RoleBinding of that role in
   * its own namespace (its keys), its Service and its Deployment.
   */
  readonly controller: readonly KubeObject[];
  /** One RoleBinding of the unsealer ClusterRole per served namespace, in that namespace. */
  readonly served: readonly { readonly namespace: string; readonly binding: KubeObject }[];
}

const LABELS = {
  'app.kubernetes.io/name': SEALED_SECRETS_CONTROLLER,
  'app.kubernetes.io/part-of': 'sealed-secrets',
};
const SELECTOR = { 'app.kubernetes.io/name': SEALED_SECRETS_CONTROLLER };

/** The controller's arguments: its key period, the namespaces it serves, its listeners. */
export function sealedSecretsControllerArgs(props: SealedSecretsControllerProps): string[] {
  return [
    `--key-renew-period=${props.keyRenewPeriod ?? DEFAULT_KEY_RENEW_PERIOD}`,
    '--update-status',
    '--all-namespaces=false',
    `--additional-namespaces=${props.servedNamespaces.join(',')}`,
    `--listen-addr=:${SEALED_SECRETS_HTTP_PORT}`,
    `--listen-metrics-addr=:${SEALED_SECRETS_METRICS_PORT}`,
  ];
}

function deployment(namespace: string, props: SealedSecretsControllerProps): KubeObject {
  const probe = { httpGet: { path: '/healthz', port: 'http' } };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: SEALED_SECRETS_CONTROLLER, namespace, labels: { ...LABELS } },
    spec: {
      replicas: 1,
      // Never two controllers at once: on a first start each would make a sealing key of its own.
      strategy: { type: 'Recreate' },
      selector: { matchLabels: { ...SELECTOR } },
      template: {
        metadata: { labels: { ...LABELS } },
        spec: {
          serviceAccountName: SEALED_SECRETS_CONTROLLER,
          // The controller finds the API server through its pod's service-account token, and nothing else.
          automountServiceAccountToken: true,
          securityContext: {
            runAsNonRoot: true,
            // The image's own user (USER 1001 in upstream's docker/controller.Dockerfile), stated.
            runAsUser: 1001,
            runAsGroup: 1001,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          containers: [
            {
              name: 'controller',
              image: props.image,
              command: ['controller'],
              args: sealedSecretsControllerArgs(props),
              ports: [
                { name: 'http', containerPort: SEALED_SECRETS_HTTP_PORT, protocol: 'TCP' },
                { name: 'metrics', containerPort: SEALED_SECRETS_METRICS_PORT, protocol: 'TCP' },
              ],
              readinessProbe: probe,
              livenessProbe: probe,
              resources: {
                requests: { cpu: '50m', memory: '64Mi' },
                limits: { cpu: '500m', memory: '256Mi' },
              },
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                runAsNonRoot: true,
                capabilities: { drop: ['ALL'] },
              },
              volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
            },
          ],
          volumes: [{ name: 'tmp', emptyDir: {} }],
        },
      },
    },
  };
}

/**
 * The Sealed Secrets controller, least privilege: it unseals in `servedNamespaces` only (a RoleBinding of
 * `UNSEALER_RULES` in each, and one in its own namespace for its keys) and holds nothing cluster-wide.
 * Reading and writing Secrets in every namespace it serves is what it is for: whoever controls it can
 * read those namespaces' Secrets, so its namespace is for administrators only.
 */
export function sealedSecretsControllerObjects(
  props: SealedSecretsControllerProps,
): SealedSecretsControllerObjects {
  const namespace = props.namespace ?? SEALED_SECRETS_NAMESPACE;
  const what = `SealedSecretsController ${namespace}`;
  if (props.servedNamespaces.length === 0) {
    throw new Error(`${what}: servedNamespaces is empty; name the namespaces whose SealedSecrets it unseals`);
  }
  for (const served of props.servedNamespaces) {
    if (!isDnsLabel(served)) throw new Error(`${what}: "${served}" is not a namespace name`);
  }
  if (
    props.servedNamespaces.includes(namespace) ||
    new Set(props.servedNamespaces).size !== props.servedNamespaces.length
  ) {
    throw new Error(
      `${what}: servedNamespaces (${props.servedNamespaces.join(', ')}) must be distinct and must not repeat the controller's own namespace`,
    );
  }
  const crd = props.customResourceDefinition;
  if (crd.kind !== 'CustomResourceDefinition' || crd.metadata?.name !== 'sealedsecrets.bitnami.com') {
    throw new Error(
      `${what}: customResourceDefinition is ${crd.kind} ${crd.metadata?.name ?? '(no name)'}, not the CustomResourceDefinition sealedsecrets.bitnami.com`,
    );
  }
  const account = { namespace, name: SEALED_SECRETS_CONTROLLER };
  // A RoleBinding of the ClusterRole: its rules, in that one namespace.
  const unseal = (where: string): KubeObject => {
    const binding = roleBinding(where, SEALED_SECRETS_UNSEALER, SEALED_SECRETS_UNSEALER, [
      serviceAccountSubject(account),
    ]);
    return { ...binding, roleRef: { ...(binding.roleRef as object), kind: 'ClusterRole' } };
  };
  return {
    definition: crd,
    namespace: restrictedNamespaceObject({ name: namespace }),
    controller: [
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: SEALED_SECRETS_CONTROLLER, namespace } },
      clusterRole(SEALED_SECRETS_UNSEALER, UNSEALER_RULES),
      unseal(namespace),
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: SEALED_SECRETS_CONTROLLER, namespace, labels: { ...LABELS } },
        spec: {
          selector: { ...SELECTOR },
          ports: [{ name: 'http', port: SEALED_SECRETS_HTTP_PORT, targetPort: 'http', protocol: 'TCP' }],
        },
      },
      deployment(namespace, props),
    ],
    served: props.servedNamespaces.map((served) => ({
      namespace: served,
      binding: unseal(served),
    })),
  };
}

/** Every object of `objects`, in the order the program declares them. */
export function sealedSecretsObjectList(objects: SealedSecretsControllerObjects): KubeObject[] {
  return [
    objects.definition,
    objects.namespace,
    ...objects.controller,
    ...objects.served.map((entry) => entry.binding),
  ];
}
