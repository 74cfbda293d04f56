import { parse } from 'yaml';
import { NOTIFICATIONS_CONFIGMAP, RBAC_CONFIGMAP, READONLY_ROLE } from '../argocd-api/argocd-conventions';
import { findings } from './argocd-objects';
import { KubeObject } from '../manifest/kube-object';
import { PolicyRule } from './types';

const dataOf = (object: KubeObject, name: string): Record<string, string> | undefined =>
  object.apiVersion === 'v1' && object.kind === 'ConfigMap' && object.metadata?.name === name
    ? ((object.data ?? {}) as Record<string, string>)
    : undefined;

export const ARGO_RBAC_DEFAULT: PolicyRule = {
  id: 'ARGO017',
  title: 'ArgoCD gives no write access by default',
  fix: `Set policy.default in ${RBAC_CONFIGMAP} to "" (no access) or "${READONLY_ROLE}"; grant more to named groups.`,
  check: (object) => {
    const data = dataOf(object, RBAC_CONFIGMAP);
    if (!data) return [];
    const role = data['policy.default'] ?? '';
    return findings(role !== '' && role !== READONLY_ROLE && `policy.default is "${role}"`);
  },
};

/** Keys of a notification service that hold credentials. */
const CREDENTIAL_KEY = /token|password|secret|apikey|api-key|credentials|signingkey/i;

export const ARGO_NOTIFICATION_CREDENTIALS: PolicyRule = {
  id: 'ARGO018',
  title: 'Notification services only reference their credentials',
  fix: 'Write credentials as "$<key>" and put the value in the argocd-notifications-secret Secret, created outside Git.',
  check: (object) => {
    const data = dataOf(object, NOTIFICATIONS_CONFIGMAP);
    if (!data) return [];
    return Object.entries(data)
      .filter(([key]) => key.startsWith('service.'))
      .flatMap(([key, text]) => {
        let service: unknown;
        try {
          service = parse(text);
        } catch {
          return findings(`${key} is not YAML`);
        }
        const values = typeof service === 'object' && service !== null ? Object.entries(service) : [];
        return values.flatMap(([field, value]) =>
          findings(
            CREDENTIAL_KEY.test(field) &&
              !(typeof value === 'string' && value.startsWith('$')) &&
              `${key} writes ${field} in clear instead of referencing a Secret key ("$<key>")`,
          ),
        );
      });
  },
};

/** The rules of ArgoCD's own settings, in id order. */
export const ARGOCD_SETTINGS_RULES: readonly PolicyRule[] = [
  ARGO_RBAC_DEFAULT,
  ARGO_NOTIFICATION_CREDENTIALS,
];
