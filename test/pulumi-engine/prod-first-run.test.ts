import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT } from '../../stacks/settings';
import { REPO_ROOT } from '../helpers/tools';
import { ClusterClient } from '../cluster/support/cluster-client';
import { adminClient, liveObject, removeGeneratedObjects } from './support/cluster-objects';
import { RecordedCall } from './support/fake-github-provider';
import { TEST_RELEASE_APP_ID, expectedInputs, protectionDifferences } from '../helpers/github-protection';
import { PulumiWorkspace, typeAndName } from './support/pulumi-workspace';
import { fullModeConfig } from './support/stack-configs';

/** For each GitHub resource, by name, the inputs of the last call of one of `methods`. */
const lastInputs = (
  calls: readonly RecordedCall[],
  methods: readonly RecordedCall['method'][],
): Record<string, unknown> =>
  Object.fromEntries(
    calls.filter((call) => methods.includes(call.method)).map((call) => [call.name, call.inputs]),
  );

// The prod stack's first run in full mode, as the README's "Admins" section gives it, command by
// command: the repository (on a FAKE GitHub provider, a recording stand-in), the production namespace and
// ArgoCD's (it was installed before) already exist and are adopted; then what the engine sends to GitHub,
// resource by resource.

const PROVIDER_URN = 'urn:pulumi:prod::production-infra::pulumi:providers:kubernetes::production-cluster';
const NAMESPACE = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'production' } };
/** A label someone else put on the existing namespace: the program does not declare it. */
const FOREIGN_LABEL = { 'example.org/owner': 'platform-team' };
/** The repository as it exists on the FAKE GitHub before the first run: merge commits still allowed. */
const EXISTING_REPOSITORY = {
  name: 'production-infra',
  visibility: 'private',
  allowMergeCommit: true,
  allowSquashMerge: true,
  allowRebaseMerge: true,
  fullName: 'fake-github/production-infra',
};
const WRITES: RecordedCall['method'][] = ['create', 'update', 'delete'];

/** The commands of the README's first run, as written there (without `# ...` comments). */
function readmeFirstRunCommands(): string[] {
  return readFileSync(join(REPO_ROOT, 'README.md'), 'utf8')
    .split('\n')
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter((line) => line.startsWith('pulumi up --target ') || line.startsWith('pulumi import '));
}

