import {
  SEALED_VALUES_FILE_RULE,
  SEALED_VALUE_PRESENT_RULE,
  SealError,
  SealedSecretType,
  SealedValueSource,
  SealedValues,
  sealedValueProblem,
} from '../lib';
import { ArgoCdSecretDeclaration, argocdSecrets } from './argocd-secrets';
import { argocd } from './config';
import { EnvironmentDeclaration, IN_CLUSTER } from './environment-declaration';
import { ServiceDeclaration } from './service-declaration';

/** The first argument of `npm run seal` for ArgoCD's own Secrets, and their folder of sealed values. */
export const ARGOCD_SEALED = 'argocd';

/** The secret a service's Ingress certificate is: `npm run seal -- <service> tls tls.crt|tls.key`. */
export const INGRESS_TLS_SECRET = 'tls';
const TLS_KEYS = ['tls.crt', 'tls.key'] as const;

/**
 * A Secret whose values Git holds sealed (ADR 0005): what `npm run seal` seals for and synth turns into
 * a SealedSecret. A service's declared secret in one environment, its Ingress certificate there, or
 * one of ArgoCD's own Secrets.
 */
export interface SealedTarget {
  /** What it is, as messages name it: `secret "database" of service "backend" in environment "prod"`. */
  readonly description: string;
  /** `npm run seal -- <owner> <secret> <key>`: a service's name, or `argocd`. */
  readonly owner: string;
  /** The secret as `npm run seal` names it: `database`, `tls`, or an ArgoCD Secret's name. */
  readonly secret: string;
  /** The environment `npm run seal --environment` names; none for ArgoCD's Secrets. */
  readonly environment?: string;
  /** The folder of charts/sealed-secrets/ holding its file: the environment's name, or `argocd`. */
  readonly folder: string;
  /** The cluster whose controller decrypts it: its certificate seals the values. */
  readonly cluster: string;
  /** The Secret the values are sealed for, and decrypt as only. */
  readonly namespace: string;
  readonly name: string;
  readonly keys: readonly string[];
  readonly type: SealedSecretType;
  /** Labels of its Secret (ArgoCD finds repository credentials by theirs). */
  readonly labels?: Readonly<Record<string, string>>;
  /** Keys written in plain sight, not sealed (a repository's URL). */
  readonly plainData?: Readonly<Record<string, string>>;
  /**
   * Whether the service's pods read it: true for a service's declared secret, which synth requires from
   * the start and whose values roll the pods (a checksum). What the platform declares (an Ingress
   * certificate, read by the ingress controller; ArgoCD's Secrets) is required only once the cluster's
   * certificate is committed, since nothing can be sealed before, and rolls no pods.
   */
  readonly readByPods: boolean;
}

/** The Secret a service's secret becomes in the cluster: `<service>-<secret>`. */
export const secretNameOf = (service: string, secret: string): string => `${service}-${secret}`;

/** The name of the cluster an environment runs in: its sealing certificate is `<name>.pem`. */
export const clusterOf = (environment: EnvironmentDeclaration): string =>
  environment.cluster?.name ?? IN_CLUSTER.name;

/** The Secret holding the certificate of host `<label>.<domain>`: `<label>-<tlsSecretSuffix>`. */
export const tlsSecretNameOf = (hostLabel: string, tlsSecretSuffix = 'tls'): string =>
  `${hostLabel}-${tlsSecretSuffix}`;

/** What seals one key of `target`, the value on standard input. */
export const sealCommandOf = (target: SealedTarget, key: string): string =>
  `npm run seal -- ${target.owner} ${target.secret} ${key}` +
  (target.environment === undefined ? '' : ` --environment ${target.environment}`) +
  ' < <file holding the value>';

