import { posix } from 'node:path';
import { k8s } from 'cdk8s-plus-28';
import { isDnsLabel } from '../manifest/dns-label';

/** A key of a Secret delivered as an environment variable of every container of the workload. */
export interface SecretEnvKey {
  /** The key in the Secret. */
  readonly key: string;
  /** Name of the environment variable holding the value, e.g. `DATABASE_PASSWORD`. */
  readonly env: string;
  readonly file?: never;
}

/** A key of a Secret delivered as a read-only file in every container of the workload. */
export interface SecretFileKey {
  /** The key in the Secret. */
  readonly key: string;
  /**
   * Absolute path of the file holding the value, e.g. `/etc/backend/db/ca.crt`. Its folder is mounted
   * from the Secret and holds only this secret's files.
   */
  readonly file: string;
  readonly env?: never;
}

/** How one key of a Secret reaches the containers: an environment variable or a file, never both. */
export type SecretKeyDelivery = SecretEnvKey | SecretFileKey;

/** A Secret a workload reads, and how each of its keys reaches the containers. */
export interface WorkloadSecret {
  /** Name of the Secret in the workload's namespace. */
  readonly secretName: string;
  /** Its keys, each once. */
  readonly keys: readonly SecretKeyDelivery[];
}

/** What a pod spec gets for its Secrets: container env and mounts, pod volumes. */
export interface SecretWiring {
  readonly env: k8s.EnvVar[];
  readonly volumeMounts: k8s.VolumeMount[];
  readonly volumes: k8s.Volume[];
}

export interface SecretWiringOptions {
  /**
   * Whether a pod may start without the Secret: the environment-neutral base and previews, which have
   * no sealed values. Each deployed environment requires them.
   */
  readonly optional: boolean;
  /** Folders the containers already mount (their scratch directory): no secret may be mounted there. */
  readonly mountedPaths: readonly string[];
  /** Who declares the secrets, at the start of every error, e.g. `service "backend" (charts/services.ts)`. */
  readonly where: string;
}

/** Owner and group may read, nobody writes: the pod's fsGroup gives the container's user the group. */
const FILE_MODE = 0o440;
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** True when folder `inner` is `outer` or below it. */
const isWithin = (inner: string, outer: string): boolean =>
  inner === outer || inner.startsWith(outer === '/' ? '/' : `${outer}/`);

/** Why `file` cannot be where a secret's key is mounted, or `undefined`. */
function filePathProblem(file: string): string | undefined {
  if (!file.startsWith('/')) return 'is not an absolute path';
  if (posix.normalize(file) !== file || file.endsWith('/'))
    return 'is not a normal path (no //, . or .., no trailing /)';
  if (posix.dirname(file) === '/')
    return 'is in /, which a secret cannot replace: give it a folder of its own';
  return undefined;
}

/**
 * The env entries, volumes and mounts that deliver `secrets` to a workload's containers: a
 * `secretKeyRef` per environment variable, and per folder of files a `secret` volume with one item per
 * key, mounted read-only there (mode 0440). Throws, naming `options.where`, the key and the fix, for a key
 * or variable given twice, a name Kubernetes refuses, a path that is not absolute, a folder shared by two
 * secrets, nested in another's, or one the containers already mount.
 */
