import { argocd } from '../../../charts/config';
import { ApiObject } from './cluster-client';

/** A minimal valid ArgoCD Application: what the strictness tests break one field of. */
export const PROBE_APPLICATION: ApiObject = {
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Application',
  metadata: { name: 'strictness-probe', namespace: argocd.namespace },
  spec: {
    project: 'default',
    source: { repoURL: 'https://example.invalid/repo.git', path: '.', targetRevision: 'main' },
    destination: { server: 'https://kubernetes.default.svc', namespace: 'production' },
    syncPolicy: { automated: { prune: true, selfHeal: true } },
  },
};
