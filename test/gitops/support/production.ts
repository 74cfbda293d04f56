import { application, explainApplication, refresh, syncedHealthy } from './application';
import { kubectlGet } from './kubectl';
import { waitUntil } from './wait-until';

/** The production Application, the namespace it syncs and its Deployment, as generated. */
export const PRODUCTION_APP = 'robson-backend-prod';
export const NAMESPACE = 'production';
export const DEPLOYMENT = 'backend';

/** An object of production, read live. */
export function live<T = LiveObject>(kind: string, name: string): T | undefined {
  return kubectlGet<T>(kind, '-n', NAMESPACE, name);
}

export interface LiveObject {
  readonly metadata: { readonly name: string; readonly annotations?: Record<string, string> };
  readonly spec?: Record<string, unknown>;
  readonly data?: Record<string, string>;
  readonly status?: Record<string, unknown>;
}

export interface LiveDeployment extends LiveObject {
  readonly spec: {
    readonly replicas: number;
    readonly template: {
      readonly spec: {
        readonly containers: readonly {
          name: string;
          image: string;
          env?: { name: string; value?: string }[];
        }[];
      };
    };
  };
  readonly status?: { readonly conditions?: readonly { type: string; status: string }[] };
}

/** The image of the backend container of the live Deployment. */
export function liveImage(): string | undefined {
  return live<LiveDeployment>('deployment', DEPLOYMENT)?.spec.template.spec.containers.find(
    (c) => c.name === 'backend',
  )?.image;
}

/** Asks for a refresh and waits until production is Synced and Healthy (at `revision`, when given). */
export async function productionConverged(timeoutMs: number, revision?: string): Promise<void> {
  refresh(PRODUCTION_APP);
  await waitUntil(
    `${PRODUCTION_APP} Synced and Healthy${revision ? ` at ${revision}` : ''}`,
    () => (syncedHealthy(application(PRODUCTION_APP), revision) ? true : undefined),
    timeoutMs,
    () => explainApplication(PRODUCTION_APP),
  );
}
