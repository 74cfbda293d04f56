import { KubeConfig } from '@kubernetes/client-node';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
// The drift modules themselves, not '../lib': the command starts in a second, not in five.
import { CommandSpec, UsageError } from '../lib/cli/command-line';
import { runCommand } from '../lib/cli/run-command';
import { formatDriftJson, formatDriftTable } from '../lib/drift/drift-report';
import { driftScopeOf } from '../lib/drift/drift-scope';
import { LiveObject, findDrift } from '../lib/drift/find-drift';
import { ClusterReadError, LiveCluster } from '../lib/drift/live-cluster';
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

runCommand(SPEC, async (commandLine) => {
  try {
    const cluster = new LiveCluster(
      kubeConfigOf(commandLine.value('kubeconfig'), commandLine.value('context')),
    );
    const server = cluster.server;
    const scope = driftScopeOf(
      loadManifests([join(__dirname, '..', APPLICATIONS_DIR)], { requireObjects: true }).map(
        ({ object }) => object,
      ),
    );
    await cluster.checkCredentials();
    for (const namespace of scope.namespaces) await cluster.checkNamespace(namespace);
    const { resources, unavailable } = await cluster.listableResources();
    for (const api of unavailable)
      console.error(`drift: warning: ${api.groupVersion} not checked: ${api.reason}`);
    const objects: LiveObject[] = [];
    for (const namespace of scope.namespaces) {
      for (const resource of resources) objects.push(...(await cluster.listObjects(resource, namespace)));
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
