import { KubeConfig } from '@kubernetes/client-node';
import { existsSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { RequestOptions, request as httpsRequest } from 'node:https';
import { homedir } from 'node:os';
import { join } from 'node:path';
// The drift modules themselves, not '../lib': the command starts in a second, not in five.
import { CommandSpec, UsageError } from '../lib/cli/command-line';
import { runCommand } from '../lib/cli/run-command';
import { formatDriftJson, formatDriftTable } from '../lib/drift/drift-report';
import { driftScopeOf } from '../lib/drift/drift-scope';
import { LiveObject, UNTRACKED_KINDS_IGNORED, findDrift, groupKindOf } from '../lib/drift/find-drift';
import { ManifestError, loadManifests } from '../lib/policy/load-manifests';
import { isApiObject } from '../lib/manifest/object-id';
import { ARGOCD_DIR, ARGOCD_KIND_DIRS, CLUSTER_MANIFESTS_DIR, INFRA_DIR } from '../charts/paths';

const APPLICATIONS_DIR = `${INFRA_DIR}/${ARGOCD_DIR}/${ARGOCD_KIND_DIRS.Application}`;
/** What `pulumi up` applies: ours, but not ArgoCD's. */
const PULUMI_APPLIED_DIR = `${INFRA_DIR}/${CLUSTER_MANIFESTS_DIR}`;

const SPEC: CommandSpec = {
  name: 'drift',
  description:
    `Finds the hand changes ArgoCD cannot see, in the live namespaces our Applications deploy to (their ` +
    `destinations in ${APPLICATIONS_DIR}/, ArgoCD's own namespace left out): every field of an object ArgoCD ` +
    'tracks that a manager other than ArgoCD or a Kubernetes controller set (metadata.managedFields: ' +
    'kubectl-edit, kubectl-patch, kubectl-client-side-apply...), and every object no Application tracks ' +
    '(argocd.argoproj.io/tracking-id) and nothing owns. Reads only; see docs/drift.md.',
  options: [
    {
      name: 'kubeconfig',
      value: 'file',
      description: 'kubeconfig to use (default: $KUBECONFIG, else ~/.kube/config)',
    },
    {
      name: 'context',
      value: 'name',
      description: "the kubeconfig's context to use (default: its current context)",
    },
    { name: 'json', description: 'print the findings as JSON instead of a table' },
  ],
  exitStatus: {
    0: 'no hand change',
    1: 'hand changes found (listed)',
    2: 'bad usage, unreadable kubeconfig, or the cluster could not be read',
  },
  examples: ['npm run drift', 'npm run drift -- --context production --json'],
};

/** The cluster could not be read: exit 2, the message says what and how to fix it. */
class ClusterReadError extends Error {
  constructor(
    message: string,
    /** The HTTP status, when the server answered. */
    readonly status?: number,
  ) {
    super(message);
  }
}

/** The kubeconfig the options name, checked: a missing file or context is the caller's to fix. */
function kubeConfigOf(file: string | undefined, context: string | undefined): KubeConfig {
  const kubeConfig = new KubeConfig();
  if (file !== undefined) {
    if (!existsSync(file)) throw new UsageError(`--kubeconfig ${file}: no such file`);
    try {
      kubeConfig.loadFromFile(file);
    } catch (error) {
      throw new UsageError(`--kubeconfig ${file} is not a kubeconfig: ${(error as Error).message}`);
    }
  } else {
    const defaultFile = join(homedir(), '.kube', 'config');
    if (!process.env.KUBECONFIG && !existsSync(defaultFile)) {
      throw new UsageError(
        `no kubeconfig: pass --kubeconfig <file>, set KUBECONFIG, or create ${defaultFile}`,
      );
    }
    kubeConfig.loadFromDefault();
  }
  if (context !== undefined) {
    if (!kubeConfig.getContextObject(context)) {
      const known = kubeConfig.getContexts().map((c) => c.name);
      throw new UsageError(
        `--context ${context}: the kubeconfig has no such context; it has ${known.length > 0 ? known.join(', ') : 'none'}`,
      );
    }
    kubeConfig.setCurrentContext(context);
  }
  if (!kubeConfig.getCurrentCluster()) {
    throw new UsageError(
      'the kubeconfig names no current cluster: pass --kubeconfig <file> and/or --context <name>',
    );
  }
  return kubeConfig;
}

/** A GET of `path` with the kubeconfig's credentials; the JSON body, or a `ClusterReadError`. */
async function get<T>(kubeConfig: KubeConfig, path: string): Promise<T> {
  const server = kubeConfig.getCurrentCluster()?.server ?? '';
  const url = new URL(path, server);
  const options: RequestOptions = { method: 'GET', headers: { Accept: 'application/json' } };
  await kubeConfig.applyToHTTPSOptions(options).catch((error: Error) => {
    throw new ClusterReadError(`the kubeconfig's settings for ${server} cannot be used: ${error.message}`);
  });
  const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
  const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = send(url, { ...options, timeout: 30_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('no answer in 30s')));
    req.on('error', reject);
    req.end();
  }).catch((error: Error) => {
    throw new ClusterReadError(
      `cannot reach the API server at ${server} (${error.message}): is the cluster up, and are --kubeconfig/--context the right ones?`,
    );
  });
  if (status >= 400) {
    let message = text.trim();
    try {
      message = (JSON.parse(text) as { message?: string }).message ?? message;
    } catch {
      // not a Status: the body as it is
    }
    throw new ClusterReadError(`GET ${url.pathname}${url.search}: ${status} ${message}`, status);
  }
  return JSON.parse(text) as T;
}

