import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import {
  SEALED_VALUES_FILE_RULE,
  SEALING_CERTIFICATE_RULE,
  SEAL_INPUT_RULE,
  SealError,
  SealedValueSource,
  UsageError,
  certificateFingerprintOf,
  formatSealedValues,
  parseSealedValues,
  parseSealingCertificate,
  sealValue,
  sealedValueFolder,
  writeFileAtomically,
} from '../lib';
import { SEALED_SECRETS_CONTROLLER, SEALED_SECRETS_NAMESPACE } from '../lib/access';
import { ArgoCdSecretDeclaration, argocdSecrets } from './argocd-secrets';
import { EnvironmentDeclaration } from './environment-declaration';
import { environments as declaredEnvironments, production } from './environments';
import { SEALED_SECRETS_DIR, SEALING_CERTIFICATES_DIR, sealingCertificateFile } from './paths';
import { ServiceDeclaration } from './service-declaration';
import {
  ARGOCD_SEALED,
  SealedTarget,
  argocdTargetOf,
  sealCommandOf,
  serviceTargetsOf,
} from './sealed-targets';
import { services as catalog } from './services';

/** Where `kubeseal --fetch-cert` finds every cluster's controller: its namespace and Service (lib/access). */
const CONTROLLER_SERVICE = { namespace: SEALED_SECRETS_NAMESPACE, name: SEALED_SECRETS_CONTROLLER } as const;

/** What an administrator runs to commit the certificate of `cluster`'s controller. */
export const fetchCertificateCommand = (cluster: string): string =>
  `kubeseal --context <kube context of cluster ${cluster}> --fetch-cert ` +
  `--controller-namespace ${CONTROLLER_SERVICE.namespace} --controller-name ${CONTROLLER_SERVICE.name} ` +
  `> ${sealingCertificateFile(cluster)}`;

/** This repository's root: the charts folder's parent. */
const REPOSITORY_ROOT = join(__dirname, '..');

/** The sealed values committed below charts/sealed-secrets/ of the repository at `root`: what synth reads. */
export const committedSealedValues = (root: string = REPOSITORY_ROOT): SealedValueSource =>
  sealedValueFolder(root, SEALED_SECRETS_DIR);

/** The clusters whose certificate is committed in the repository at `root`: charts/sealing-certificates/<cluster>.pem. */
export function committedSealingClusters(root: string = REPOSITORY_ROOT): string[] {
  const folder = join(root, SEALING_CERTIFICATES_DIR);
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((name) => name.endsWith('.pem'))
    .map((name) => name.slice(0, -'.pem'.length));
}

/** One key to seal, and where. */
export interface SealRequest {
  /** Root of the repository the sealed file is written in. */
  readonly root: string;
  /** A service of the catalog, or `argocd` for ArgoCD's own Secrets (charts/argocd-secrets.ts). */
  readonly service: string;
  /**
   * One of its secrets: a service's `secrets[].name`, or `tls` for its Ingress certificate; one of
   * ArgoCD's Secrets by name.
   */
  readonly secret: string;
  /** One of that secret's keys. */
  readonly key: string;
  /**
   * The environment the value is for; ArgoCD's Secrets have none.
   * @default - production (`production` of charts/environments.ts) for a service's secret
   */
  readonly environment?: string;
  /** The value, as read from standard input. */
  readonly value: Buffer;
  /**
   * Keep one trailing line end of the value; by default it is removed (`echo` adds one).
   * @default false
   */
  readonly keepNewline?: boolean;
  /**
   * The certificate to seal with, relative to `root` or absolute.
   * @default - the committed certificate of the environment's cluster, charts/sealing-certificates/<cluster>.pem
   */
  readonly certificate?: string;
  /**
   * When the certificate must be valid.
   * @default - now
   */
  readonly now?: Date;
  /** @default - `services` of charts/services.ts */
  readonly services?: readonly ServiceDeclaration[];
  /** @default - `environments` of charts/environments.ts */
  readonly environments?: readonly EnvironmentDeclaration[];
  /** @default - `argocdSecrets` of charts/argocd-secrets.ts */
  readonly argocdSecrets?: readonly ArgoCdSecretDeclaration[];
}

