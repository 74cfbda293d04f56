import { ARGOCD_CONFIGMAP, NOTIFICATIONS_CONFIGMAP } from '../argocd-api/argocd-conventions';
import { annotationsAt } from './pod-rule';
import { containersOf, podSpecsOf } from './pod-spec';
import { KubeObject } from '../manifest/kube-object';
import { SCOPE_ANNOTATIONS, SEALED_SECRET_TYPES, isSealedSecret } from '../secrets/sealed-secrets-api';
import { isAppProject } from './argocd-objects';
import { Finding, PolicyRule } from './types';

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** What a SealedSecret's template may hold: the Secret's metadata, its type and immutability. */
const TEMPLATE_FIELDS: ReadonlySet<string> = new Set(['metadata', 'type', 'immutable']);

/** The keys of ArgoCD repository credentials that are not secret, and may be written in plain sight. */
const PLAIN_REPOSITORY_KEYS: ReadonlySet<string> = new Set(['url', 'type']);

/**
 * True for the one plaintext a SealedSecret's template may hold: the `url` and `type` of ArgoCD
 * repository credentials (label `argocd.argoproj.io/secret-type: repository` or `repo-creds`), as literal
 * values: no template (`{{`), which could copy a sealed value into them, and no URL holding credentials.
 * Sealing the URL would let a pull request point it elsewhere unseen, and ArgoCD send the password there.
 */
function isPlainRepositoryData(object: KubeObject): boolean {
  const template = isRecord(object.spec) && isRecord(object.spec.template) ? object.spec.template : {};
  const labels =
    isRecord(template.metadata) && isRecord(template.metadata.labels) ? template.metadata.labels : {};
  const type = labels['argocd.argoproj.io/secret-type'];
  if (type !== 'repository' && type !== 'repo-creds') return false;
  if (!isRecord(template.data)) return false;
  return Object.entries(template.data).every(
    ([key, value]) =>
      PLAIN_REPOSITORY_KEYS.has(key) &&
      typeof value === 'string' &&
      !value.includes('{{') &&
      !/^[a-z][a-z0-9+.-]*:\/\/[^/]*@/i.test(value),
  );
}

