import { Chart, Testing } from 'cdk8s';
import { DefaultDenyNetworkPolicy } from '../../../lib';
import { validateKubernetesSchema } from '../../helpers/kubernetes-schema';

const render = (dnsNamespace?: string) => {
  const chart = new Chart(Testing.app(), 'Test');
  new DefaultDenyNetworkPolicy(chart, 'DefaultDeny', { namespace: 'production', dnsNamespace });
  return Testing.synth(chart);
};

describe('DefaultDenyNetworkPolicy', () => {
  test('denies all ingress and egress of the namespace but DNS to kube-system, in exactly this form', () => {
    // when
    const objects = render();
    // then
    expect(objects).toEqual([
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'default-deny', namespace: 'production' },
        spec: {
          podSelector: {},
          policyTypes: ['Ingress', 'Egress'],
          egress: [
            {
              to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } }],
              ports: [
                { port: 53, protocol: 'UDP' },
                { port: 53, protocol: 'TCP' },
              ],
            },
          ],
        },
      },
    ]);
    expect(() => validateKubernetesSchema(objects[0])).not.toThrow();
  });

  test('fails on a DNS namespace that is not a namespace name', () => {
    expect(() => render('kube_system')).toThrow(
      "NetworkPeer.namespace(name): 'kube_system' is not a namespace name.",
    );
  });
});