/** What `sealIntoRepository` did. */
export interface SealResult {
  /** The file written, relative to the root. */
  readonly file: string;
  /** The environment, for a service's secret. */
  readonly environment?: string;
  /** The Secret and namespace the value is bound to. */
  readonly secretName: string;
  readonly namespace: string;
  /** The certificate sealed with, as given or committed, its expiry and fingerprint. */
  readonly certificate: string;
  readonly notAfter: Date;
  readonly fingerprint: string;
  /** Whether a trailing line end was removed from the value. */
  readonly removedLineEnd: boolean;
  /** Whether the key had a sealed value already, now replaced. */
  readonly replaced: boolean;
}

/**
 * The element of `list` named `name`, or a usage error listing the names. The error never repeats what
 * was given: a value typed where a name belongs (`npm run seal -- backend database hunter2`) must not
 * reach a terminal log or CI's output a second time.
 */
function named<T extends { readonly name: string }>(list: readonly T[], name: string, what: string): T {
  const found = list.find((item) => item.name === name);
  if (!found) {
    throw new UsageError(`the ${what} given is unknown; known: ${list.map((item) => item.name).join(', ')}`);
  }
  return found;
}

/** The value without one trailing line end (`\n` or `\r\n`), unless kept. */
function withoutLineEnd(value: Buffer, keep: boolean): { value: Buffer; removed: boolean } {
  if (keep || value.length === 0 || value[value.length - 1] !== 0x0a) return { value, removed: false };
  const cut = value.length > 1 && value[value.length - 2] === 0x0d ? 2 : 1;
  return { value: value.subarray(0, value.length - cut), removed: true };
}

/**
 * Seals one key's value, as kubeseal does with strict scope, into the file synth reads, keeping its other
 * keys, written atomically: a service's secret for one environment
 * (charts/sealed-secrets/<environment>/<Secret name>.json; `tls` is its Ingress certificate), or one of
 * ArgoCD's Secrets (charts/sealed-secrets/argocd/<name>.json). Checks everything before writing: the
 * service (or `argocd`), secret, key and environment (a
 * `UsageError`), the value (SEAL004: empty), the certificate (SEAL001: missing, unreadable, not RSA,
 * expired, or the same key as another cluster's) and the file already there (SEAL002: unreadable, or
 * sealed for another namespace or name). On any error nothing is written.
 */
