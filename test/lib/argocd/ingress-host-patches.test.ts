import { KubeObject, ingressHostPatches } from '../../../lib';

const ingress: KubeObject = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name: 'web', namespace: 'production' },
  spec: { rules: [{ host: 'api.example.com' }, {}], tls: [{ hosts: ['api.example.com'], secretName: 't' }] },
};

describe('ingressHostPatches', () => {
  test('replaces every host of every Ingress', () => {
    // when
    const patches = ingressHostPatches(
      [ingress, { apiVersion: 'v1', kind: 'Service' }],
      (host) => `pr-1.${host}`,
    );
    // then
    expect(patches).toEqual([
      {
        target: { group: 'networking.k8s.io', version: 'v1', kind: 'Ingress', name: 'web' },
        patch: JSON.stringify([
          { op: 'replace', path: '/spec/rules/0/host', value: 'pr-1.api.example.com' },
          { op: 'replace', path: '/spec/tls/0/hosts/0', value: 'pr-1.api.example.com' },
        ]),
      },
    ]);
  });
});