export const NO_SECRET_DATA: PolicyRule = {
  id: 'SEC001',
  title: 'No Secret values in Git',
  fix:
    "Declare the secret in the service's catalog entry and seal each value with npm run seal: synth writes " +
    'a SealedSecret, which only the cluster can decrypt. Never commit a Secret with data, nor plaintext in a ' +
    "SealedSecret's spec.template.data.",
  check: (object) => {
    if (isSealedSecret(object)) {
      const template = isRecord(object.spec) && isRecord(object.spec.template) ? object.spec.template : {};
      // The template may say what the Secret is called and labelled, nothing it holds: no plaintext field
      // (data, stringData, anything unknown the CRD would drop but Git keeps) but a repository's URL and
      // type, and no type but Opaque and kubernetes.io/tls (a service-account-token type would have the
      // cluster mint a token).
      const findings: Finding[] = Object.keys(template)
        .filter(
          (field) => !TEMPLATE_FIELDS.has(field) && !(field === 'data' && isPlainRepositoryData(object)),
        )
        .map((field) => ({
          message: `SealedSecret's "spec.template.${field}" is not allowed: only ${[...TEMPLATE_FIELDS].join(', ')}; a value belongs in spec.encryptedData`,
          path: ['spec', 'template', field],
        }));
      if (
        template.type !== undefined &&
        !(SEALED_SECRET_TYPES as readonly unknown[]).includes(template.type)
      ) {
        findings.push({
          message: `SealedSecret's "spec.template.type" is ${JSON.stringify(template.type)}: only ${SEALED_SECRET_TYPES.join(' or ')}`,
          path: ['spec', 'template', 'type'],
        });
      }
      return findings;
    }
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

/** Names that say "this holds a credential": password, passphrase, token, secret, api key, private key… */
const CREDENTIAL_NAME =
  /pass(word|wd)?($|[^a-z])|passphrase|(^|[^a-z])pwd|secret|token|api[-_.]?key|access[-_.]?key|private[-_.]?key|auth[-_.]?keys?($|[^a-z])|credential/i;

/** A value that holds no credential whoever reads it: empty, a path, a number, a flag, a duration or a template. */
const NOT_A_LITERAL = [
  /^\s*$/,
  /^\{\{.*\}\}$/s, // a template
  /^\//, // a file: the credential lives in a mounted Secret
  /^\d{1,6}$/,
  /^(true|false|yes|no|on|off|none|null)$/i,
  /^\d+(ms|s|m|h|d)$/,
];

/**
 * References in a container's env: Kubernetes expands `$(NAME)` there and nothing else, so `$uperS3cret`
 * or `${DB_PASSWORD}` reaches the process exactly as written.
 */
const ENV_REFERENCES = [/^\$\([A-Za-z_][\w.-]*\)$/];

/**
 * References in a ConfigMap, whose reader is unknown: `${VAR}` and `$(VAR)` are substitution syntax
 * nearly everywhere, and `$VAR` is a shell variable only when it looks like an environment variable
 * (upper case, digits, `_`). Anything else after a `$` is taken literally, since a password may well
 * start with one (`$uperS3cret`). ArgoCD's `$key` is a reference in ArgoCD's own ConfigMaps only
 * (ARGOCD_CONFIG_REFERENCES); elsewhere nothing resolves it.
 */
const CONFIG_REFERENCES = [/^\$\{[^}]+\}$/, /^\$\([A-Za-z_][\w.-]*\)$/, /^\$[A-Z_][A-Z0-9_]*$/];

/** `scheme://user:password@host`: a credential whatever the key is called. */
const URL_WITH_PASSWORD = /[a-z][a-z0-9+.-]*:\/\/[^\s/:@]+:([^\s/@]+)@/gi;

function literalProblem(name: string, value: unknown, references: readonly RegExp[]): string | undefined {
  if (typeof value !== 'string') return undefined;
  // The password of a URL may be a reference its reader expands (`postgres://app:$(DB_PASSWORD)@db`).
  // Only a value with both `://` and `@` can hold one: most values are not searched at all.
  if (value.includes('@') && value.includes('://')) {
    for (const [, password] of value.matchAll(URL_WITH_PASSWORD))
      if (!references.some((pattern) => pattern.test(password))) return 'holds a URL with a password';
  }
  if (!CREDENTIAL_NAME.test(name)) return undefined;
  const text = value.trim();
  return [...NOT_A_LITERAL, ...references].some((pattern) => pattern.test(text))
    ? undefined
    : 'holds a literal value';
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
          const problem = exceptions.has(name)
            ? undefined
            : literalProblem(name, variable?.value, ENV_REFERENCES);
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

/** Whether a setting `name: value` writes a credential, given what its reader expands. */
type SettingProblem = (name: string, value: unknown) => string | undefined;

const problemWith =
  (references: readonly RegExp[]): SettingProblem =>
  (name, value) =>
    literalProblem(name, value, references);

/**
 * ArgoCD's own ConfigMaps (argocd-cm's `oidc.config`, dex, notifications) resolve `$<key>` from
 * argocd-secret and `$<secret>:<key>` from another Secret: there those are references too.
 */
const ARGOCD_CONFIG_REFERENCES = [...CONFIG_REFERENCES, /^\$[\w.-]+(:[\w.-]+)?$/];
const ARGOCD_CONFIGMAPS: ReadonlySet<string> = new Set([ARGOCD_CONFIGMAP, NOTIFICATIONS_CONFIGMAP]);

/** `key: value`, `key=value` and `export KEY=value` lines of a configuration file held in one ConfigMap value. */
const SETTING_LINE = /^\s*(?:export\s+)?["']?([\w.-]+)["']?\s*[:=]\s*(.*?)\s*$/;

/** `<name attributes>text</name>`, the text possibly in CDATA: an XML element holding only text. */
const XML_ELEMENT = /<([A-Za-z_][\w.:-]*)(?:\s[^<>]*)?>((?:[^<]|<!\[CDATA\[[\s\S]*?\]\]>)*)<\/\1\s*>/g;

/** The first setting of a JSON document that writes a credential, as its key path (`db.password`). */
function jsonCredential(node: unknown, problem: SettingProblem, at = ''): string | undefined {
  if (Array.isArray(node)) {
    // Elements carry no name to judge them by; a URL with a password among them shows in the whole value.
    return node.reduce<string | undefined>(
      (first, item, index) => first ?? jsonCredential(item, problem, `${at}[${index}]`),
      undefined,
    );
  }
  if (typeof node !== 'object' || node === null) return undefined;
  for (const [key, value] of Object.entries(node)) {
    const path = at === '' ? key : `${at}.${key}`;
    const found =
      typeof value === 'object' ? jsonCredential(value, problem, path) : problem(key, value) && path;
    if (found) return found;
  }
  return undefined;
}

/** The value as a JSON object or array, or undefined when it is none. */
function parsedJson(value: string): unknown {
  if (!/^\s*[[{]/.test(value)) return undefined;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return undefined;
  }
}

/** The first `key: value` / `key=value` / `export KEY=value` line of a file that writes a credential. */
function settingLineCredential(value: string, problem: SettingProblem): string | undefined {
  const lines = value.split('\n');
  // One line is a value, not a file of settings: `note: "password: see the wiki"` writes no password.
  if (lines.length < 2) return undefined;
  for (const [index, text] of lines.entries()) {
    const match = SETTING_LINE.exec(text);
    if (match && problem(match[1], match[2].replace(/^["']|["']$/g, ''))) {
      return `line ${index + 1} sets ${match[1]} to a literal credential`;
    }
  }
  return undefined;
}

/** The first XML element named like a credential that holds literal text (`<password>…</password>`). */
function xmlCredential(value: string, problem: SettingProblem): string | undefined {
  for (const element of value.matchAll(XML_ELEMENT)) {
    const text = element[2].replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, '$1');
    if (problem(element[1], text)) {
      const line = value.slice(0, element.index).split('\n').length;
      return `line ${line} sets <${element[1]}> to a literal credential`;
    }
  }
  return undefined;
}

/** What a configuration file held in one ConfigMap value (JSON, settings lines, XML) writes in clear. */
function embeddedCredential(value: string, problem: SettingProblem): string | undefined {
  const json = parsedJson(value);
  if (json === undefined) return settingLineCredential(value, problem) ?? xmlCredential(value, problem);
  const path = jsonCredential(json, problem);
  return path && `sets ${path} to a literal credential`;
}

const entriesOf = (field: unknown): [string, unknown][] =>
  typeof field === 'object' && field !== null ? Object.entries(field) : [];

export const NO_CREDENTIAL_IN_CONFIGMAP: PolicyRule = {
  id: 'SEC003',
  title: 'No credential in a ConfigMap',
  fix:
    'Move the value to a Secret created outside Git and reference it (secretKeyRef, a mounted Secret, or "$<key>" where the tool supports it). ' +
    `If the key is no credential, say so on the ConfigMap: annotation ${NOT_A_CREDENTIAL_ANNOTATION}<key>: <reason>.`,
  check: (object) => {
    if (object.kind !== 'ConfigMap') return [];
    // A mark names the ConfigMap key, also for a setting inside the file it holds: the file is the unit
    // review sees, and an annotation name could not spell every JSON path.
    const exceptions = exceptionsOf(object);
    // ArgoCD's notification services are ARGO018's, which knows their credential fields.
    const argocdServices = object.metadata?.name === NOTIFICATIONS_CONFIGMAP;
    const problem = problemWith(
      ARGOCD_CONFIGMAPS.has(String(object.metadata?.name)) ? ARGOCD_CONFIG_REFERENCES : CONFIG_REFERENCES,
    );
    const inData = entriesOf(object.data).flatMap(([key, value]): Finding[] => {
      if (exceptions.has(key) || typeof value !== 'string') return [];
      if (argocdServices && key.startsWith('service.')) return [];
      const found = problem(key, value) ?? embeddedCredential(value, problem);
      return found ? [{ message: `data.${key} ${found}`, path: ['data', key] }] : [];
    });
    // binaryData is base64 of the bytes: any value under a credential's name is the credential itself.
    const inBinaryData = entriesOf(object.binaryData).flatMap(([key, value]): Finding[] =>
      !exceptions.has(key) && CREDENTIAL_NAME.test(key) && typeof value === 'string' && value.trim() !== ''
        ? [{ message: `binaryData.${key} holds a literal value (base64-encoded)`, path: ['binaryData', key] }]
        : [],
    );
    return [...inData, ...inBinaryData];
  },
};

export const SEALED_SECRET_STRICT_SCOPE: PolicyRule = {
  id: 'SEC004',
  title: 'A SealedSecret is bound to its own namespace and name (strict scope)',
  fix:
    'Seal the values for this namespace and name (npm run seal seals with strict scope), drop the ' +
    'sealedsecrets.bitnami.com/cluster-wide and namespace-wide annotations, and let spec.template.metadata ' +
    "name the SealedSecret's own name and namespace, or none.",
  check: (object) => {
    if (!isSealedSecret(object)) return [];
    const spec = isRecord(object.spec) ? object.spec : {};
    const template =
      isRecord(spec.template) && isRecord(spec.template.metadata) ? spec.template.metadata : {};
    const annotated = [
      { annotations: object.metadata?.annotations as unknown, path: ['metadata', 'annotations'] },
      { annotations: template.annotations, path: ['spec', 'template', 'metadata', 'annotations'] },
    ].flatMap(({ annotations, path }): Finding[] =>
      isRecord(annotations)
        ? SCOPE_ANNOTATIONS.filter((key) => key in annotations).map((key) => ({
            message: `${path.join('.')} has ${key}: ${JSON.stringify(annotations[key])}, which widens the scope beyond its namespace and name`,
            path: [...path, key],
          }))
        : [],
    );
    const own = { name: object.metadata?.name, namespace: object.metadata?.namespace };
    const moved = (['name', 'namespace'] as const)
      .filter((field) => template[field] !== undefined && template[field] !== own[field])
      .map((field): Finding => ({
        message:
          `spec.template.metadata.${field} is ${JSON.stringify(template[field])}, but the SealedSecret's own is ` +
          (own[field] === undefined ? 'unset (given by whoever applies it)' : JSON.stringify(own[field])),
        path: ['spec', 'template', 'metadata', field],
      }));
    return [...annotated, ...moved];
  },
};

/**
 * Go's `filepath.Match` of one name (no `/`), as ArgoCD matches a project's group and kind patterns: `*`,
 * `?`, classes `[a-z]`, `[^x]` and `\` escapes. A malformed pattern matches nothing, as in Go.
 */
export function globMatches(pattern: string, name: string): boolean {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i];
    if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else if (char === '\\') {
      if (++i >= pattern.length) return false;
      source += pattern[i].replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
    } else if (char === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) return false;
      let body = pattern.slice(i + 1, end);
      const negated = body.startsWith('^');
      if (negated) body = body.slice(1);
      if (body === '') return false;
      source += `[${negated ? '^' : ''}${body.replace(/[\\\][^]/g, '\\$&')}]`;
      i = end;
    } else source += char.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
  }
  try {
    return new RegExp(`^${source}$`).test(name);
  } catch {
    return false;
  }
}

/**
 * An entry `{ group, kind }` of a project's resource list that matches core Secret, or might: a character
 * class or an escape (`[`, `\`) is taken as a match, since ArgoCD's matcher (Go's filepath.Match) reads
 * them in ways a second implementation can miss (`Secre[\]t]`); a project lists kinds literally.
 */
const matchesSecret = (entry: unknown): boolean => {
  if (!isRecord(entry)) return false;
  const [group, kind] = [String(entry.group ?? ''), String(entry.kind ?? '')];
  if (/[[\\]/.test(group) || /[[\\]/.test(kind)) return true;
  return globMatches(group, '') && globMatches(kind, 'Secret');
};

export const NO_SECRET_IN_PROJECTS: PolicyRule = {
  id: 'SEC005',
  title: 'No project lets ArgoCD apply a Secret',
  fix:
    'List in spec.namespaceResourceWhitelist exactly the namespaced kinds the project deploys: bitnami.com ' +
    'SealedSecret for secrets, never core Secret nor a pattern matching it (an absent list allows every kind).',
  check: (object) => {
    if (!isAppProject(object)) return [];
    const spec = isRecord(object.spec) ? object.spec : {};
    const blacklist = Array.isArray(spec.namespaceResourceBlacklist) ? spec.namespaceResourceBlacklist : [];
    if (blacklist.some(matchesSecret)) return [];
    const whitelist = spec.namespaceResourceWhitelist;
    if (whitelist === undefined || whitelist === null) {
      return [
        {
          message:
            'spec.namespaceResourceWhitelist is not set, so every namespaced kind is allowed, Secret included',
          path: ['spec'],
        },
      ];
    }
    return (Array.isArray(whitelist) ? whitelist : []).flatMap((entry, index): Finding[] =>
      matchesSecret(entry)
        ? [
            {
              message: `spec.namespaceResourceWhitelist[${index}] (group ${JSON.stringify(entry.group ?? '')}, kind ${JSON.stringify(entry.kind)}) allows core Secret`,
              path: ['spec', 'namespaceResourceWhitelist', index],
            },
          ]
        : [],
    );
  },
};

/** The rules of credentials in Git, in id order. */
export const SECRET_RULES: readonly PolicyRule[] = [
  NO_SECRET_DATA,
  NO_CREDENTIAL_IN_ENV,
  NO_CREDENTIAL_IN_CONFIGMAP,
  SEALED_SECRET_STRICT_SCOPE,
  NO_SECRET_IN_PROJECTS,
];
