import { Duration } from 'cdk8s';

const APP_LINK = '{{.context.argocdUrl}}/applications/{{.app.metadata.name}}';

function wholeMinutes(duration: Duration, factory: string): number {
  const minutes = duration.toMinutes();
  if (!Number.isInteger(minutes) || minutes < 1) {
    throw new Error(`NotificationTrigger.${factory}: duration must be a whole number of minutes, at least 1`);
  }
  return minutes;
}

/**
 * When ArgoCD notifications sends a message about an Application: a condition in ArgoCD's expression
 * language (github.com/expr-lang/expr, evaluated with `app` as a plain map and the `time` helpers)
 * and the message sent. Conditions only use optional chaining (`?.`) and `??` on fields that may be
 * absent: a condition that fails at run time is silently false in ArgoCD.
 * @see https://argo-cd.readthedocs.io/en/release-3.5/operator-manual/notifications/triggers/
 */
export class NotificationTrigger {
  /**
   * The Application is OutOfSync with a revision it has not deployed, no sync is pending or running,
   * and ArgoCD last finished a sync (or created the Application) more than `duration` ago: auto-sync
   * has stopped working. ArgoCD records no time at which an Application became OutOfSync, so the
   * last finished sync is the clock. Drift of the deployed revision is left to self-heal.
   */
  public static outOfSyncFor(duration: Duration): NotificationTrigger {
    const minutes = wholeMinutes(duration, 'outOfSyncFor');
    const when = [
      "app.status?.sync?.status == 'OutOfSync'",
      'app.operation == nil',
      "app.status?.operationState?.phase != 'Running'",
      'app.status?.sync?.revision != app.status?.operationState?.syncResult?.revision',
      `time.Now().Sub(time.Parse(app.status?.operationState?.finishedAt ?? app.metadata.creationTimestamp)).Minutes() >= ${minutes}`,
    ].join(' && ');
    return new NotificationTrigger(
      `on-out-of-sync-${minutes}m`,
      `OutOfSync for more than ${minutes} minutes with no sync in progress`,
      when,
      `:warning: {{.app.metadata.name}} has been OutOfSync for more than ${minutes} minutes and nothing is syncing it: revision {{.app.status.sync.revision}} is not deployed.\n${APP_LINK}`,
    );
  }

  /** The Application's health is Degraded. */
  public static healthDegraded(): NotificationTrigger {
    return new NotificationTrigger(
      'on-health-degraded',
      'Health is Degraded',
      "app.status?.health?.status == 'Degraded'",
      `:red_circle: {{.app.metadata.name}} is Degraded at revision {{.app.status.sync.revision}}.\n${APP_LINK}`,
    );
  }

  /**
   * A sync operation ended Failed or Error after `attempts` attempts, i.e. with its retries
   * (`attempts - 1`, the `syncPolicy.retry.limit`) exhausted.
   */
  public static syncFailedAfterAttempts(attempts: number): NotificationTrigger {
    if (!Number.isInteger(attempts) || attempts < 1) {
      throw new Error(
        `NotificationTrigger.syncFailedAfterAttempts: attempts must be a whole number >= 1, got ${attempts}`,
      );
    }
    return new NotificationTrigger(
      'on-sync-failed',
      `Sync failed ${attempts} times in a row`,
      `app.status?.operationState?.phase in ['Error', 'Failed'] && (app.status?.operationState?.retryCount ?? 0) >= ${attempts - 1}`,
      `:x: Sync of {{.app.metadata.name}} to revision {{.app.status.operationState.operation.sync.revision}} failed ${attempts} times in a row: {{.app.status.operationState.message}}\n${APP_LINK}`,
    );
  }

  /**
   * ArgoCD has been unable to render the Application from Git (expired repository credentials, broken
   * kustomization…) for more than `duration`: its sync status is Unknown and nothing gets deployed.
   */
  public static comparisonErrorFor(duration: Duration): NotificationTrigger {
    const minutes = wholeMinutes(duration, 'comparisonErrorFor');
    return new NotificationTrigger(
      `on-comparison-error-${minutes}m`,
      `Cannot render from Git for more than ${minutes} minutes`,
      `any(app.status?.conditions ?? [], {.type == 'ComparisonError' && time.Now().Sub(time.Parse(.lastTransitionTime)).Minutes() >= ${minutes}})`,
      `:warning: ArgoCD has not been able to render {{.app.metadata.name}} from Git for more than ${minutes} minutes; nothing is being deployed.\n${APP_LINK}`,
    );
  }

  private constructor(
    /** Trigger name: the key `trigger.<name>` and the subscription annotation use it. */
    public readonly name: string,
    /** One line shown by `argocd admin notifications trigger get`. */
    public readonly description: string,
    /** The `when` expression. */
    public readonly condition: string,
    /** The message, a Go template over `app` and `context`. */
    public readonly message: string,
  ) {}
}
