import { production } from '../../charts/environments';
import { POD_SECURITY_CONTROLS, PodSecurityControl, compliantPod } from '../lib/policy/pod-security-controls';
import { ApiObject, apiErrorOf } from './support/cluster-client';
import { ClusterFixture, PROD_SET } from './support/cluster-fixture';
import { generatedProductionDeployment } from './support/generated-manifests';
import { podTemplateOf } from './support/workload-pod';

/** The image of our Deployment: the image admission policy admits it, so only Pod Security judges. */
const image = (() => {
  const template = podTemplateOf(generatedProductionDeployment());
  const found = (template?.spec as { containers?: { image?: string }[] } | undefined)?.containers?.[0]?.image;
  if (!found) throw new Error(`${PROD_SET} renders no Deployment with an image`);
  return found;
})();

const enforced = POD_SECURITY_CONTROLS.filter((row) => row.admittedBecause === undefined);
const ahead = POD_SECURITY_CONTROLS.filter((row) => row.admittedBecause !== undefined);

let fixture: ClusterFixture;
beforeAll(async () => {
  fixture = await ClusterFixture.prepare();
});

const pod = (name: string, edit?: (spec: ApiObject, metadata: ApiObject) => void): ApiObject => {
  const { metadata, spec } = compliantPod(image);
  edit?.(spec as ApiObject, metadata as ApiObject);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { ...metadata, name, namespace: production.namespace },
    spec,
  };
};

describe(`the negative table of test/lib/policy/pod-security-controls.ts, against "restricted" in ${production.namespace}`, () => {
  test("the table's compliant pod is admitted without warnings", async () => {
    // when
    const response = await fixture.admin.create(pod('pss-table-compliant'), { dryRun: true });
    // then
    expect(response.status).toBe(201);
    expect(response.warnings).toEqual([]);
  });

  const broken = (row: PodSecurityControl): ApiObject =>
    pod('pss-table-violation', (spec, metadata) => {
      row.edit(spec, metadata);
      row.validWith?.(spec);
    });

  test.each(enforced.map((row) => [row.control, row.rule, row] as const))(
    'a pod breaking "%s" (%s) is refused by Pod Security admission',
    async (_control, _rule, row) => {
      // when
      const error = await apiErrorOf(fixture.admin.create(broken(row), { dryRun: true }));
      // then
      expect({ status: error.status, message: error.message }).toEqual({
        status: 403,
        message: expect.stringMatching(/violates PodSecurity "restricted:v1\.\d+"/),
      });
    },
  );

  // Where our rule is ahead of the server, the table says why; this fails once the server catches up.
  test.each(ahead.map((row) => [row.control, row.rule, row] as const))(
    'a pod breaking "%s" (%s) is still admitted by this release, as the table says',
    async (_control, _rule, row) => {
      const response = await fixture.admin.create(broken(row), { dryRun: true });
      expect(response.status).toBe(201);
    },
  );
});