/** A service's sealed Secrets in one environment: its declared secrets, then its Ingress certificate. */
export function serviceTargetsOf(
  service: ServiceDeclaration,
  environment: EnvironmentDeclaration,
): SealedTarget[] {
  const common = {
    owner: service.name,
    environment: environment.name,
    folder: environment.name,
    cluster: clusterOf(environment),
    namespace: environment.namespace,
  };
  const declared = (service.secrets ?? []).map((secret): SealedTarget => ({
    ...common,
    description: `secret "${secret.name}" of service "${service.name}" in environment "${environment.name}"`,
    secret: secret.name,
    name: secretNameOf(service.name, secret.name),
    keys: secret.keys.map(({ key }) => key),
    type: 'Opaque',
    readByPods: true,
  }));
  if (!service.ingress) return declared;
  return [
    ...declared,
    {
      ...common,
      description: `the Ingress certificate of service "${service.name}" in environment "${environment.name}"`,
      secret: INGRESS_TLS_SECRET,
      name: tlsSecretNameOf(service.ingress.hostLabel, environment.tlsSecretSuffix),
      keys: TLS_KEYS,
      type: 'kubernetes.io/tls',
      readByPods: false,
    },
  ];
}

/** The label by which ArgoCD finds credentials, and the kinds a sealed Secret of ArgoCD's may be. */
const SECRET_TYPE_LABEL = 'argocd.argoproj.io/secret-type';
const SEALABLE_SECRET_TYPES: readonly string[] = ['repository', 'repo-creds'];

/**
 * One of ArgoCD's Secrets, in its namespace of ArgoCD's own cluster. A declaration labelled as another
 * kind of ArgoCD Secret than repository credentials is refused: a `cluster` Secret would register a
 * deployment target, which charts/environments.ts declares and an administrator registers.
 */
export function argocdTargetOf(declaration: ArgoCdSecretDeclaration): SealedTarget {
  const type = declaration.labels?.[SECRET_TYPE_LABEL];
  if (type !== undefined && !SEALABLE_SECRET_TYPES.includes(type)) {
    throw new Error(
      `charts/argocd-secrets.ts: Secret "${declaration.name}" is labelled ${SECRET_TYPE_LABEL}: ${type}, but only ${SEALABLE_SECRET_TYPES.join(' and ')} credentials are declared there. ` +
        'Fix: declare a cluster in charts/environments.ts (an administrator registers it with ArgoCD), or remove the label',
    );
  }
  return {
    description: `ArgoCD's Secret "${declaration.name}"`,
    owner: ARGOCD_SEALED,
    secret: declaration.name,
    folder: ARGOCD_SEALED,
    cluster: IN_CLUSTER.name,
    namespace: argocd.namespace,
    name: declaration.name,
    keys: declaration.keys,
    type: 'Opaque',
    labels: declaration.labels,
    plainData: declaration.plainData,
    readByPods: false,
  };
}

/** Every sealed Secret of the repository: each service's in each environment, then ArgoCD's. */
export function sealedTargetsOf(
  services: readonly ServiceDeclaration[],
  environments: readonly EnvironmentDeclaration[],
  argocdDeclarations: readonly ArgoCdSecretDeclaration[] = argocdSecrets,
): SealedTarget[] {
  return [
    ...environments.flatMap((environment) =>
      services.flatMap((service) => serviceTargetsOf(service, environment)),
    ),
    ...argocdDeclarations.map(argocdTargetOf),
  ];
}

/**
 * Throws when two sealed Secrets would be one: the same name in one namespace of one cluster
 * (`backend` + `db-creds` and `backend-db` + `creds`, a declared secret named like an Ingress
 * certificate, or a service's secret named `tls` beside its certificate), since the second would read the
 * first's value. Rule SEAL002, naming both and the fix.
 */
export function checkSealedTargetsDistinct(targets: readonly SealedTarget[]): void {
  const owners = new Map<string, SealedTarget>();
  for (const target of targets) {
    const where = `${target.cluster}/${target.namespace}/${target.name}`;
    const owner = owners.get(where);
    if (owner !== undefined) {
      throw new Error(
        `[SEAL002] charts/services.ts: ${target.description} and ${owner.description} are both Secret "${target.name}" of namespace "${target.namespace}": the second would read the first's value. ` +
          `Fix: rename one of the secrets (a service's secret may not be named "${INGRESS_TLS_SECRET}" when it has an ingress: that is its certificate)`,
      );
    }
    owners.set(where, target);
  }
}

