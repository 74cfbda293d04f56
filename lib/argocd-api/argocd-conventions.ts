import { SyncPolicy } from './argocd-types';

/** Namespace ArgoCD is installed in and reads Applications, projects and its settings from. */
export const DEFAULT_ARGOCD_NAMESPACE = 'argocd';

/** The API server ArgoCD runs in: the only destination production Applications may use. */
export const IN_CLUSTER_SERVER = 'https://kubernetes.default.svc';

/** The name ArgoCD gives the in-cluster destination. */
export const IN_CLUSTER_NAME = 'in-cluster';

/** The one branch production Applications track: everything in production comes from `main`. */
export const PRODUCTION_BRANCH = 'main';

/** Makes deleting an Application delete what it deployed (previews); absent on production Applications. */
export const RESOURCES_FINALIZER = 'resources-finalizer.argocd.argoproj.io';

/** The project every ArgoCD install has, which allows everything: never used. */
export const DEFAULT_PROJECT = 'default';

/**
 * Attempts of one sync operation before ArgoCD gives up and reports it failed: the first try plus
 * retries. The sync-failed alert fires when they are exhausted.
 */
export const SYNC_ATTEMPTS = 3;

/** `syncPolicy.retry.limit`: retries after the first attempt. */
export const SYNC_RETRY_LIMIT = SYNC_ATTEMPTS - 1;

/** Namespaces are created outside ArgoCD; removed objects are deleted only after the rest is applied. */
export const REQUIRED_SYNC_OPTIONS: readonly string[] = ['CreateNamespace=false', 'PruneLast=true'];

/** ArgoCD's main settings ConfigMap (SSO, repositories, resource customizations). */
export const ARGOCD_CONFIGMAP = 'argocd-cm';

/** The ConfigMap ArgoCD notifications reads its services, triggers and templates from. */
export const NOTIFICATIONS_CONFIGMAP = 'argocd-notifications-cm';

/** The Secret that `$key` references of the notifications ConfigMap resolve against; created outside Git. */
export const NOTIFICATIONS_SECRET = 'argocd-notifications-secret';

/** The ConfigMap ArgoCD's API server reads its RBAC policy from. */
export const RBAC_CONFIGMAP = 'argocd-rbac-cm';

/** ArgoCD's built-in role that may read everything and change nothing. */
export const READONLY_ROLE = 'role:readonly';

/** Prefix of the annotation subscribing an Application to a trigger: `<prefix><trigger>.<service>`. */
export const SUBSCRIBE_ANNOTATION_PREFIX = 'notifications.argoproj.io/subscribe.';

/**
 * The sync policy of every Application this library renders: automated sync that deletes what Git
 * no longer has and reverts changes made in the cluster, never on an empty render, three attempts
 * 30 s, 60 s apart (capped at 3 min) before the operation is reported failed.
 */
export function productionSyncPolicy(): SyncPolicy {
  return {
    automated: { prune: true, selfHeal: true, allowEmpty: false },
    syncOptions: [...REQUIRED_SYNC_OPTIONS],
    retry: { limit: SYNC_RETRY_LIMIT, backoff: { duration: '30s', factor: 2, maxDuration: '3m' } },
  };
}
