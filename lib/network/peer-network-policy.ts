import { ApiObject, Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { NetworkPort } from './network-port';

/** Which traffic of the selected pods a {@link PeerNetworkPolicy} opens. */
export enum TrafficDirection {
  /** Connections to the pods. */
  INGRESS = 'Ingress',
  /** Connections from the pods. */
  EGRESS = 'Egress',
}

/** One rule: these peers, on these destination ports. */
interface Rule {
  readonly peers: k8s.NetworkPolicyPeer[];
  readonly ports: k8s.NetworkPolicyPort[];
}

export interface PeerNetworkPolicyProps {
  /** Name of the NetworkPolicy. */
  readonly name: string;
  /** Namespace of the NetworkPolicy and of the pods it selects. */
  readonly namespace: string;
  /** Labels that select the pods whose traffic it opens. */
  readonly podLabels: Readonly<Record<string, string>>;
  /** Whether it opens connections to the pods or from them. */
  readonly direction: TrafficDirection;
  /**
   * Labels of the NetworkPolicy object itself.
   * @default - none
   */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * One NetworkPolicy opening one direction of a workload's traffic to the peers added with `addRule()`,
 * in the order they were added. Added rules are rendered at synth time, so both ends of a connection can
 * be declared in any order; a rule identical to an existing one is not added twice.
 */
export class PeerNetworkPolicy extends Construct {
  /** The NetworkPolicy object. */
  public readonly resource: ApiObject;
  private readonly direction: TrafficDirection;
  /** Rules by their rendered JSON, which makes a repeated rule a no-op. */
  private readonly rules = new Map<string, Rule>();

  constructor(scope: Construct, id: string, props: PeerNetworkPolicyProps) {
    super(scope, id);
    this.direction = props.direction;
    this.resource = new ApiObject(this, 'Resource', {
      apiVersion: k8s.KubeNetworkPolicy.GVK.apiVersion,
      kind: k8s.KubeNetworkPolicy.GVK.kind,
      metadata: {
        name: props.name,
        namespace: props.namespace,
        ...(props.labels ? { labels: { ...props.labels } } : {}),
      },
      spec: Lazy.any({ produce: () => k8s.toJson_NetworkPolicySpec(this.spec(props)) }),
    });
  }

  /**
   * Opens traffic between the selected pods and `peers` on `ports` (destination ports). Returns false,
   * changing nothing, when the same rule is already there.
   */
  public addRule(peers: readonly k8s.NetworkPolicyPeer[], ports: readonly NetworkPort[]): boolean {
    const rule: Rule = { peers: [...peers], ports: ports.map((port) => port.render()) };
    const key = JSON.stringify(k8s.toJson_NetworkPolicyEgressRule({ to: rule.peers, ports: rule.ports }));
    if (this.rules.has(key)) return false;
    this.rules.set(key, rule);
    return true;
  }

  private spec(props: PeerNetworkPolicyProps): k8s.NetworkPolicySpec {
    const rules = [...this.rules.values()];
    const spec = { podSelector: { matchLabels: { ...props.podLabels } }, policyTypes: [this.direction] };
    return this.direction === TrafficDirection.INGRESS
      ? { ...spec, ingress: rules.map(({ peers, ports }) => ({ from: peers, ports })) }
      : { ...spec, egress: rules.map(({ peers, ports }) => ({ to: peers, ports })) };
  }
}
