import { kubectl, kubectlGet } from './kubectl';

/** The parts of an ArgoCD Application's status the suite reads. */
export interface Application {
  readonly metadata: { readonly name: string; readonly annotations?: Record<string, string> };
  readonly status?: {
    readonly sync?: { readonly status?: string; readonly revision?: string };
    readonly health?: { readonly status?: string };
    readonly conditions?: readonly { readonly type: string; readonly message: string }[];
    readonly operationState?: {
      readonly phase?: string;
      readonly message?: string;
      readonly startedAt?: string;
      readonly finishedAt?: string;
      readonly syncResult?: {
        readonly revision?: string;
        readonly resources?: readonly SyncedResource[];
      };
    };
  };
}

/** One entry of `operationState.syncResult.resources`: what the sync did to one object, in order. */
export interface SyncedResource {
  readonly group: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  readonly status?: string;
  readonly message?: string;
  readonly syncPhase?: string;
  readonly hookPhase?: string;
}

/** The Application `name` in namespace argocd, or undefined. */
export function application(name: string): Application | undefined {
  return kubectlGet<Application>('application', '-n', 'argocd', name);
}

/** Asks ArgoCD to compare with Git now rather than at its next poll. */
export function refresh(name: string): void {
  kubectl(
    'annotate',
    'application',
    '-n',
    'argocd',
    name,
    'argocd.argoproj.io/refresh=normal',
    '--overwrite',
  );
}

/** True when the Application is Synced and Healthy at `revision` (any revision when omitted). */
export function syncedHealthy(app: Application | undefined, revision?: string): boolean {
  const status = app?.status;
  return (
    status?.sync?.status === 'Synced' &&
    status.health?.status === 'Healthy' &&
    (revision === undefined || status.sync.revision === revision) &&
    (status.operationState === undefined || status.operationState.phase !== 'Running')
  );
}

/** The controller's own words about an Application: its state, conditions and last operation's message. */
export function explainApplication(name: string): string {
  const app = application(name);
  if (!app) return `Application argocd/${name} does not exist`;
  const status = app.status ?? {};
  const conditions =
    (status.conditions ?? []).map((c) => `  ${c.type}: ${c.message}`).join('\n') || '  (none)';
  const op = status.operationState;
  return [
    `Application argocd/${name}: sync ${status.sync?.status ?? '?'} at ${status.sync?.revision ?? '?'}, health ${status.health?.status ?? '?'}`,
    `conditions:\n${conditions}`,
    `operationState: ${op ? `${op.phase ?? '?'}: ${op.message ?? ''}` : '(none)'}`,
  ].join('\n');
}
