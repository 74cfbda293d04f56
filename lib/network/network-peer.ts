import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { parseCidr } from './cidr';
import { NetworkPort } from './network-port';

/** The label Kubernetes (1.22+) puts on every namespace, holding its name. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/**
 * A workload that other workloads can name as a network peer, by reference rather than by a name
 * string: its pods are selected by its own labels, in its own namespace, on the port it listens on.
 * `ProductionWorkload` is one.
 */
export interface INetworkWorkload extends IConstruct {
  /** Name of the workload (its Deployment, Service, …). */
  readonly name: string;
  /** Namespace of its pods. */
  readonly namespace: string;
  /** Labels that select its pods, and no other. */
  readonly podLabels: Readonly<Record<string, string>>;
  /**
   * The port its pods listen on: the destination of every connection to it (after the Service);
   * `undefined` for a worker, which nothing may connect to.
   */
  readonly listenPort: NetworkPort | undefined;
  /** Admits `peer` to its pods; returns the NetworkPolicy holding the rule. */
  allowIngressFrom(peer: NetworkPeer): ApiObject;
  /** Lets its pods connect to `peer`; returns the NetworkPolicy holding the rule. */
  allowEgressTo(peer: NetworkPeer): ApiObject;
}

// DNS-1123 label: a namespace name.
const NAMESPACE_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
// A label key: optional DNS-subdomain prefix and a slash, then a name of up to 63 characters.
const LABEL_KEY =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

function checkPorts(ports: readonly NetworkPort[], factory: string, example: string): readonly NetworkPort[] {
  if (!Array.isArray(ports) || ports.length === 0 || !ports.every((port) => port instanceof NetworkPort)) {
    throw new Error(
      `${factory}: ports must list at least one NetworkPort, got ${JSON.stringify(ports)}; ` +
        `a rule without ports would open every port. Fix: e.g. [${example}]`,
    );
  }
  return [...ports];
}

/**
 * Who a workload may exchange traffic with, beyond the namespace's default deny: another workload, the
 * pods of a namespace, or an IP network, each with the destination ports of the connection. Made by
 * the static factories, which refuse bad input at once; given to `ProductionWorkload` as `ingressFrom`
 * or `egressTo`, or to its `allowIngressFrom()` / `allowEgressTo()`.
 *
 * Ports are always destination ports, as in a NetworkPolicy: for egress, where the peer listens; for
 * ingress, where the workload itself listens (checked against its `listenPort`).
 */
export class NetworkPeer {
  /**
   * The pods of `workload`, on the port it listens on. Declaring either direction declares both: the
   * workload connecting out gets the egress rule and the one it connects to the ingress rule.
   */
  public static workload(workload: INetworkWorkload): NetworkPeer {
    return new NetworkPeer(
      `workload ${workload.namespace}/${workload.name}`,
      (policyNamespace) => [
        workload.namespace === policyNamespace
          ? { podSelector: { matchLabels: { ...workload.podLabels } } }
          : {
              namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: workload.namespace } },
              podSelector: { matchLabels: { ...workload.podLabels } },
            },
      ],
      undefined,
      workload,
    );
  }

  /** Every pod of the namespace named `name`, on `ports`. */
  public static namespace(name: string, ports: readonly NetworkPort[]): NetworkPeer {
    if (typeof name !== 'string' || !NAMESPACE_NAME.test(name)) {
      throw new Error(
        `NetworkPeer.namespace(name): '${name}' is not a namespace name. Fix: a lowercase DNS label of ` +
          "at most 63 characters (letters, digits, '-'), e.g. 'monitoring'",
      );
    }
    return new NetworkPeer(
      `namespace '${name}'`,
      () => [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: name } } }],
      checkPorts(ports, 'NetworkPeer.namespace(name, ports)', 'NetworkPort.tcp(8080)'),
    );
  }

  /** Every pod of every namespace carrying all of `labels`, on `ports`. */
  public static namespacesWithLabels(
    labels: Readonly<Record<string, string>>,
    ports: readonly NetworkPort[],
  ): NetworkPeer {
    const factory = 'NetworkPeer.namespacesWithLabels(labels, ports)';
    const entries = Object.entries(labels ?? {});
    if (entries.length === 0) {
      throw new Error(
        `${factory}: labels is empty, which selects every namespace of the cluster. Fix: name at least one ` +
          "label, e.g. { team: 'payments' }, or use NetworkPeer.namespace(name, ports)",
      );
    }
    for (const [key, value] of entries) {
      if (!LABEL_KEY.test(key) || typeof value !== 'string' || !LABEL_VALUE.test(value)) {
        throw new Error(
          `${factory}: ${JSON.stringify({ [key]: value })} is not a valid label. Fix: a key of at most 63 ` +
            "characters with an optional DNS prefix ('example.com/team'), a value of at most 63 letters, " +
            "digits, '-', '_' or '.'",
        );
      }
    }
    const description = entries.map(([key, value]) => `${key}=${value}`).join(',');
    return new NetworkPeer(
      `namespaces labelled ${description}`,
      () => [{ namespaceSelector: { matchLabels: Object.fromEntries(entries) } }],
      checkPorts(ports, factory, 'NetworkPort.tcp(8080)'),
    );
  }

  /**
   * The IP network `cidr` (e.g. `10.20.0.0/16`, `fd00::/8`), on `ports`: a database or an API outside
   * the cluster. Refuses `0.0.0.0/0` and `::/0`: every address is `NetworkPeer.anyAddress(ports)`, so
   * that the widest opening reads as one in review.
   */
  public static cidr(cidr: string, ports: readonly NetworkPort[]): NetworkPeer {
    const factory = 'NetworkPeer.cidr(cidr, ports)';
    const network = parseCidr(cidr, factory);
    if (network.everything) {
      throw new Error(
        `${factory}: '${cidr}' is every IPv${network.family} address. Fix: name the network the workload ` +
          'needs, or, if it really must reach any address, say so with NetworkPeer.anyAddress(ports)',
      );
    }
    return new NetworkPeer(
      `CIDR ${network.text}`,
      () => [{ ipBlock: { cidr: network.text } }],
      checkPorts(ports, factory, 'NetworkPort.tcp(5432)'),
    );
  }

  /**
   * Any IPv4 or IPv6 address, on `ports` only: e.g. a third-party HTTPS API with no stable addresses.
   * Egress only: the public reaches a workload through its Ingress.
   */
  public static anyAddress(ports: readonly NetworkPort[]): NetworkPeer {
    return new NetworkPeer(
      'any address',
      () => [{ ipBlock: { cidr: '0.0.0.0/0' } }, { ipBlock: { cidr: '::/0' } }],
      checkPorts(ports, 'NetworkPeer.anyAddress(ports)', 'NetworkPort.tcp(443)'),
      undefined,
      true,
    );
  }

  private constructor(
    /** How messages name the peer, e.g. `namespace 'monitoring'`. */
    public readonly description: string,
    private readonly selectors: (policyNamespace: string) => k8s.NetworkPolicyPeer[],
    /** Destination ports; `undefined` for a workload, whose own port is the destination. */
    public readonly ports: readonly NetworkPort[] | undefined,
    /** The workload, for a peer made by `NetworkPeer.workload()`. */
    public readonly workload: INetworkWorkload | undefined = undefined,
    /** Whether it is `NetworkPeer.anyAddress()`. */
    public readonly anyAddress: boolean = false,
  ) {}

  /** The `from` / `to` entries of a rule in a NetworkPolicy of namespace `policyNamespace`. */
  public render(policyNamespace: string): k8s.NetworkPolicyPeer[] {
    return this.selectors(policyNamespace);
  }
}
