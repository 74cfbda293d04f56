import { argocd } from '../../charts/config';
import { ApiObject, apiErrorOf } from './support/cluster-client';
import { ClusterFixture, PROD_SET } from './support/cluster-fixture';
import { GENERATED_FOLDERS, describeGenerated, generatedManifestSets } from './support/generated-manifests';
import { PROBE_APPLICATION } from './support/probe-application';
import { edited } from './support/workload-pod';

// Loaded when the file loads, so that every object gets a test of its own.
const sets = generatedManifestSets();

let fixture: ClusterFixture;
beforeAll(async () => {
  fixture = await ClusterFixture.prepare();
});

describe('the generated folders', () => {
  test.each([PROD_SET, GENERATED_FOLDERS.argocd, GENERATED_FOLDERS.cluster])('%s holds objects', (name) => {
    // given the sets the repository generates
    const set = sets.find((s) => s.name === name);

    // then
    expect(set?.objects.length ?? 0).toBeGreaterThan(0);
  });

  test("every namespace an object lives in is generated too, except ArgoCD's own", () => {
    // given every generated object, when listing the namespaces they use but no generated Namespace declares
    const undeclared = fixture.undeclaredNamespaces();

    // then only the namespace ArgoCD's installation creates is left
    expect(undeclared.filter((ns) => ns !== argocd.namespace)).toEqual([]);
  });
});

describe.each(sets.filter((set) => set.objects.length > 0).map((set) => [set.name, set] as const))(
  'server-side dry run (dryRun=All, fieldValidation=Strict) of %s',
  (_name, set) => {
    test.each(set.objects.map((generated) => [describeGenerated(generated), generated] as const))(
      '%s is accepted without warnings',
      async (_description, generated) => {
        // when the API server runs every admission and validation step without storing the object
        const response = await fixture.admin.dryRunCreateOrReplace(generated.object);

        // then it accepts it as it is, and has nothing to warn about (deprecations, dropped fields, Pod Security)
        expect(response.body.kind).toBe(generated.object.kind);
        expect(response.body.metadata?.name).toBe(generated.object.metadata?.name);
        expect(response.warnings).toEqual([]);
      },
    );
  },
);

describe('the strict dry run can fail', () => {
  const prodDeployment = (): ApiObject => {
    const found = sets
      .find((s) => s.name === PROD_SET)
      ?.objects.find(({ object }) => object.kind === 'Deployment')?.object;
    if (!found) throw new Error(`${PROD_SET} renders no Deployment`);
    return found;
  };

  test('fails when a Deployment carries a field its schema does not know', async () => {
    // given the production Deployment with a misspelt container field
    const object = edited(prodDeployment(), (d) => {
      d.spec.template.spec.containers[0].imagePullPolicyy = 'Always';
    });

    // when
    const error = await apiErrorOf(fixture.admin.dryRunCreateOrReplace(object));

    // then the server names the field instead of silently dropping it
    expect(error.status).toBe(400);
    expect(error.message).toContain('imagePullPolicyy');
  });

  test('fails when a Deployment field has the wrong type', async () => {
    // given
    const object = edited(prodDeployment(), (d) => {
      d.spec.replicas = 'three';
    });

    // when
    const error = await apiErrorOf(fixture.admin.dryRunCreateOrReplace(object));

    // then
    expect([400, 422]).toContain(error.status);
    expect(error.message).toContain('replicas');
  });

  test('fails when an ArgoCD Application carries a field its CRD does not declare', async () => {
    // given an Application whose sync policy has a misspelt field
    const application = edited(PROBE_APPLICATION, (a) => (a.spec.syncPolicy.automated.selfHeall = true));

    // when
    const error = await apiErrorOf(fixture.admin.dryRunCreateOrReplace(application));

    // then the CRD's schema is enforced as strictly as a built-in type's
    expect(error.status).toBe(400);
    expect(error.message).toContain('selfHeall');
  });
});
