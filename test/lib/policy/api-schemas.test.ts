import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiSchemaSource } from '../../../lib/policy/api-schema-source';
import { ApiSchemas } from '../../../lib/policy/api-schemas';

/** An OpenAPI v3 file of the core group, in the shape Kubernetes publishes: paths, prose, components. */
function openApiDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'openapi-'));
  const ref = (name: string) => ({ allOf: [{ $ref: `#/components/schemas/${name}` }], default: {} });
  const document = {
    openapi: '3.0.0',
    paths: { '/api/v1/namespaces/{namespace}/configmaps': { get: { description: 'list or watch' } } },
    components: {
      schemas: {
        'io.k8s.api.core.v1.ConfigMap': {
          description: 'ConfigMap holds configuration data for pods to consume.',
          type: 'object',
          properties: {
            apiVersion: { type: 'string', description: 'APIVersion defines the versioned schema.' },
            kind: { type: 'string' },
            metadata: { ...ref('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'), description: 'metadata' },
            data: { type: 'object', additionalProperties: { type: 'string', description: 'a value' } },
            // A field named like the key a schema describes itself with.
            description: { type: 'string', description: 'a field called description' },
          },
          'x-kubernetes-group-version-kind': [{ group: '', kind: 'ConfigMap', version: 'v1' }],
        },
        'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta': {
          description: 'ObjectMeta is metadata that all persisted resources must have.',
          type: 'object',
          properties: { name: { type: 'string' }, namespace: { type: 'string' } },
        },
      },
    },
  };
  writeFileSync(join(dir, 'api__v1_openapi.json'), JSON.stringify(document));
  return dir;
}

const sourceOf = (dir: string): ApiSchemaSource => ({ openApiDir: dir, crdDirs: [], missing: [] });

const configMap = (extra: Record<string, unknown>) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'app', namespace: 'production' },
  ...extra,
});

describe('ApiSchemas: the schemas of the pinned release, kept between runs without what no rule reads', () => {
  test('finds the same problems from the kept schemas as from the OpenAPI file', () => {
    // given
    const dir = openApiDir();
    const cacheDir = join(mkdtempSync(join(tmpdir(), 'schema-cache-')), 'entries');
    const objects = [
      configMap({ data: { a: 'b' }, description: 'mine' }),
      configMap({ data: { a: 1 }, metadata: { name: 'app', nmae: 'typo' } }),
    ];
    const messages = (schemas: ApiSchemas) =>
      objects.map((object) => schemas.problemsOf(object).map((problem) => problem.message));
    // when
    const uncached = messages(new ApiSchemas(sourceOf(dir)));
    const computed = messages(new ApiSchemas(sourceOf(dir), { cacheDir }));
    const kept = messages(new ApiSchemas(sourceOf(dir), { cacheDir }));
    // then
    expect(uncached).toEqual([[], ['unknown field "metadata.nmae"', 'data.a must be string, not integer']]);
    expect(computed).toEqual(uncached);
    expect(kept).toEqual(uncached);
  });

  test('keeps the component schemas without their descriptions, and nothing of the paths', () => {
    // given
    const cacheDir = mkdtempSync(join(tmpdir(), 'schema-cache-'));
    // when
    new ApiSchemas(sourceOf(openApiDir()), { cacheDir }).problemsOf(configMap({}));
    // then
    const [entry] = readdirSync(cacheDir).filter((name) => name.startsWith('openapi-components-'));
    const kept = JSON.parse(readFileSync(join(cacheDir, entry), 'utf8'));
    expect(Object.keys(kept)).toEqual([
      'io.k8s.api.core.v1.ConfigMap',
      'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
    ]);
    expect(JSON.stringify(kept)).not.toContain('consume');
    expect(JSON.stringify(kept)).not.toContain('/api/v1/');
    expect(kept['io.k8s.api.core.v1.ConfigMap'].properties.description).toEqual({ type: 'string' });
  });

  test('a cache folder that cannot be written only costs the time', () => {
    // given: a file where the cache folder would be
    const parent = mkdtempSync(join(tmpdir(), 'schema-cache-'));
    writeFileSync(join(parent, 'blocked'), '');
    // when
    const schemas = new ApiSchemas(sourceOf(openApiDir()), { cacheDir: join(parent, 'blocked', 'entries') });
    // then
    expect(schemas.problemsOf(configMap({ data: { a: 1 } })).map((problem) => problem.message)).toEqual([
      'data.a must be string, not integer',
    ]);
  });

  test('judges a CRD kind by its schema, read again from what was kept, a field named description included', () => {
    // given
    const crds = mkdtempSync(join(tmpdir(), 'crds-'));
    writeFileSync(
      join(crds, 'widget-crd.yaml'),
      [
        'apiVersion: apiextensions.k8s.io/v1',
        'kind: CustomResourceDefinition',
        'metadata: {name: widgets.example.com}',
        'spec:',
        '  group: example.com',
        '  names: {kind: Widget, plural: widgets}',
        '  scope: Namespaced',
        '  versions:',
        '    - name: v1',
        '      served: true',
        '      storage: true',
        '      schema:',
        '        openAPIV3Schema:',
        '          description: A widget, described at length.',
        '          type: object',
        '          properties:',
        '            apiVersion: {type: string}',
        '            kind: {type: string}',
        '            metadata: {type: object}',
        '            spec:',
        '              description: What the widget does.',
        '              type: object',
        '              properties:',
        '                size: {type: integer, description: How big.}',
        '                description: {type: string}',
        '',
      ].join('\n'),
    );
    const source = { ...sourceOf(openApiDir()), crdDirs: [crds] };
    const cacheDir = mkdtempSync(join(tmpdir(), 'schema-cache-'));
    const widget = {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w', namespace: 'production', nmae: 'typo' },
      spec: { size: 'big', description: 'fine', colour: 'red' },
    };
    const messages = () =>
      new ApiSchemas(source, { cacheDir }).problemsOf(widget).map((problem) => problem.message);
    // when
    const [computed, kept] = [messages(), messages()];
    // then
    expect(computed).toEqual([
      'unknown field "metadata.nmae"',
      'spec.size must be integer, not string "big"',
      'unknown field "spec.colour"',
    ]);
    expect(kept).toEqual(computed);
    const [entry] = readdirSync(cacheDir).filter((name) => name.startsWith('crd-served-'));
    expect(readFileSync(join(cacheDir, entry), 'utf8')).not.toContain('described at length');
  });
});