export function wireSecrets(secrets: readonly WorkloadSecret[], options: SecretWiringOptions): SecretWiring {
  const fail = (problem: string, fix: string): never => {
    throw new Error(`${options.where}: ${problem}. Fix: ${fix}`);
  };
  const env: k8s.EnvVar[] = [];
  const folders = new Map<string, { secretName: string; items: k8s.KeyToPath[] }>();
  const secretNames = new Set<string>();
  for (const secret of secrets) {
    const { secretName } = secret;
    if (secretNames.has(secretName))
      fail(`Secret "${secretName}" is declared twice`, 'declare each secret once');
    secretNames.add(secretName);
    if (secret.keys.length === 0)
      fail(`Secret "${secretName}" has no keys`, 'list its keys, or drop the secret');
    const keys = new Set<string>();
    for (const delivery of secret.keys) {
      const what = `key "${delivery.key}" of Secret "${secretName}"`;
      if (!SECRET_KEY.test(delivery.key) || delivery.key.length > 253 || /^\.\.?$/.test(delivery.key)) {
        fail(`${what} is not a valid Secret key`, 'use letters, digits, "-", "_" and "." (at most 253)');
      }
      if (keys.has(delivery.key)) fail(`${what} is declared twice`, 'deliver each key once');
      keys.add(delivery.key);
      if (delivery.env !== undefined) {
        if (!ENV_NAME.test(delivery.env)) {
          fail(
            `${what}: env "${delivery.env}" is not a variable name`,
            'use letters, digits and "_", not starting with a digit',
          );
        }
        const taken = env.find((variable) => variable.name === delivery.env);
        if (taken) fail(`${what}: env ${delivery.env} is given twice`, 'give each key its own variable');
        env.push({
          name: delivery.env,
          valueFrom: { secretKeyRef: { name: secretName, key: delivery.key, optional: options.optional } },
        });
        continue;
      }
      const file = String(delivery.file);
      const problem = filePathProblem(file);
      if (problem)
        fail(
          `${what}: file "${file}" ${problem}`,
          'give an absolute path such as /etc/<service>/<secret>/<key>',
        );
      const folder = posix.dirname(file);
      const mounted = options.mountedPaths.find((path) => isWithin(folder, path) || isWithin(path, folder));
      if (mounted) {
        fail(
          `${what}: folder ${folder} of file ${file} overlaps ${mounted}, which the containers already mount`,
          'put the file in a folder of its own',
        );
      }
      const mount = folders.get(folder) ?? { secretName, items: [] };
      if (mount.secretName !== secretName) {
        fail(
          `${what}: folder ${folder} also holds files of Secret "${mount.secretName}", and a folder is mounted from one Secret`,
          'give each secret its own folder',
        );
      }
      mount.items.push({ key: delivery.key, path: posix.basename(file) });
      folders.set(folder, mount);
    }
  }
  const paths = [...folders.keys()];
  const nested = paths.find((inner) => paths.some((outer) => outer !== inner && isWithin(inner, outer)));
  if (nested) {
    const outer = paths.find((path) => path !== nested && isWithin(nested, path));
    fail(
      `folder ${nested} is inside folder ${outer}, which is mounted read-only from a Secret`,
      'use folders side by side, not one inside the other',
    );
  }
  const volumes: k8s.Volume[] = [];
  const volumeMounts: k8s.VolumeMount[] = [];
  const counts = new Map<string, number>();
  for (const [folder, { secretName, items }] of folders) {
    const count = (counts.get(secretName) ?? 0) + 1;
    counts.set(secretName, count);
    const name = `secret-${secretName}${count === 1 ? '' : `-${count}`}`;
    if (!isDnsLabel(name)) {
      fail(
        `volume "${name}" of Secret "${secretName}" is longer than 63 characters or no DNS label`,
        'give the secret a shorter name',
      );
    }
    volumes.push({ name, secret: { secretName, items, defaultMode: FILE_MODE, optional: options.optional } });
    volumeMounts.push({ name, mountPath: folder, readOnly: true });
  }
  return { env, volumeMounts, volumes };
}

/** A reference of a pod spec to a Secret: one key of it, or the whole Secret (`key` undefined). */
export interface SecretReference {
  readonly secretName: string;
  readonly key?: string;
  /** Where in the pod spec, e.g. `containers[0].env[1]`. */
  readonly at: string;
}

type Json = Record<string, unknown>;
const recordsAt = (value: unknown): Json[] =>
  Array.isArray(value) ? value.filter((item): item is Json => typeof item === 'object' && item !== null) : [];
const recordAt = (value: unknown): Json | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;

/** Every reference of `podSpec` to a Secret: env `secretKeyRef`, `envFrom.secretRef`, secret and projected volumes. */
export function secretReferencesIn(podSpec: unknown): SecretReference[] {
  const spec = recordAt(podSpec) ?? {};
  const found: SecretReference[] = [];
  for (const field of ['initContainers', 'containers', 'ephemeralContainers']) {
    recordsAt(spec[field]).forEach((container, index) => {
      recordsAt(container.env).forEach((variable, position) => {
        const ref = recordAt(recordAt(variable.valueFrom)?.secretKeyRef);
        if (ref)
          found.push({
            secretName: String(ref.name),
            key: String(ref.key),
            at: `${field}[${index}].env[${position}]`,
          });
      });
      recordsAt(container.envFrom).forEach((source, position) => {
        const ref = recordAt(source.secretRef);
        if (ref) found.push({ secretName: String(ref.name), at: `${field}[${index}].envFrom[${position}]` });
      });
    });
  }
  recordsAt(spec.volumes).forEach((volume, index) => {
    const sources = [
      { secret: recordAt(volume.secret), name: 'secretName', at: `volumes[${index}]` },
      ...recordsAt(recordAt(volume.projected)?.sources).map((source, position) => ({
        secret: recordAt(source.secret),
        name: 'name',
        at: `volumes[${index}].projected.sources[${position}]`,
      })),
    ];
    for (const { secret, name, at } of sources) {
      if (!secret) continue;
      const items = recordsAt(secret.items);
      if (items.length === 0) found.push({ secretName: String(secret[name]), at });
      for (const item of items) found.push({ secretName: String(secret[name]), key: String(item.key), at });
    }
  });
  return found;
}