interface ResourceList {
  readonly resources: readonly {
    name: string;
    kind: string;
    namespaced: boolean;
    verbs: readonly string[];
  }[];
}
interface ApiResource {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
}

/** An API group version whose discovery failed (an aggregated API whose server is down). */
interface UnavailableApi {
  readonly groupVersion: string;
  readonly reason: string;
}

/**
 * Every namespaced kind the server lists, at its preferred version, less the ones drift never reports.
 * A group version whose discovery fails is set aside and said so, rather than failing the whole check:
 * an aggregated API (metrics.k8s.io) is often briefly down, and holds no object of ours.
 */
async function listableResources(
  kubeConfig: KubeConfig,
): Promise<{ resources: ApiResource[]; unavailable: UnavailableApi[] }> {
  const groups = await get<{ groups: { preferredVersion: { groupVersion: string } }[] }>(kubeConfig, '/apis');
  const versions = ['v1', ...groups.groups.map((group) => group.preferredVersion.groupVersion)];
  const resources: ApiResource[] = [];
  const unavailable: UnavailableApi[] = [];
  for (const apiVersion of versions) {
    let list: ResourceList;
    try {
      list = await get<ResourceList>(kubeConfig, apiVersion === 'v1' ? '/api/v1' : `/apis/${apiVersion}`);
    } catch (error) {
      if (!(error instanceof ClusterReadError && error.status !== undefined) || apiVersion === 'v1')
        throw error;
      unavailable.push({ groupVersion: apiVersion, reason: error.message });
      continue;
    }
    for (const resource of list.resources) {
      if (resource.name.includes('/') || !resource.namespaced || !resource.verbs.includes('list')) continue;
      if (groupKindOf(apiVersion, resource.kind) in UNTRACKED_KINDS_IGNORED) continue;
      resources.push({ apiVersion, kind: resource.kind, name: resource.name });
    }
  }
  return { resources, unavailable };
}

/** Every object of `resource` in `namespace`, page by page, with its apiVersion and kind filled in. */
async function listObjects(
  kubeConfig: KubeConfig,
  resource: ApiResource,
  namespace: string,
): Promise<LiveObject[]> {
  const root = resource.apiVersion === 'v1' ? '/api/v1' : `/apis/${resource.apiVersion}`;
  const objects: LiveObject[] = [];
  let token: string | undefined;
  do {
    const query = `limit=500${token ? `&continue=${encodeURIComponent(token)}` : ''}`;
    const page = await get<{ items: LiveObject[]; metadata?: { continue?: string } }>(
      kubeConfig,
      `${root}/namespaces/${encodeURIComponent(namespace)}/${resource.name}?${query}`,
    );
    objects.push(
      ...page.items.map((item) => ({ ...item, apiVersion: resource.apiVersion, kind: resource.kind })),
    );
    token = page.metadata?.continue || undefined;
  } while (token);
  return objects;
}

runCommand(SPEC, async (commandLine) => {
  try {
    const kubeConfig = kubeConfigOf(commandLine.value('kubeconfig'), commandLine.value('context'));
    const server = kubeConfig.getCurrentCluster()?.server ?? '';
    const scope = driftScopeOf(
      loadManifests([join(__dirname, '..', APPLICATIONS_DIR)], { requireObjects: true }).map(
        ({ object }) => object,
      ),
    );
    for (const namespace of scope.namespaces) {
      await get(kubeConfig, `/api/v1/namespaces/${encodeURIComponent(namespace)}`).catch((error: Error) => {
        throw error instanceof ClusterReadError && error.status === 404
          ? new ClusterReadError(
              `namespace ${namespace}, where our Applications deploy, does not exist on ${server}: is this the right cluster?`,
            )
          : error;
      });
    }
    const { resources, unavailable } = await listableResources(kubeConfig);
    for (const api of unavailable)
      console.error(`drift: warning: ${api.groupVersion} not checked: ${api.reason}`);
    const objects: LiveObject[] = [];
    for (const namespace of scope.namespaces) {
      for (const resource of resources) objects.push(...(await listObjects(kubeConfig, resource, namespace)));
    }
    const appliedElsewhere = loadManifests([join(__dirname, '..', PULUMI_APPLIED_DIR)])
      .map(({ object }) => object)
      .filter(isApiObject);
    const findings = findDrift(objects, { applications: scope.applications, appliedElsewhere });
    if (commandLine.has('json')) {
      process.stdout.write(
        formatDriftJson(findings, {
          server,
          namespaces: scope.namespaces,
          objects: objects.length,
          notChecked: scope.skipped,
          unavailableApis: unavailable,
        }),
      );
    } else {
      process.stdout.write(formatDriftTable(findings));
      const skipped = scope.skipped.map((s) => `; not checked: ${s.namespace} (${s.reason})`).join('');
      console.error(
        `drift: ${findings.length} finding(s) in ${objects.length} object(s) of ${scope.namespaces.join(', ')} on ${server}${skipped}`,
      );
    }
    return findings.length > 0 ? 1 : 0;
  } catch (error) {
    // Exit 1 means "hand changes found": a check that could not run must not look like one.
    if (error instanceof UsageError) throw error;
    const known = error instanceof ClusterReadError || error instanceof ManifestError;
    console.error(`drift: ${known ? (error as Error).message : `unexpected error: ${String(error)}`}`);
    return 2;
  }
});
