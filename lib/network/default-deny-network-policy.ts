import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { NetworkPeer } from './network-peer';
import { NetworkPort } from './network-port';
import { TrafficDirection } from './peer-network-policy';

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
 * they need with their own NetworkPolicies (`ProductionWorkload`'s `ingress`, `ingressFrom`, `egressTo`).
 */
export class DefaultDenyNetworkPolicy extends Construct {
  public readonly policy: k8s.KubeNetworkPolicy;

  constructor(scope: Construct, id: string, props: DefaultDenyNetworkPolicyProps) {
    super(scope, id);
    const dnsNamespace = props.dnsNamespace ?? 'kube-system';
    // UDP first: resolvers fall back to TCP only for large answers.
    const dnsPorts = [NetworkPort.udp(53), NetworkPort.tcp(53)];
    const dns = NetworkPeer.namespace(dnsNamespace, dnsPorts);
    this.policy = new k8s.KubeNetworkPolicy(this, 'Resource', {
      metadata: { name: 'default-deny', namespace: props.namespace },
      spec: {
        podSelector: {},
        policyTypes: [TrafficDirection.INGRESS, TrafficDirection.EGRESS],
        egress: [{ to: dns.render(props.namespace), ports: dnsPorts.map((port) => port.render()) }],
      },
    });
  }
}