export function sealIntoRepository(request: SealRequest): SealResult {
  const target = sealedTargetOf(request);
  const secretName = target.name;
  const file = committedSealedValues(request.root).fileOf(target.folder, secretName);

  const { value, removed } = withoutLineEnd(request.value, request.keepNewline ?? false);
  if (value.length === 0) {
    throw new SealError({
      rule: SEAL_INPUT_RULE,
      file: 'standard input',
      problem: removed
        ? 'holds nothing but a line end: the value is empty'
        : 'is empty: there is no value to seal',
      fix: `pipe the value in, e.g. ${sealCommandOf(target, request.key)}`,
    });
  }

  const cluster = target.cluster;
  const certificate = request.certificate ?? sealingCertificateFile(cluster);
  const certificatePath = isAbsolute(certificate) ? certificate : join(request.root, certificate);
  const fetch = `an administrator of cluster ${cluster} fetches it: ${fetchCertificateCommand(cluster)}`;
  if (!existsSync(certificatePath)) {
    throw new SealError({
      rule: SEALING_CERTIFICATE_RULE,
      file: certificate,
      problem: `does not exist: no certificate of cluster ${cluster} (for ${target.description}) is committed`,
      fix: `${fetch}, and commit it (it is public)`,
    });
  }
  const pem = readFileSync(certificatePath);
  const sealing = parseSealingCertificate(pem, { file: certificate, fix: fetch, now: request.now });
  const twin = otherClusterWithKey(request.root, cluster, sealing.fingerprint);
  if (twin) {
    throw new SealError({
      rule: SEALING_CERTIFICATE_RULE,
      file: certificate,
      problem: `holds the same key as ${twin}: every cluster's controller has a key pair of its own, so one of the two files is another cluster's certificate`,
      fix: `${fetch}; and check ${twin} the same way`,
    });
  }

  const path = join(request.root, file);
  const previous = existsSync(path) ? parseSealedValues(readFileSync(path, 'utf8'), file) : undefined;
  const namespace = target.namespace;
  if (previous && (previous.namespace !== namespace || previous.name !== secretName)) {
    throw new SealError({
      rule: SEALED_VALUES_FILE_RULE,
      file,
      problem:
        `was sealed for Secret ${previous.namespace}/${previous.name}, but ${target.description} ` +
        `is ${namespace}/${secretName}: its values decrypt only as the Secret they were sealed for`,
      fix: `delete ${file} and seal each of its keys again`,
    });
  }
  const sealed = sealValue(sealing.publicKey, value, { namespace, name: secretName });
  writeFileAtomically(
    path,
    formatSealedValues({
      namespace,
      name: secretName,
      encryptedData: { ...(previous?.encryptedData ?? {}), [request.key]: sealed },
    }),
  );
  return {
    file,
    environment: target.environment,
    secretName,
    namespace,
    certificate,
    notAfter: sealing.notAfter,
    fingerprint: sealing.fingerprint,
    removedLineEnd: removed,
    replaced: previous?.encryptedData[request.key] !== undefined,
  };
}

/**
 * The sealed Secret a request names, checked: the service (or `argocd`), the secret, the key and the
 * environment (a `UsageError` listing what there is).
 */
function sealedTargetOf(request: SealRequest): SealedTarget {
  if (request.service === ARGOCD_SEALED) {
    if (request.environment !== undefined) {
      throw new UsageError(
        `ArgoCD's Secrets belong to no environment: they live in namespace argocd of its cluster; drop --environment`,
      );
    }
    const declaration = named(request.argocdSecrets ?? argocdSecrets, request.secret, 'Secret of ArgoCD');
    return checkedKey(argocdTargetOf(declaration), request.key);
  }
  const environments = request.environments ?? declaredEnvironments;
  const environment = named(environments, request.environment ?? production.name, 'environment');
  const service = named(request.services ?? catalog, request.service, 'service');
  const targets = serviceTargetsOf(service, environment);
  const target = targets.find((candidate) => candidate.secret === request.secret);
  if (!target) {
    const declared = targets.map(({ secret }) => secret);
    throw new UsageError(
      `service "${service.name}" declares no such secret; it has ` +
        (declared.length > 0 ? declared.join(', ') : 'none: add it to secrets in charts/services.ts first'),
    );
  }
  return checkedKey(target, request.key);
}

/** `target`, once `key` is one of its keys; otherwise a usage error listing them. */
function checkedKey(target: SealedTarget, key: string): SealedTarget {
  if (!target.keys.includes(key)) {
    throw new UsageError(
      `the key given is not one of ${target.description}; it has ${target.keys.join(', ')}`,
    );
  }
  return target;
}

/** The committed certificate of another cluster than `cluster` with the key `fingerprint`, if any. */
function otherClusterWithKey(root: string, cluster: string, fingerprint: string): string | undefined {
  const folder = join(root, SEALING_CERTIFICATES_DIR);
  if (!existsSync(folder)) return undefined;
  return readdirSync(folder)
    .filter((name) => name.endsWith('.pem') && name !== `${cluster}.pem`)
    .map((name) => `${SEALING_CERTIFICATES_DIR}/${name}`)
    .find((file) => certificateFingerprintOf(readFileSync(join(root, file))) === fingerprint);
}
