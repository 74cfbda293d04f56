import { KubeObject, namespacedGroupKindsOf } from '../../../lib';

const ingress: KubeObject = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name: 'web', namespace: 'production' },
  spec: { rules: [{ host: 'api.example.com' }, {}], tls: [{ hosts: ['api.example.com'], secretName: 't' }] },
};

describe('namespacedGroupKindsOf', () => {
  test('lists distinct namespaced kinds with their group, sorted', () => {
    // when
    const kinds = namespacedGroupKindsOf([
      ingress,
      ingress,
      { apiVersion: 'v1', kind: 'Service' },
      { apiVersion: 'v1', kind: 'Namespace' },
    ]);
    // then
    expect(kinds).toEqual([
      { group: '', kind: 'Service' },
      { group: 'networking.k8s.io', kind: 'Ingress' },
    ]);
  });
});