/** `pulumi a b --stack prod` of the README → `[a, b]`, quotes removed; the workspace adds the stack. */
const argsOf = (command: string): string[] =>
  (command.match(/'[^']*'|\S+/g) ?? [])
    .slice(1)
    .map((word) => word.replace(/^'(.*)'$/, '$1'))
    .filter((word, index, words) => word !== '--stack' && words[index - 1] !== '--stack');

let client: ClusterClient;
let workspace: PulumiWorkspace;
/** What the FAKE GitHub provider recorded during the `up` after the import. */
let firstUp: RecordedCall[];

beforeAll(async () => {
  client = adminClient();
  await removeGeneratedObjects(client);
  await client.create({ ...NAMESPACE, metadata: { name: 'production', labels: FOREIGN_LABEL } });
  await client.create({ ...NAMESPACE, metadata: { name: 'argocd' } });
  workspace = new PulumiWorkspace({
    stack: 'prod',
    config: fullModeConfig(),
    existingOnGitHub: { 'github:index/repository:Repository': { 'production-infra': EXISTING_REPOSITORY } },
  });
});

describe("the README's first run adopts what exists (real engine, FAKE GitHub provider)", () => {
  test('the README names the provider target and the import file this test runs', () => {
    expect(readmeFirstRunCommands()).toEqual([
      `pulumi up --target '${PROVIDER_URN}' --stack prod`,
      'pulumi import --file stacks/adopt-existing.json --generate-code=false --stack prod',
    ]);
  });

  test('pulumi up --target <provider>, then pulumi import --file stacks/adopt-existing.json, adopt the namespace and the repository', () => {
    // when: the README's two commands, confirmed with --yes as a non-interactive shell must (and without
    // the preview an admin reads first, which the other tests check)
    for (const command of readmeFirstRunCommands())
      workspace.must([...argsOf(command), '--yes', '--skip-preview']);
    // then
    const state = workspace
      .stateResources()
      .map((resource) => `${typeAndName(resource.urn)} ${resource.id ?? ''}`.trim());
    expect(state.some((entry) => entry.startsWith('pulumi:providers:kubernetes production-cluster'))).toBe(
      true,
    );
    expect(state).toContain('kubernetes:core/v1:Namespace namespace-production-namespace production');
    expect(state).toContain('kubernetes:core/v1:Namespace namespace-argocd-namespace argocd');
    expect(state).toContain(
      'github:index/repository:Repository production-infra-repository production-infra',
    );
    const reads = workspace.recorded().filter((call) => call.method === 'read');
    expect([...new Set(reads.map((call) => `${call.name} ${call.id}`))]).toEqual([
      'production-infra-repository production-infra',
    ]);
    expect(workspace.recorded().filter((call) => WRITES.includes(call.method))).toEqual([]);
  });

  test('the next up updates the adopted repository and namespace instead of creating them, keeping what it does not declare', async () => {
    // given
    const before = workspace.recorded().length;
    // when
    workspace.must(['up', '--yes', '--skip-preview']);
    firstUp = workspace.recorded().slice(before);
    // then: the repository is updated in place, the five other GitHub resources are created
    expect(
      firstUp
        .filter((call) => WRITES.includes(call.method))
        .map((call) => `${call.method} ${call.name}`)
        .sort(),
    ).toEqual([
      'create production-infra-history',
      'create production-infra-release-branch',
      'create production-infra-release-environment',
      'create production-infra-review',
      'create production-infra-workflow-permissions',
      'update production-infra-repository',
    ]);
    // and the namespace enforces Pod Security, the foreign label kept
    const namespace = await liveObject(client, NAMESPACE);
    expect(namespace?.metadata?.labels).toMatchObject({
      ...FOREIGN_LABEL,
      'pod-security.kubernetes.io/enforce': 'restricted',
    });
  });

  test('FAKE GitHub receives exactly the protection of main: rulesets on main, 1 approval, stale dismissal, last-push approval, resolved threads, squash only, the checks from GitHub Actions, strict, one bypass actor, no force push or deletion for anyone, read-only tokens, the release environment', () => {
    // when
    const sent = lastInputs(firstUp, ['create', 'update']);
    // then
    expect(protectionDifferences(sent)).toEqual([]);
    expect(sent).toEqual(expectedInputs());
  });

  test('after it, preview --expect-no-changes passes: nothing left to write, on GitHub or in the cluster', () => {
    // given
    const before = workspace.recorded().length;
    // when
    const check = workspace.run(['preview', '--expect-no-changes']);
    // then
    expect(check.status).toBe(0);
    expect(
      workspace
        .recorded()
        .slice(before)
        .filter((call) => WRITES.includes(call.method)),
    ).toEqual([]);
  });

  test('fails the protection check when the stack file is weakened (a copy without a required check, another bypass app)', () => {
    // given a copy of the stack settings with a check dropped and the bypass given to another app
    const config = fullModeConfig();
    const weakened = new PulumiWorkspace({
      stack: 'prod',
      config: {
        ...config,
        [`${PROJECT}:requiredChecks`]: (config[`${PROJECT}:requiredChecks`] as string[]).filter(
          (check) => check !== 'conformance',
        ),
        [`${PROJECT}:releaseAppId`]: String(TEST_RELEASE_APP_ID + 1),
      },
    });
    // when
    weakened.must(['preview']);
    // then the same comparison as above names exactly what changed
    expect(protectionDifferences(lastInputs(weakened.recorded(), ['check']))).toEqual([
      'production-infra-review: bypassActors',
      'production-infra-review: rules.requiredStatusChecks.requiredChecks',
    ]);
  });
});
