import { k8s } from 'cdk8s-plus-28';

/** Transport protocol of a {@link NetworkPort}. */
export enum NetworkProtocol {
  TCP = 'TCP',
  UDP = 'UDP',
}

const MIN_PORT = 1;
const MAX_PORT = 65535;

/**
 * Why `port` is not a port number (1 to 65535), or `undefined` when it is.
 * @param what how the caller named the value, e.g. `containerPort`.
 */
export function portNumberProblem(port: number, what: string): string | undefined {
  if (Number.isInteger(port) && port >= MIN_PORT && port <= MAX_PORT) return undefined;
  return (
    `${what} must be a whole number from ${MIN_PORT} to ${MAX_PORT}, got ${port}. ` +
    'Fix: pass the port number the server listens on, e.g. 8080'
  );
}

/**
 * A destination port of a network connection: where a workload listens, or where one of its egress
 * peers does. A port number alone is ambiguous (TCP or UDP?), so one is made with `tcp()` or `udp()`.
 */
export class NetworkPort {
  /** TCP port `port` (1 to 65535). */
  public static tcp(port: number): NetworkPort {
    return new NetworkPort(port, NetworkProtocol.TCP);
  }

  /** UDP port `port` (1 to 65535). */
  public static udp(port: number): NetworkPort {
    return new NetworkPort(port, NetworkProtocol.UDP);
  }

  private constructor(
    /** The port number. */
    public readonly port: number,
    /** TCP or UDP. */
    public readonly protocol: NetworkProtocol,
  ) {
    const problem = portNumberProblem(port, `NetworkPort.${protocol.toLowerCase()}(port)`);
    if (problem) throw new Error(problem);
  }

  /** Whether `other` is the same port and protocol. */
  public equals(other: NetworkPort): boolean {
    return this.port === other.port && this.protocol === other.protocol;
  }

  /** `TCP 8080`, as messages name it. */
  public toString(): string {
    return `${this.protocol} ${this.port}`;
  }

  /** The `ports` entry of a NetworkPolicy rule. */
  public render(): k8s.NetworkPolicyPort {
    return { port: k8s.IntOrString.fromNumber(this.port), protocol: this.protocol };
  }
}
