import {
  ResourceAttributes,
  SEALED_SECRETS_UNSEALER,
  UNSEALER_RULES,
  isAllowed,
  sealedSecretsControllerArgs,
  sealedSecretsControllerObjects,
  sealedSecretsObjectList,
} from '../../../lib/access';
import { KubeObject } from '../../../lib/manifest/kube-object';

const crd: KubeObject = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'sealedsecrets.bitnami.com' },
  spec: { group: 'bitnami.com' },
};
const props = {
  servedNamespaces: ['production', 'staging'],
  customResourceDefinition: crd,
  image: 'docker.io/bitnami/sealed-secrets-controller:0.40.0',
};
const objects = sealedSecretsControllerObjects(props);
const all = sealedSecretsObjectList(objects);
const ofKind = (kind: string): KubeObject[] => all.filter((object) => object.kind === kind);
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the pod spec is plain data here
const podSpec = (): any => (ofKind('Deployment')[0].spec as any).template.spec;
const controller = { user: 'system:serviceaccount:sealed-secrets:sealed-secrets-controller', groups: [] };
const may = (request: ResourceAttributes): boolean => isAllowed(all, controller, request);

describe('sealedSecretsControllerObjects', () => {
  test('installs the CRD, a restricted namespace, the identity, one binding per served namespace, a Service and the Deployment', () => {
    // given / when / then
    expect(
      all.map((object) => `${object.kind} ${object.metadata?.namespace ?? ''}/${object.metadata?.name}`),
    ).toEqual([
      'CustomResourceDefinition /sealedsecrets.bitnami.com',
      'Namespace /sealed-secrets',
      'ServiceAccount sealed-secrets/sealed-secrets-controller',
      'ClusterRole /sealed-secrets-unsealer',
      'RoleBinding sealed-secrets/sealed-secrets-unsealer',
      'Service sealed-secrets/sealed-secrets-controller',
      'Deployment sealed-secrets/sealed-secrets-controller',
      'RoleBinding production/sealed-secrets-unsealer',
      'RoleBinding staging/sealed-secrets-unsealer',
    ]);
    expect(objects.definition).toBe(crd);
    expect(objects.namespace.metadata?.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'restricted',
    });
  });

  test('grants nothing cluster-wide: only RoleBindings, each of the unsealer role to the controller, in its own namespace and the served ones', () => {
    // given / when
    const bindings = ofKind('RoleBinding');
    // then
    expect(ofKind('ClusterRoleBinding')).toEqual([]);
    expect(bindings.map((binding) => binding.metadata?.namespace)).toEqual([
      'sealed-secrets',
      'production',
      'staging',
    ]);
    for (const binding of bindings) {
      expect(binding.roleRef).toEqual({
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: SEALED_SECRETS_UNSEALER,
      });
      expect(binding.subjects).toEqual([
        { kind: 'ServiceAccount', name: 'sealed-secrets-controller', namespace: 'sealed-secrets' },
      ]);
    }
  });

  test('may do in each served namespace and its own what it does there, and nothing in any other', () => {
    // given
    const secrets = (verb: string, namespace: string): ResourceAttributes => ({
      verb,
      namespace,
      group: '',
      resource: 'secrets',
    });
    // when / then: what it needs, where it serves
    for (const namespace of ['production', 'staging', 'sealed-secrets']) {
      for (const verb of ['get', 'list', 'watch', 'create', 'update'])
        expect(may(secrets(verb, namespace))).toBe(true);
      for (const verb of ['get', 'list', 'watch'])
        expect(may({ verb, namespace, group: 'bitnami.com', resource: 'sealedsecrets' })).toBe(true);
      expect(
        may({
          verb: 'update',
          namespace,
          group: 'bitnami.com',
          resource: 'sealedsecrets',
          subresource: 'status',
        }),
      ).toBe(true);
      expect(may({ verb: 'create', namespace, group: '', resource: 'events' })).toBe(true);
      expect(may({ verb: 'get', group: '', resource: 'namespaces', name: namespace })).toBe(true);
      // never deletes a Secret (the garbage collector does, by owner reference), never patches one
      for (const verb of ['delete', 'deletecollection', 'patch'])
        expect(may(secrets(verb, namespace))).toBe(false);
      for (const verb of ['create', 'update', 'patch', 'delete'])
        expect(may({ verb, namespace, group: 'bitnami.com', resource: 'sealedsecrets' })).toBe(false);
    }
    // and nothing elsewhere, nor cluster-wide
    for (const namespace of ['argocd', 'default', 'kube-system', 'preview-7']) {
      expect(may(secrets('get', namespace))).toBe(false);
      expect(may({ verb: 'get', group: '', resource: 'namespaces', name: namespace })).toBe(false);
    }
    expect(may({ verb: 'list', group: '', resource: 'secrets' })).toBe(false);
    expect(may({ verb: 'list', group: '', resource: 'namespaces' })).toBe(false);
    for (const rule of UNSEALER_RULES) {
      expect(rule.apiGroups).not.toContain('*');
      expect(rule.resources).not.toContain('*');
      for (const verb of ['*', 'impersonate', 'escalate', 'bind']) expect(rule.verbs).not.toContain(verb);
    }
  });

  test('serves exactly the declared namespaces, renews its key every 30 days, and listens on its two ports', () => {
    // given / when
    const args = sealedSecretsControllerArgs(props);
    // then
    expect(args).toEqual([
      '--key-renew-period=720h',
      '--update-status',
      '--all-namespaces=false',
      '--additional-namespaces=production,staging',
      '--listen-addr=:8080',
      '--listen-metrics-addr=:8081',
    ]);
    expect(podSpec().containers[0].args).toEqual(args);
    expect(sealedSecretsControllerArgs({ ...props, keyRenewPeriod: '168h' })[0]).toBe(
      '--key-renew-period=168h',
    );
  });

  test('runs one restricted pod: non-root, no privilege escalation, every capability dropped, RuntimeDefault seccomp, read-only root', () => {
    // given / when
    const spec = podSpec();
    const [container] = spec.containers;
    // then
    expect(ofKind('Deployment')[0].spec).toMatchObject({ replicas: 1, strategy: { type: 'Recreate' } });
    expect(spec.securityContext).toMatchObject({
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(container.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(container.image).toBe(props.image);
    expect(container.resources.limits).toEqual({ cpu: '500m', memory: '256Mi' });
    expect(spec.serviceAccountName).toBe('sealed-secrets-controller');
    expect(spec.automountServiceAccountToken).toBe(true);
    expect(container.volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
  });

  test('exposes the certificate endpoint as Service port http, the name kubeseal --fetch-cert asks the API server proxy for', () => {
    // given / when
    const [service] = ofKind('Service');
    // then
    expect(service.spec).toEqual({
      selector: { 'app.kubernetes.io/name': 'sealed-secrets-controller' },
      ports: [{ name: 'http', port: 8080, targetPort: 'http', protocol: 'TCP' }],
    });
  });

  test.each([
    [{ servedNamespaces: [] }, 'servedNamespaces is empty'],
    [{ servedNamespaces: ['Production'] }, '"Production" is not a namespace name'],
    [{ servedNamespaces: ['production', 'production'] }, 'must be distinct'],
    [{ servedNamespaces: ['sealed-secrets'] }, "must not repeat the controller's own namespace"],
    [
      { customResourceDefinition: { ...crd, metadata: { name: 'other.example.com' } } },
      'not the CustomResourceDefinition sealedsecrets.bitnami.com',
    ],
  ])('refuses %j, saying why', (change, message) => {
    // given / when / then
    expect(() => sealedSecretsControllerObjects({ ...props, ...change })).toThrow(message);
  });
});