/** The sealed values of one target, checked, and a line per problem. */
export interface CheckedSealedValues {
  /** The values, when the file exists and names this Secret. */
  readonly values?: SealedValues;
  readonly problems: readonly string[];
}

/**
 * The sealed values of `target` from `source`, checked against it: a key without a value when one is
 * required (SEAL003, with the command that seals it), a key not declared, a value that is no sealed
 * value, or a file sealed for another Secret (SEAL002). `required` says whether missing values are a
 * problem (see `readByPods`).
 */
export function checkSealedValues(
  target: SealedTarget,
  source: SealedValueSource,
  required: boolean,
): CheckedSealedValues {
  const file = source.fileOf(target.folder, target.name);
  const problems: string[] = [];
  const problem = (rule: typeof SEALED_VALUE_PRESENT_RULE, text: string, fix: string): void => {
    problems.push(new SealError({ rule, file, problem: text, fix }).message);
  };
  let found: SealedValues | undefined;
  try {
    found = source.valuesOf(target.folder, target.name);
  } catch (error) {
    if (!(error instanceof SealError)) throw error;
    return { problems: [error.message] };
  }
  if (found && (found.namespace !== target.namespace || found.name !== target.name)) {
    problem(
      SEALED_VALUES_FILE_RULE,
      `was sealed for Secret ${found.namespace}/${found.name}, but ${target.description} is ${target.namespace}/${target.name}, and a value decrypts only as the Secret it was sealed for`,
      `delete the file and seal each key again: ${target.keys.map((key) => sealCommandOf(target, key)).join('; ')}`,
    );
    return { problems };
  }
  if (!found && !required) return { problems };
  const encryptedData = found?.encryptedData ?? {};
  for (const key of target.keys) {
    const value = encryptedData[key];
    if (value === undefined) {
      problem(
        SEALED_VALUE_PRESENT_RULE,
        `key "${key}" of ${target.description} has no sealed value${found ? '' : ' (the file does not exist)'}`,
        `${sealCommandOf(target, key)}, commit ${file}, then npm run synth`,
      );
      continue;
    }
    const malformed = sealedValueProblem(value);
    if (malformed) {
      problem(
        SEALED_VALUES_FILE_RULE,
        `encryptedData.${key} ${malformed}`,
        `seal it again: ${sealCommandOf(target, key)}`,
      );
    }
  }
  const keysOf = new Map<string, string[]>();
  for (const [key, value] of Object.entries(encryptedData))
    keysOf.set(value, [...(keysOf.get(value) ?? []), key]);
  for (const keys of [...keysOf.values()].filter((shared) => shared.length > 1)) {
    problem(
      SEALED_VALUES_FILE_RULE,
      `holds one sealed value under keys ${keys.join(' and ')}: a value was copied from one key to another`,
      `seal each key from its own value: ${keys.map((key) => sealCommandOf(target, key)).join('; ')}`,
    );
  }
  for (const key of Object.keys(encryptedData).filter((key) => !target.keys.includes(key))) {
    problem(
      SEALED_VALUES_FILE_RULE,
      `holds key "${key}", which ${target.description} does not have`,
      target.owner === ARGOCD_SEALED
        ? 'remove it from the file, or add it to the keys of the Secret in charts/argocd-secrets.ts'
        : 'declare it in charts/services.ts, or remove it from the file',
    );
  }
  return { values: found, problems };
}

/** A target with its checked sealed values. */
export interface SealedTargetValues {
  readonly target: SealedTarget;
  readonly values: SealedValues;
}

/**
 * `checkSealedValues` of each target, each required when its pods read it or its cluster's certificate
 * is committed: the targets whose values are there, and every problem of all of them.
 */
export function checkSealedTargets(
  targets: readonly SealedTarget[],
  source: SealedValueSource,
  sealingClusters: readonly string[],
): { values: SealedTargetValues[]; problems: string[] } {
  const checked = targets.map((target) => ({
    target,
    ...checkSealedValues(target, source, target.readByPods || sealingClusters.includes(target.cluster)),
  }));
  return {
    values: checked.flatMap(({ target, values }) => (values ? [{ target, values }] : [])),
    problems: checked.flatMap(({ problems }) => problems),
  };
}
