import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiSchemaSource } from '../../lib/policy/api-schema-source';
import { ApiSchemas } from '../../lib/policy/api-schemas';
import { SCHEMA_RULES } from '../../lib/policy/schema-rules';
import { KubeObject } from '../../lib/manifest/kube-object';
import { PolicyOptions } from '../../lib/policy/types';
import { ApiObject, apiErrorOf } from './support/cluster-client';
import { ClusterFixture } from './support/cluster-fixture';
import {
  REPO_ROOT,
  generatedManifestSets,
  generatedProductionDeployment,
} from './support/generated-manifests';
import { PROBE_APPLICATION } from './support/probe-application';
import { edited } from './support/workload-pod';

/*
 * The schema rules read the OpenAPI files of the pinned Kubernetes module and the pinned ArgoCD CRDs,
 * offline. Here the same objects go to the API server built from that module, with those CRDs
 * installed: both must refuse the same objects, naming the same field.
 */
const source = apiSchemaSource({ repoRoot: REPO_ROOT });
const schemas = new ApiSchemas(source);
const options: PolicyOptions = { allowedRegistries: [], shaTagLength: 7, catalog: {}, schemas };

/** The schema rules' findings on one object: `[rule, message]`. */
const findings = (object: KubeObject): [string, string][] =>
  SCHEMA_RULES.flatMap((rule) =>
    rule.check(object, options, [object]).map((f) => [rule.id, f.message] as [string, string]),
  );

let fixture: ClusterFixture;
beforeAll(async () => {
  fixture = await ClusterFixture.prepare();
});

const deployment = (): ApiObject =>
  edited(generatedProductionDeployment(), (d) => (d.metadata.name = 'schema-probe'));

describe('the schema rules (API001, API002, SCH001, SCH002) agree with the API server', () => {
  test('the pinned OpenAPI files and CRDs are where the CLI looks for them', () => {
    expect({
      openApiDir: source.openApiDir !== undefined,
      crds: source.crdDirs.length,
      missing: source.missing,
    }).toEqual({
      openApiDir: true,
      crds: 1,
      missing: [],
    });
  });

  test('every generated object passes them, as the server admits them', () => {
    const objects = generatedManifestSets().flatMap((set) => set.objects.map(({ object }) => object));
    expect(objects.length).toBeGreaterThan(10);
    expect(objects.flatMap((object) => findings(object))).toEqual([]);
  });

  test.each<[string, () => ApiObject, [string, string][], number, RegExp]>([
    [
      'a misspelled container field',
      () => edited(deployment(), (d) => (d.spec.template.spec.containers[0].imagePullPolicyy = 'Always')),
      [['SCH001', 'unknown field "spec.template.spec.containers[0].imagePullPolicyy"']],
      400,
      /imagePullPolicyy/,
    ],
    [
      'replicas as a string',
      () => edited(deployment(), (d) => (d.spec.replicas = 'three')),
      [['SCH002', 'spec.replicas must be integer, not string "three"']],
      400,
      /replicas/,
    ],
    [
      'an ArgoCD Application field its CRD does not declare',
      () => edited(PROBE_APPLICATION, (a) => (a.spec.syncPolicy.automated.selfHeall = true)),
      [['SCH001', 'unknown field "spec.syncPolicy.automated.selfHeall"']],
      400,
      /selfHeall/,
    ],
    [
      'a CronJob of the removed batch/v1beta1',
      () => ({
        apiVersion: 'batch/v1beta1',
        kind: 'CronJob',
        metadata: { name: 'old', namespace: 'production' },
        spec: {},
      }),
      [
        [
          'API001',
          'CronJob batch/v1beta1 is not served by Kubernetes 1.34 (removed in 1.25): use batch/v1 CronJob',
        ],
      ],
      404,
      /batch\/v1beta1|CronJob|not found/i,
    ],
  ])('fails on %s, as the server does', async (_what, object, expected, status, names) => {
    // when
    const ours = findings(object());
    const error = await apiErrorOf(
      fixture.admin.request({
        method: 'POST',
        path: `/apis/${object().apiVersion}/namespaces/${object().metadata?.namespace}/${object().kind.toLowerCase()}s`,
        query: { dryRun: 'All', fieldValidation: 'Strict' },
        body: object(),
      }),
    );
    // then
    expect(ours).toEqual(expected);
    expect({ status: error.status, names: names.test(error.message) }).toEqual({ status, names: true });
  });

  test('a version this release deprecates is API002, with the replacement the release names', () => {
    const object = {
      apiVersion: 'storage.k8s.io/v1beta1',
      kind: 'VolumeAttributesClass',
      metadata: { name: 'x' },
      driverName: 'd',
    };
    expect(findings(object)).toEqual([
      [
        'API002',
        'VolumeAttributesClass storage.k8s.io/v1beta1 is deprecated since Kubernetes 1.34 and goes in 1.37: use storage.k8s.io/v1 VolumeAttributesClass',
      ],
    ]);
  });

  test.each([
    ['a group nobody here defines', 'example.com/v1', 'Widget'],
    ["ArgoCD's group, whose CRDs here do not define it (an Argo Rollout)", 'argoproj.io/v1alpha1', 'Rollout'],
  ])('a kind of %s is not judged (no schema to judge it by)', (_what, apiVersion, kind) => {
    expect(findings({ apiVersion, kind, metadata: { name: 'w' }, spec: { anything: 1 } })).toEqual([]);
  });
});

describe('the decoded CRDs kept between runs (ApiSchemas cacheDir)', () => {
  const probes = (): KubeObject[] => [
    edited(PROBE_APPLICATION, (a) => (a.spec.syncPolicy.automated.selfHeall = true)),
    edited(PROBE_APPLICATION, (a) => (a.spec.project = 7)),
    { apiVersion: 'argoproj.io/v1alpha2', kind: 'Application', metadata: { name: 'x' } },
  ];
  const problemsWith = (catalog: ApiSchemas) => probes().map((object) => catalog.problemsOf(object));

  test('give the findings of decoding the CRDs, when first written and when read back', () => {
    // given
    const cacheDir = mkdtempSync(join(tmpdir(), 'api-schemas-'));
    try {
      const decoded = problemsWith(new ApiSchemas(source));
      // when
      const written = problemsWith(new ApiSchemas(source, { cacheDir }));
      const entries = readdirSync(cacheDir).sort();
      const readBack = problemsWith(new ApiSchemas(source, { cacheDir }));
      // then: one entry per CRD file (beside the OpenAPI files' and the lifecycles'), and the same
      // three findings each time
      expect(entries.filter((entry) => entry.startsWith('crd-'))).toHaveLength(
        readdirSync(source.crdDirs[0]).filter((f) => /\.ya?ml$/.test(f)).length,
      );
      expect(decoded.map((problems) => problems.map((p) => p.kind))).toEqual([
        ['unknown-field'],
        ['wrong-type'],
        ['removed'],
      ]);
      expect(written).toEqual(decoded);
      expect(readBack).toEqual(decoded);
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  });
});
