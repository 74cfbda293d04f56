import { readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { accessMatrix, expectations } from '../../stacks/access-matrix';
import { committedClusterSettings } from '../../stacks/settings';
import { organisation } from '../../charts/config';
import { production } from '../../charts/environments';
import { services } from '../../charts/services';
import { ClusterClient } from '../cluster/support/cluster-client';
import { REPO_ROOT } from '../helpers/tools';
import { runTs } from '../helpers/temp-repo';
import { authorizerAnswer } from '../pulumi-engine/support/access-review';
import { PulumiWorkspace, typeAndName } from '../pulumi-engine/support/pulumi-workspace';
import { clusterOnlyConfig } from '../pulumi-engine/support/stack-configs';
import { application, explainApplication, syncedHealthy } from './support/application';
import { argocd, mintCiToken, terminateOperation } from './support/argocd-server';
import { gitopsEnv } from './support/gitops-env';
import { destinationData, restoreDestination } from './support/in-cluster-destination';
import { kubectl, kubectlGet } from './support/kubectl';
import { timed, waitUntil } from './support/wait-until';
import { WorkClone } from './support/work-clone';

const GUIDE = 'docs/adding-an-environment.md';
const guide = readFileSync(join(REPO_ROOT, GUIDE), 'utf8');
const STAGING = 'staging';
const SCRIPTS: Record<string, string> = { synth: 'bin/synth.ts', 'rbac:export': 'bin/rbac-export.ts' };

/** The body of the guide's fenced blocks whose info string is `info`, e.g. ```` ```ts environment ````. */
function blocks(info: string): string[] {
  const found = [...guide.matchAll(new RegExp('```' + info + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]);
  if (found.length === 0) throw new Error(`${GUIDE} has no \`\`\`${info} block`);
  return found;
}

/** `<organisation>-<component>-staging` → `<component>`. */
const componentOf = (name: string): string =>
  name.replace(new RegExp(`^${organisation}-`), '').replace(new RegExp(`-${STAGING}$`), '');

/** A command line split as a shell would split this guide's: words, and single-quoted words. */
const words = (line: string): string[] =>
  [...line.matchAll(/'([^']*)'|(\S+)/g)].map((match) => match[1] ?? match[2]);

/** The guide's commands: `npm run` scripts of its plain ```sh blocks, and the administrators' lines. */
const npmScripts = blocks('sh')
  .flatMap((body) => body.split('\n'))
  .map((line) => /^npm run (\S+)$/.exec(line.trim())?.[1])
  .filter((script): script is string => script !== undefined);
const adminLines = blocks('sh admin')
  .flatMap((body) => body.split('\n'))
  .map((line) => line.trim())
  .filter(Boolean);

// docs/adding-an-environment.md, followed on a work clone of main: its two blocks go where it says, its
// commands run as it writes them, the real Pulumi engine applies the cluster half to this stack's API
// server, and the real ArgoCD syncs the GitOps half. Then the access matrix is asked of the API server in
// both namespaces. Left as found: main reverted, the destination's namespaces restored, and the staging
// Applications pruned (the namespace and its access stay: the Pulumi state also holds production's objects,
// so the test does not destroy it).
describe(`${GUIDE}, followed on a copy of main: both halves of a staging environment, live`, () => {
  const env = gitopsEnv();
  const timeout = 180_000;
  const clone = new WorkClone();
  const client = ClusterClient.fromKubeconfigFile(env.kubeconfig);
  let staged = '';
  let clusterSecret: Record<string, string> | undefined;
  let workspace: PulumiWorkspace;
  /** The new environment's Applications, as synth wrote them in the clone. */
  let applications: string[] = [];

  beforeAll(() => {
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(clone.dir, 'node_modules'));
    // step 1: the declaration above the list, and the list naming it
    const file = join(clone.dir, 'charts/environments.ts');
    const lines = readFileSync(file, 'utf8').split('\n');
    const at = lines.findIndex((line) => line.startsWith('export const environments'));
    if (at === -1) throw new Error('charts/environments.ts has no `export const environments` line');
    const [declaration] = blocks('ts environment');
    const [list] = blocks('ts list');
    lines.splice(at, 1, declaration, list.trimEnd());
    writeFileSync(file, lines.join('\n'));
  });

  afterAll(() => {
    // main as found. Root would prune the staging Applications, but not in the simulation: PruneLast waits
    // for every other object, and the settings ConfigMaps root may not write never succeed (the finding in
    // docs/gitops-tests.md). So the test deletes what root would have pruned; the staging namespace and its
    // access stay (the Pulumi state holds production's objects too: the test destroys nothing).
    if (staged) {
      clone.git('revert', '--no-edit', staged);
      clone.git('push', '-q', 'origin', 'HEAD:refs/heads/main');
      terminateOperation('root');
      kubectl('delete', '-n', 'argocd', '--ignore-not-found', '--wait', 'application', ...applications);
      kubectl('delete', '-n', 'argocd', '--ignore-not-found', '--wait', 'appproject', STAGING);
    }
    if (clusterSecret) restoreDestination(clusterSecret);
  }, timeout);

  test('the guide generates with synth and rbac:export, then runs the tests; the administrators run pulumi up', () => {
    expect(npmScripts).toEqual(['synth', 'rbac:export']);
    expect(guide).toContain('```sh\nnpm run synth\nnpm run rbac:export\nnpm test\n```');
    expect(adminLines.map((line) => words(line).slice(0, 3).join(' '))).toEqual([
      'pulumi up --stack',
      'kubectl -n argocd',
      'argocd app sync',
    ]);
  });

  test('step 2: synth and rbac:export write both halves, and the clone is pushed to main', () => {
    for (const script of npmScripts.filter((name) => name in SCRIPTS)) {
      const run = runTs(clone.dir, SCRIPTS[script]);
      expect({ script, status: run.status, stderr: run.stderr }).toEqual({
        script,
        status: 0,
        stderr: expect.stringContaining(`${script}: wrote`),
      });
    }
    applications = readdirSync(join(clone.dir, 'infra/argocd/applications'))
      .filter((file) => file.endsWith(`-${STAGING}.yaml`))
      .map((file) => file.replace(/\.yaml$/, ''))
      .sort();
    // the guide's sync line names them all
    expect(words(adminLines[2]).slice(3).sort()).toEqual(applications);
    const changed = clone.git('status', '--porcelain').split('\n').filter(Boolean);
    expect(changed).toEqual(
      expect.arrayContaining(
        [
          ...applications.map((name) => `infra/argocd/applications/${name}.yaml`),
          ...applications.map((name) => `infra/k8s/${componentOf(name)}/overlays/${STAGING}/`),
          'infra/argocd/projects/staging.yaml',
          'infra/cluster/manifests/staging/',
        ].map((path) => `?? ${path}`),
      ),
    );
    staged = clone.commitAndPush('Add the staging environment (docs/adding-an-environment.md)');
  });

  test(
    'step 3: pulumi up creates the staging namespace, its access and admission, and changes nothing of production',
    async () => {
      // given production's objects as the stack's bootstrap applied them (kubectl apply -k infra/cluster/manifests)
      const before = kubectlGet<{ metadata: { uid: string } }>('namespace', production.namespace);
      workspace = new PulumiWorkspace({
        stack: 'gitops-staging',
        // The simulation has no GitHub: the cluster half only (the admin's `pulumi up --stack prod` does both).
        config: clusterOnlyConfig(),
        source: clone.dir,
        cluster: { kubeconfig: env.kubeconfig, scratch: env.scratch },
      });
      // when
      await timed('pulumi up (staging added)', () => workspace.must(['up', '--yes', '--skip-preview']));
      // then
      const created = workspace.stateResources().map((resource) => typeAndName(resource.urn));
      expect(created).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^kubernetes:core\/v1:Namespace staging-/),
          expect.stringMatching(
            /^kubernetes:admissionregistration.k8s.io\/v1:ValidatingAdmissionPolicy staging-/,
          ),
          expect.stringMatching(/^kubernetes:rbac.authorization.k8s.io\/v1:RoleBinding staging-gitops-sync/),
        ]),
      );
      const namespace = kubectlGet<{ metadata: { labels: Record<string, string> } }>('namespace', STAGING);
      expect(namespace?.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
      expect(kubectlGet<{ metadata: { uid: string } }>('namespace', production.namespace)?.metadata.uid).toBe(
        before?.metadata.uid,
      );
      // admission: an image from outside our registry is refused in staging as in production
      for (const namespace of [production.namespace, STAGING]) {
        expect(() =>
          kubectl(
            ...['-n', namespace, 'create', 'deployment', 'not-ours', '--image=docker.io/library/nginx:1.27'],
            '--dry-run=server',
          ),
        ).toThrow(/ghcr\.io\/robson\//);
      }
    },
    timeout,
  );

  test(
    `step 3: with the namespace in ArgoCD's destination, every ${STAGING} Application is Synced and Healthy`,
    async () => {
      // given the administrators' lines: the namespace in ArgoCD's destination, then one sync of each
      // Application root created (as on-call: here with the staging project's ci token, which may sync staging/*)
      clusterSecret = destinationData();
      const [, patch, sync] = adminLines.map(words);
      expect(patch[0]).toBe('kubectl');
      kubectl(...patch.slice(1));
      terminateOperation('root');
      await waitUntil(
        `root created ${applications.join(', ')}`,
        () => (applications.every((name) => application(name) !== undefined) ? true : undefined),
        90_000,
        () => explainApplication('root'),
      );
      expect(sync.slice(3)).toEqual(applications);
      await timed('argocd app sync (staging)', () => {
        try {
          argocd(['--auth-token', mintCiToken(STAGING), '--server', env.argocdServer], sync.slice(1));
        } catch (error) {
          // As the guide says: ArgoCD is syncing it already (the destination's change came first).
          if (!/another operation is already in progress/.test(String(error))) throw error;
        }
      });
      // when / then
      await timed(`${applications.length} staging Applications Synced and Healthy`, () =>
        waitUntil(
          `${applications.join(', ')} Synced and Healthy at ${staged}`,
          () => {
            // The stand-in for the ingress controller, as for production (run.sh).
            for (const ingress of kubectl('get', 'ingress', '-n', STAGING, '-o', 'name')
              .split('\n')
              .filter(Boolean)) {
              kubectl(
                'patch',
                '-n',
                STAGING,
                ingress,
                '--subresource=status',
                '--type=merge',
                '-p',
                '{"status":{"loadBalancer":{"ingress":[{"ip":"127.0.0.1"}]}}}',
              );
            }
            return applications.every((name) => syncedHealthy(application(name), staged)) ? true : undefined;
          },
          timeout,
          () => applications.map(explainApplication).join('\n'),
        ),
      );
      const deployment = kubectlGet<{ spec: { replicas: number } }>('deployment', '-n', STAGING, 'backend');
      expect(deployment?.spec.replicas).toBe(
        services.find((s) => s.name === 'backend')?.settings.base.replicas,
      );
    },
    timeout,
  );

  test.each([production.namespace, STAGING])(
    'the access matrix holds in namespace %s, asked of the API server',
    async (namespace) => {
      const cells = expectations(accessMatrix(committedClusterSettings(), namespace));
      const wrong: string[] = [];
      for (const cell of cells) {
        const answer = await authorizerAnswer(client, cell);
        if (answer.allowed !== cell.allowed) wrong.push(`${answer.request}: want ${cell.allowed}`);
      }
      expect({ cells: cells.length > 20, wrong }).toEqual({ cells: true, wrong: [] });
    },
    timeout,
  );
});
