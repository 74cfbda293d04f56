import { Duration } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';

/** An HTTP GET the kubelet sends to decide whether a container is ready or alive. */
export interface HttpProbe {
  /** Path to request, e.g. `/healthz`. */
  readonly path: string;
  /**
   * Wait before the first probe.
   * @default Duration.seconds(0)
   */
  readonly initialDelay?: Duration;
  /**
   * Time between probes.
   * @default Duration.seconds(10)
   */
  readonly period?: Duration;
  /**
   * Consecutive failures before the container counts as failed.
   * @default 3
   */
  readonly failureThreshold?: number;
}

export function renderProbe(probe: HttpProbe, portName: string): k8s.Probe {
  return {
    httpGet: { path: probe.path, port: k8s.IntOrString.fromString(portName) },
    initialDelaySeconds: (probe.initialDelay ?? Duration.seconds(0)).toSeconds(),
    periodSeconds: (probe.period ?? Duration.seconds(10)).toSeconds(),
    failureThreshold: probe.failureThreshold ?? 3,
  };
}
