import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectations } from '../../stacks/access-matrix';
import { CLUSTER_RESOURCES } from '../helpers/cluster-plan';
import { REPO_ROOT } from '../helpers/tools';
import { ClusterClient } from '../cluster/support/cluster-client';
import { clusterTestEnv } from '../cluster/support/cluster-env';
import { authorizerAnswer } from './support/access-review';
import { pluginVersion } from './support/plugin-info';
import {
  adminClient,
  describeObject,
  generatedClusterObjects,
  liveObject,
  removeGeneratedObjects,
} from './support/cluster-objects';
import { PulumiWorkspace, typeAndName } from './support/pulumi-workspace';
import { clusterOnlyConfig } from './support/stack-configs';

// Cluster-only mode (clusterOnly: true) on an empty cluster: the plan, the objects, the access matrix on
// the live objects, and a second run that changes nothing.
const STACK = 'engine-fresh';

/** The plan of a first run, written out: what `pulumi preview` must show (type, then name). */
const FIRST_RUN_PLAN = [`pulumi:pulumi:Stack production-infra-${STACK}`, ...CLUSTER_RESOURCES];

/** stderr lines other than the engine's notice that it uses the suite's language host from PATH. */
const unexpectedStderr = (stderr: string): string[] =>
  stderr
    .split('\n')
    .filter((line) => line.trim() && !line.startsWith('warning: using pulumi-language-nodejs from $PATH'));
const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');
const STACK_FILE_PATH = join(REPO_ROOT, 'Pulumi.prod.yaml');

let client: ClusterClient;
let workspace: PulumiWorkspace;
let committedStackFile: string;

beforeAll(async () => {
  committedStackFile = sha256(STACK_FILE_PATH);
  client = adminClient();
  await removeGeneratedObjects(client);
  workspace = new PulumiWorkspace({ stack: STACK, config: clusterOnlyConfig() });
});

describe('pulumi up, cluster-only mode, on a cluster without our objects (real engine, real provider)', () => {
  test('preview shows the plan: create the provider, the ten components and the nineteen objects, nothing else', () => {
    // when
    const preview = JSON.parse(workspace.must(['preview', '--json']).stdout) as {
      steps: { op: string; urn: string }[];
    };
    // then
    expect(preview.steps.map((step) => `${step.op} ${typeAndName(step.urn)}`).sort()).toEqual(
      FIRST_RUN_PLAN.map((entry) => `create ${entry}`).sort(),
    );
  });

  test('up creates every object of infra/cluster/manifests, with the generated fields', async () => {
    // when
    workspace.must(['up', '--yes', '--skip-preview']);
    // then
    const objects = generatedClusterObjects();
    expect(objects).toHaveLength(23); // 3 of ArgoCD's, 11 of the environments' access, 9 of the Sealed Secrets controller
    for (const object of objects) {
      const live = await liveObject(client, object);
      expect({ object: describeObject(object), live: live !== undefined }).toEqual({
        object: describeObject(object),
        live: true,
      });
      expect(live).toMatchObject(object);
    }
    expect(workspace.lastChanges()).toEqual({ create: FIRST_RUN_PLAN.length });
  });

  test.each(expectations().map((cell) => [`${cell.persona.title}: ${cell.action}`, cell] as const))(
    'on the objects up created, the access matrix holds: %s',
    async (_title, cell) => {
      // when asking the real RBAC authorizer
      const answer = await authorizerAnswer(client, cell);
      // then
      expect(answer.allowed).toBe(cell.allowed);
    },
  );

  test('a second up changes nothing, and preview --expect-no-changes passes', () => {
    // when
    workspace.must(['up', '--yes', '--skip-preview']);
    const second = workspace.lastChanges();
    const check = workspace.run(['preview', '--expect-no-changes']);
    // then
    expect(second).toEqual({ same: FIRST_RUN_PLAN.length });
    expect({ status: check.status, stderr: unexpectedStderr(check.stderr) }).toEqual({
      status: 0,
      stderr: [],
    });
  });

  test('the namespace is protected in the state: pulumi destroy refuses to delete it', () => {
    // given / when
    const namespace = workspace
      .stateResources()
      .find(
        (resource) =>
          typeAndName(resource.urn) === 'kubernetes:core/v1:Namespace namespace-production-namespace',
      );
    // then
    expect(namespace?.protect).toBe(true);
  });

  test('the engine ran the pinned binaries: pulumi reports @pulumi/pulumi, the kubernetes plugin @pulumi/kubernetes', async () => {
    // given
    const { dependencies } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    // when
    const cli = workspace.must(['version'], false).stdout.trim();
    const provider = await pluginVersion(join(clusterTestEnv().binaries, 'pulumi-resource-kubernetes'));
    // then
    expect(cli).toBe(`v${dependencies['@pulumi/pulumi']}`);
    expect(provider).toBe(dependencies['@pulumi/kubernetes']);
  });

  test("the repository's stack file is untouched: the engine worked on a copy", () => {
    expect(sha256(STACK_FILE_PATH)).toBe(committedStackFile);
  });
});
