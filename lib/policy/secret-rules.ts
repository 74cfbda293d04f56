import { NOTIFICATIONS_CONFIGMAP } from '../argocd-api/argocd-conventions';
import { annotationsAt } from './pod-rule';
import { containersOf, podSpecsOf } from './pod-spec';
import { KubeObject } from '../manifest/kube-object';
import { Finding, PolicyRule } from './types';

export const NO_SECRET_DATA: PolicyRule = {
  id: 'SEC001',
  title: 'No Secret values in Git',
  fix: 'Create the Secret outside Git (external secret store or sealed secret) and reference it by name.',
  check: (object) => {
    if (object.kind !== 'Secret') return [];
    return (['data', 'stringData'] as const)
      .filter((field) => Object.keys((object[field] as object | undefined) ?? {}).length > 0)
      .map((field) => ({ message: `Secret carries plaintext values in "${field}"`, path: [field] }));
  },
};

/**
 * Annotation prefix that marks a key as not a credential: `<prefix><key>: <reason>`, on the object (or
 * its pod template). The reason is required: an exception says why, in the source, where review sees it.
 */
export const NOT_A_CREDENTIAL_ANNOTATION = 'not-a-credential.policy.prod-gitops.io/';

/** Names that say "this holds a credential": password, token, secret, api key, private key… */
const CREDENTIAL_NAME =
  /pass(word|wd)?($|[^a-z])|(^|[^a-z])pwd|secret|token|api[-_.]?key|access[-_.]?key|private[-_.]?key|credential/i;

/** A value that is not itself a credential: empty, a reference, a path, a number, a flag or a duration. */
const NOT_A_LITERAL = [
  /^\s*$/,
  /^\$\(?[A-Za-z_][\w.-]*\)?$/, // $(VAR), $VAR, ArgoCD's $secret-key
  /^\$\{[^}]+\}$/, // ${VAR}
  /^\{\{.*\}\}$/s, // a template
  /^\//, // a file: the credential lives in a mounted Secret
  /^\d{1,6}$/,
  /^(true|false|yes|no|on|off|none|null)$/i,
  /^\d+(ms|s|m|h|d)$/,
];

/** `scheme://user:password@host`: a credential whatever the key is called. */
const URL_WITH_PASSWORD = /[a-z][a-z0-9+.-]*:\/\/[^\s/:@]+:[^\s/@]+@/i;

function literalProblem(name: string, value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  if (URL_WITH_PASSWORD.test(value)) return 'holds a URL with a password';
  if (!CREDENTIAL_NAME.test(name)) return undefined;
  return NOT_A_LITERAL.some((pattern) => pattern.test(value.trim())) ? undefined : 'holds a literal value';
}

/** Keys marked as not credentials, with a non-empty reason, on the object or its pod templates. */
function exceptionsOf(object: KubeObject, extra: readonly unknown[] = []): Set<string> {
  const keys = new Set<string>();
  for (const annotations of [object.metadata?.annotations, ...extra]) {
    if (typeof annotations !== 'object' || annotations === null) continue;
    for (const [key, reason] of Object.entries(annotations)) {
      if (key.startsWith(NOT_A_CREDENTIAL_ANNOTATION) && typeof reason === 'string' && reason.trim() !== '') {
        keys.add(key.slice(NOT_A_CREDENTIAL_ANNOTATION.length));
      }
    }
  }
  return keys;
}

export const NO_CREDENTIAL_IN_ENV: PolicyRule = {
  id: 'SEC002',
  title: 'No credential written into a container environment',
  fix:
    'Take the value from a Secret created outside Git (env[].valueFrom.secretKeyRef, or envFrom.secretRef). ' +
    `If the variable is no credential, say so on the object: annotation ${NOT_A_CREDENTIAL_ANNOTATION}<NAME>: <reason>.`,
  check: (object) =>
    podSpecsOf(object).flatMap(({ path, spec }) => {
      const exceptions = exceptionsOf(object, [annotationsAt(object, path)]);
      return containersOf(spec).flatMap(({ label, container, path: inPod }) =>
        (Array.isArray(container.env) ? container.env : []).flatMap((variable, index): Finding[] => {
          const name = String(variable?.name ?? '');
          const problem = exceptions.has(name) ? undefined : literalProblem(name, variable?.value);
          return problem
            ? [
                {
                  message: `${label}: env ${name} ${problem}`,
                  path: [...path, ...inPod, 'env', index, 'value'],
                },
              ]
            : [];
        }),
      );
    }),
};

/** `key: value` and `key=value` lines of a configuration file held in one ConfigMap value. */
const SETTING_LINE = /^\s*["']?([\w.-]+)["']?\s*[:=]\s*(.*?)\s*$/;

export const NO_CREDENTIAL_IN_CONFIGMAP: PolicyRule = {
  id: 'SEC003',
  title: 'No credential in a ConfigMap',
  fix:
    'Move the value to a Secret created outside Git and reference it (secretKeyRef, a mounted Secret, or "$<key>" where the tool supports it). ' +
    `If the key is no credential, say so on the ConfigMap: annotation ${NOT_A_CREDENTIAL_ANNOTATION}<key>: <reason>.`,
  check: (object) => {
    if (object.kind !== 'ConfigMap' || typeof object.data !== 'object' || object.data === null) return [];
    const exceptions = exceptionsOf(object);
    // ArgoCD's notification services are ARGO018's, which knows their credential fields.
    const argocdServices = object.metadata?.name === NOTIFICATIONS_CONFIGMAP;
    return Object.entries(object.data as Record<string, unknown>).flatMap(([key, value]): Finding[] => {
      if (exceptions.has(key) || typeof value !== 'string') return [];
      if (argocdServices && key.startsWith('service.')) return [];
      const problem = literalProblem(key, value);
      if (problem) return [{ message: `data.${key} ${problem}`, path: ['data', key] }];
      // A whole configuration file in one key: its settings hide credentials just as well.
      if (!value.includes('\n')) return [];
      const lines = value.split('\n');
      const line = lines.findIndex((text) => {
        const match = SETTING_LINE.exec(text);
        return match !== null && literalProblem(match[1], match[2].replace(/^["']|["']$/g, '')) !== undefined;
      });
      return line < 0
        ? []
        : [
            {
              message: `data.${key} line ${line + 1} sets ${SETTING_LINE.exec(lines[line])?.[1]} to a literal credential`,
              path: ['data', key],
            },
          ];
    });
  },
};

/** The rules of credentials in Git, in id order. */
export const SECRET_RULES: readonly PolicyRule[] = [
  NO_SECRET_DATA,
  NO_CREDENTIAL_IN_ENV,
  NO_CREDENTIAL_IN_CONFIGMAP,
];
