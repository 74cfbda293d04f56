// The generated ArgoCD objects checked by the real tools: kustomize renders the preview overlay, and the
// released ArgoCD CRDs (which tools/argocd/crds.sh resolves) declare every field. What the objects hold is
// tested in-process in argocd-chart.test.ts.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { buildModel, renderInfra } from '../../charts/app';
import { PRODUCTION_APPLICATION } from '../../charts/argocd-chart';
import { production } from '../../charts/environments';
import { imageRepositories } from '../../charts/images';
import { PREVIEW_DIR } from '../../charts/paths';
import { KubeObject, writeTree } from '../../lib';
import { findObject } from '../helpers/find-object';
import { specOf } from '../helpers/spec-of';
import { toolPath } from '../helpers/tools';
import { argocdCrdsDir, crdSchemas, schemaProblems } from '../helpers/argocd';

const model = buildModel();
const tree = renderInfra(model);
const productionApp = findObject(model.argocd, 'Application', PRODUCTION_APPLICATION);
const previewSet = findObject(model.argocd, 'ApplicationSet', 'previews');

describe('the preview ApplicationSet and project', () => {
  const template = specOf(previewSet).template.spec;

  test('renders with kustomize, as ArgoCD would for pull request 42, entirely inside preview-42', () => {
    // given: the generated tree, with the template's kustomize settings applied as ArgoCD applies them
    const dir = mkdtempSync(join(tmpdir(), 'preview-'));
    try {
      writeTree(dir, tree);
      const parameters: Record<string, string> = {
        number: '42',
        head_short_sha_7: 'abcdef1',
        head_sha: 'abcdef1'.padEnd(40, '0'),
      };
      const render = (text: string): string =>
        text.replace(/{{ \.(\w+) }}/g, (_all, name: string) => {
          if (!(name in parameters)) throw new Error(`no sample value for ${name}`);
          return parameters[name];
        });
      const kustomize = JSON.parse(render(JSON.stringify(template.source.kustomize))) as {
        namespace: string;
        images: string[];
        patches: object[];
      };
      const overlay = join(dir, PREVIEW_DIR);
      const kustomization = parse(readFileSync(join(overlay, 'kustomization.yaml'), 'utf8')) as Record<
        string,
        unknown
      >;
      writeFileSync(
        join(overlay, 'kustomization.yaml'),
        stringify({
          ...kustomization,
          namespace: kustomize.namespace,
          images: kustomize.images.map((image) => {
            const colon = image.lastIndexOf(':');
            return { name: image.slice(0, colon), newTag: image.slice(colon + 1) };
          }),
          patches: kustomize.patches,
        }),
      );
      // when
      const output = execFileSync(toolPath('kustomize'), ['build', overlay], { encoding: 'utf8' });
      const objects = parseAllDocuments(output).map((document) => document.toJS() as KubeObject);
      // then
      const namespaces = objects.filter((object) => object.kind === 'Namespace');
      expect(namespaces.map((object) => object.metadata?.name)).toEqual(['preview-42']);
      for (const object of objects.filter((candidate) => candidate.kind !== 'Namespace')) {
        expect(object.metadata?.namespace).toBe('preview-42');
      }
      expect(output).not.toContain(production.namespace);
      expect(output).not.toContain(`api.${production.domain}`);
      expect(output).toContain(`image: ${imageRepositories.backend}:sha-abcdef1`);
      expect(output).toContain('host: api-pr-42.preview.robson.example');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('schemas and policy of every ArgoCD object', () => {
  const argoObjects = model.argocd.filter((object) => object.apiVersion.startsWith('argoproj.io/'));

  test('every field of every ArgoCD object is declared by the ArgoCD v3.5.1 CRDs (nothing is silently dropped)', () => {
    // given
    const schemas = crdSchemas(argocdCrdsDir(), [
      'application-crd.yaml',
      'appproject-crd.yaml',
      'applicationset-crd.yaml',
    ]);
    // then
    for (const object of argoObjects) {
      const schema = schemas.get(object.kind);
      expect(schema).toBeDefined();
      expect({
        object: `${object.kind} ${object.metadata?.name}`,
        problems: schemaProblems(object, schema ?? {}),
      }).toEqual({
        object: `${object.kind} ${object.metadata?.name}`,
        problems: [],
      });
    }
  });

  test('fails: a misspelled or unknown field is reported, as the API server would drop it', () => {
    // given
    const schemas = crdSchemas(argocdCrdsDir(), ['application-crd.yaml']);
    const app = structuredClone(productionApp) as KubeObject & {
      spec: { syncPolicy: { automated: object } };
    };
    app.spec.syncPolicy.automated = { prune: true, selfheal: true };
    // when
    const problems = schemaProblems(app, schemas.get('Application') ?? {});
    // then
    expect(problems).toEqual([
      '.spec.syncPolicy.automated.selfheal: not in the schema, the API server would drop it',
    ]);
  });
});
