import { buildModel } from '../../charts/app';
import { PRODUCTION_APPLICATION } from '../../charts/argocd-chart';
import { KubeObject } from '../../lib';
import { findObject } from './find-object';

type Application = KubeObject & { spec: { syncPolicy: { automated: { selfHeal: boolean } } } };

/**
 * A copy of the generated production Application with self-heal turned off: it breaks ARGO001 and no
 * other rule, wherever the rules run (synth, `npm run policy`).
 */
export function badApplication(): KubeObject {
  const generated = findObject(buildModel().argocd, 'Application', PRODUCTION_APPLICATION);
  const app = structuredClone(generated) as Application;
  app.spec.syncPolicy.automated.selfHeal = false;
  return app;
}
