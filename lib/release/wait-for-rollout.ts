import { ArgoCdApiError, ArgoCdClient } from './argocd-client';
import { ExpectedImage, RolloutAssessment, assessRollout } from './rollout-assessment';

/** The rollout did not complete in time; the message lists what was still wrong. */
export class RolloutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RolloutError';
  }
}

export interface WaitForRolloutProps {
  readonly client: ArgoCdClient;
  /** The ArgoCD Application, e.g. `my-app-prod`. */
  readonly application: string;
  readonly expected: ExpectedImage;
  /** Give up after this long. */
  readonly timeoutMs: number;
  /** Time between two polls. @default 10000 */
  readonly intervalMs?: number;
  /** Progress lines. @default - console.error */
  readonly log?: (line: string) => void;
  /** @default Date.now */
  readonly now?: () => number;
}

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls ArgoCD until `assessRollout` says done, and returns that assessment. The first poll asks ArgoCD
 * to refresh from Git. Throws a `RolloutError` at the timeout with the last problems, and at once on an
 * error that waiting cannot fix (bad token, unknown application).
 */
export async function waitForRollout(props: WaitForRolloutProps): Promise<RolloutAssessment> {
  const now = props.now ?? Date.now;
  const log = props.log ?? ((line: string) => console.error(line));
  const intervalMs = props.intervalMs ?? 10_000;
  const deadline = now() + props.timeoutMs;
  for (let poll = 0; ; poll++) {
    let last: string;
    try {
      const assessment = assessRollout(
        await props.client.snapshot(props.application, poll === 0),
        props.expected,
      );
      if (assessment.done) return assessment;
      last = assessment.problems.join('; ');
    } catch (error) {
      if (error instanceof ArgoCdApiError && error.permanent) throw error;
      last = `ArgoCD could not be read: ${(error as Error).message}`;
    }
    log(`rollout of ${props.application}: waiting (${last})`);
    if (now() + intervalMs > deadline) {
      throw new RolloutError(
        `${props.application} did not reach Synced + Healthy running ${props.expected.repository}:${props.expected.tag} ` +
          `within ${Math.round(props.timeoutMs / 1000)} s. Last state: ${last}`,
      );
    }
    await delay(intervalMs);
  }
}
