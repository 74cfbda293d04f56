import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';

export interface DefaultDenyNetworkPolicyProps {
  /** Namespace whose pods are isolated. */
  readonly namespace: string;
  /**
   * Namespace of the cluster DNS, the one destination every pod may still reach (UDP/TCP 53).
   * @default 'kube-system'
   */
  readonly dnsNamespace?: string;
}

/**
 * Denies all ingress and egress of every pod in a namespace, except DNS lookups. Workloads open what
 * they need with their own NetworkPolicies.
 */
export class DefaultDenyNetworkPolicy extends Construct {
  public readonly policy: k8s.KubeNetworkPolicy;

  constructor(scope: Construct, id: string, props: DefaultDenyNetworkPolicyProps) {
    super(scope, id);
    const dnsNamespace = props.dnsNamespace ?? 'kube-system';
    const dnsPort = (protocol: string): k8s.NetworkPolicyPort => ({
      port: k8s.IntOrString.fromNumber(53),
      protocol,
    });
    this.policy = new k8s.KubeNetworkPolicy(this, 'Resource', {
      metadata: { name: 'default-deny', namespace: props.namespace },
      spec: {
        podSelector: {},
        policyTypes: ['Ingress', 'Egress'],
        egress: [
          {
            to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': dnsNamespace } } }],
            ports: [dnsPort('UDP'), dnsPort('TCP')],
          },
        ],
      },
    });
  }
}
