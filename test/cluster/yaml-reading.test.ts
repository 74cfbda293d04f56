import { stringify } from 'yaml';
import { loadYamlDocuments } from '../../lib/policy/kubernetes-yaml';
import { NO_MERGE_KEYS } from '../../lib/policy/yaml-rules';
import { ApiObject } from './support/cluster-client';
import { ClusterFixture } from './support/cluster-fixture';
import { generatedProductionDeployment } from './support/generated-manifests';
import { edited, Nested } from './support/workload-pod';

let fixture: ClusterFixture;
beforeAll(async () => {
  fixture = await ClusterFixture.prepare();
});

const deployment = (): ApiObject =>
  edited(generatedProductionDeployment(), (d) => (d.metadata.name = 'yaml-reading-probe'));

/** What the API server makes of a YAML text: a dry-run create, as kubectl sends the file. */
async function serverReads(text: string): Promise<Nested> {
  const response = await fixture.admin.request<Nested>({
    method: 'POST',
    path: await fixture.admin.pathOf(deployment(), false),
    query: { dryRun: 'All' },
    rawBody: text,
    contentType: 'application/yaml',
  });
  expect(response.status).toBe(201);
  return response.body;
}

/** Our Deployment with `replace` applied to its YAML text: the plain scalars under test. */
const withText = (replace: (text: string) => string): string => replace(stringify(deployment()));

describe('the policy reads YAML as the API server does (lib/policy/kubernetes-yaml.ts)', () => {
  test.each<[string, (text: string) => string, (object: Nested) => unknown]>([
    [
      'yes/no/on/off are booleans',
      (t) => t.replace(/automountServiceAccountToken: false/, 'automountServiceAccountToken: no'),
      (o) => o.spec.template.spec.automountServiceAccountToken,
    ],
    [
      'on is true',
      (t) => t.replace(/(\n {6}containers:)/, '\n      enableServiceLinks: on$1'),
      (o) => o.spec.template.spec.enableServiceLinks,
    ],
    [
      'a leading 0 is octal',
      (t) => t.replace(/\n {2}replicas: \d+/, '\n  replicas: 010'),
      (o) => o.spec.replicas,
    ],
    [
      'underscores group digits',
      (t) => t.replace(/\n {2}replicas: \d+/, '\n  replicas: 1_2'),
      (o) => o.spec.replicas,
    ],
    [
      '0x is hexadecimal',
      (t) => t.replace(/\n {2}replicas: \d+/, '\n  replicas: 0x0B'),
      (o) => o.spec.replicas,
    ],
  ])('%s, for both', async (_what, replace, pick) => {
    // given
    const text = withText(replace);
    // when
    const server = await serverReads(text);
    const [ours] = loadYamlDocuments(text).documents;
    // then
    expect(pick(ours.value as Nested)).toEqual(pick(server));
  });

  test.each([
    ['<<: {enableServiceLinks: true}'],
    ['!!merge "<<": {enableServiceLinks: true}'],
    ["!!merge '<<': {enableServiceLinks: true}"],
    ['!!merge <<: {enableServiceLinks: true}'],
  ])(
    'a merge key after a written key overrides it on the server, unlike YAML 1.1: so YAML001 refuses it (%s)',
    async (merge) => {
      // given
      const text = withText((t) =>
        t.replace(/(\n {4}spec:\n)/, `$1      enableServiceLinks: false\n      ${merge}\n`),
      );
      // when
      const server = await serverReads(text);
      const [document] = loadYamlDocuments(text).documents;
      const findings = NO_MERGE_KEYS.check(
        document.value as ApiObject,
        { allowedRegistries: [], shaTagLength: 7, catalog: {} },
        [],
        document,
      );
      // then the server applied the merge over the written key; the policy refuses the document
      expect(server.spec.template.spec.enableServiceLinks).toBe(true);
      expect(findings.map((finding) => finding.message)).toEqual([
        'spec.template.spec merges a mapping with <<',
      ]);
    },
  );
});
