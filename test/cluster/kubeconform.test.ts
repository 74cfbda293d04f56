import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { findTool } from '../../lib/kustomize/kustomize-build';
import { ApiObject, ApiResponse, ClusterClient, apiErrorOf } from './support/cluster-client';
import { ClusterFixture, PROD_SET } from './support/cluster-fixture';
import { ManifestSet, REPO_ROOT, generatedManifestSets } from './support/generated-manifests';
import { schemaLocation, writeKubeconformSchemas } from './support/kubeconform-schemas';
import { PROBE_APPLICATION } from './support/probe-application';
import { edited } from './support/workload-pod';

const sets = generatedManifestSets().filter((set) => set.objects.length > 0);

interface KubeconformResource {
  readonly filename: string;
  readonly kind: string;
  readonly name: string;
  readonly version: string;
  readonly status: 'statusValid' | 'statusInvalid' | 'statusError' | 'statusSkipped' | 'statusEmpty';
  readonly msg: string;
}

let fixture: ClusterFixture;
let schemas: string;
let work: string;

/** The CRD path of the comparison. */
const application = PROBE_APPLICATION;

beforeAll(async () => {
  fixture = await ClusterFixture.prepare();
  work = join(fixture.env.scratch, 'kubeconform');
  schemas = join(work, 'schemas');
  const kinds = [...fixture.allObjects().map(({ object }) => object), application];
  await writeKubeconformSchemas(fixture.admin, schemas, kinds);
});

/** `kubeconform -strict` over `files`, with the schemas generated from the API server; one result per object. */
function kubeconform(files: readonly string[]): KubeconformResource[] {
  const result = spawnSync(
    findTool('kubeconform', REPO_ROOT),
    ['-strict', '-verbose', '-output', 'json', '-schema-location', schemaLocation(schemas), ...files],
    { encoding: 'utf8' },
  );
  if (result.error) throw result.error;
  try {
    return (JSON.parse(result.stdout) as { resources: KubeconformResource[] }).resources;
  } catch {
    throw new Error(
      `kubeconform printed no JSON report (exit ${result.status}): ${result.stdout}${result.stderr}`,
    );
  }
}

function filesOf(set: ManifestSet): string[] {
  if ('files' in set.input) return [...set.input.files];
  mkdirSync(work, { recursive: true });
  const file = join(work, `${set.name.replace(/[^a-z0-9]+/gi, '-')}.yaml`);
  writeFileSync(file, set.input.rendered);
  return [file];
}

describe('kubeconform -strict, with schemas generated from the API server, agrees with it', () => {
  test.each(sets.map((set) => [set.name, set] as const))(
    'every object of %s is valid, as the server found',
    (_name, set) => {
      // when
      const results = kubeconform(filesOf(set));

      // then every object was validated (none skipped for lack of a schema) and found valid
      expect(results.map((r) => `${r.kind} ${r.name}: ${r.status} ${r.msg}`.trim()).sort()).toEqual(
        set.objects.map(({ object }) => `${object.kind} ${object.metadata?.name}: statusValid`).sort(),
      );
    },
  );

  const deployment = (): ApiObject => {
    const found = sets
      .find((s) => s.name === PROD_SET)
      ?.objects.find(({ object }) => object.kind === 'Deployment');
    if (!found) throw new Error(`${PROD_SET} renders no Deployment`);
    return edited(found.object, (d) => (d.metadata.name = 'kubeconform-probe'));
  };

  /**
   * Each variant as the YAML text both judges read, and what both must name in their refusal.
   * kubeconform reports a schema violation as `statusInvalid` and a YAML it cannot read as `statusError`.
   */
  const VARIANTS: readonly [string, () => string, KubeconformResource['status'], RegExp][] = [
    [
      'a Deployment with a field its schema does not know',
      () =>
        stringify(
          edited(deployment(), (d) => (d.spec.template.spec.containers[0].imagePullPolicyy = 'Always')),
        ),
      'statusInvalid',
      /imagePullPolicyy/,
    ],
    [
      'a Deployment whose replicas are a string',
      () => stringify(edited(deployment(), (d) => (d.spec.replicas = 'three'))),
      'statusInvalid',
      /replicas/,
    ],
    [
      'a Deployment with a duplicated key',
      () => stringify(deployment()).replace(/^( {2})replicas: (\d+)$/m, '$1replicas: $2\n$1replicas: 9'),
      'statusError',
      /replicas/,
    ],
    [
      'an ArgoCD Application with a field its CRD does not declare',
      () => stringify(edited(application, (a) => (a.spec.syncPolicy.automated.selfHeall = true))),
      'statusInvalid',
      /selfHeall/,
    ],
  ];

  /** The API server's verdict on a YAML document: a create, dry run, strict field validation. */
  async function serverVerdict(
    client: ClusterClient,
    text: string,
    object: ApiObject,
  ): Promise<ApiResponse<ApiObject>> {
    return client.request({
      method: 'POST',
      path: await client.pathOf(object, false),
      query: { dryRun: 'All', fieldValidation: 'Strict' },
      rawBody: text,
      contentType: 'application/yaml',
    });
  }

  test.each([
    ['the Deployment', () => stringify(deployment()), deployment],
    ['the Application', () => stringify(application), () => application],
  ])('both accept %s before it is broken', async (_what, text, object) => {
    // given
    const file = join(work, 'control.yaml');
    writeFileSync(file, text());

    // when
    const [result] = kubeconform([file]);
    const response = await serverVerdict(fixture.admin, text(), object());

    // then
    expect(`${result.status} ${result.msg}`.trim()).toBe('statusValid');
    expect(response.status).toBe(201);
  });

  test.each(VARIANTS)(
    'fails on %s, in kubeconform and in the API server alike',
    async (what, text, status, names) => {
      // given
      mkdirSync(work, { recursive: true });
      const file = join(work, `${what.replace(/[^a-z0-9]+/gi, '-')}.yaml`);
      writeFileSync(file, text());
      const object = what.includes('Application') ? application : deployment();

      // when
      const [result] = kubeconform([file]);
      const error = await apiErrorOf(serverVerdict(fixture.admin, text(), object));

      // then both refuse it, naming the same field
      expect({ status: result.status, names: names.test(result.msg) }).toEqual({ status, names: true });
      expect({ status: error.status, names: names.test(error.message) }).toEqual({
        status: 400,
        names: true,
      });
    },
  );
});
