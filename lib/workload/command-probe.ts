import { Duration } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';

/** A command the kubelet runs in the container: exit status 0 means alive. For workloads without a port. */
export interface CommandProbe {
  /** Command and arguments, run without a shell, e.g. `['/app/worker', 'healthcheck']`. */
  readonly command: readonly string[];
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

/** The container probe of `probe`; throws for an empty command, which the kubelet would fail every time. */
export function renderCommandProbe(probe: CommandProbe, where: string): k8s.Probe {
  if (!Array.isArray(probe.command) || probe.command.length === 0 || probe.command.some((part) => !part)) {
    throw new Error(
      `${where}: the liveness command is empty. Fix: the command that exits 0 while the worker is healthy, e.g. ['/app/worker', 'healthcheck']`,
    );
  }
  return {
    exec: { command: [...probe.command] },
    initialDelaySeconds: (probe.initialDelay ?? Duration.seconds(0)).toSeconds(),
    periodSeconds: (probe.period ?? Duration.seconds(10)).toSeconds(),
    failureThreshold: probe.failureThreshold ?? 3,
  };
}
