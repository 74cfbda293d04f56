import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { buildModel, renderInfra } from '../../charts/app';
import { INFRA_DIR, overlayDir } from '../../charts/paths';
import { FileTree, KubeObject, writeTree } from '../../lib';
import { renderEnvironment } from '../helpers/environment-overlays';
import { kustomizeBuild } from '../helpers/tools';

const byIdentity = (objects: readonly KubeObject[]): Record<string, KubeObject> =>
  Object.fromEntries(objects.map((o) => [`${o.kind}/${o.metadata?.namespace}/${o.metadata?.name}`, o]));

function onDisk(tree: FileTree): string {
  const root = mkdtempSync(join(tmpdir(), 'overlay-'));
  writeTree(join(root, INFRA_DIR), tree);
  return root;
}

const render = (root: string): KubeObject[] =>
  parseAllDocuments(renderEnvironment(root, 'prod', kustomizeBuild)).map((doc) => doc.toJS());

describe('the prod overlays (every component) rendered by the real kustomize', () => {
  const model = buildModel();
  let root: string;
  beforeAll(() => (root = onDisk(renderInfra(model))));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test('renders exactly the prod objects of the TypeScript model', () => {
    // when
    const rendered = render(root);
    // then
    expect(byIdentity(rendered)).toEqual(byIdentity(model.prod));
    expect(rendered).toHaveLength(model.prod.length);
  });

  test('fails when a generated patch is lost (the comparison can fail)', () => {
    // given: a tree whose overlay forgets its deployment patch
    const tree = { ...renderInfra(model) };
    const kustomization = `${overlayDir('backend', 'prod')}/kustomization.yaml`;
    tree[kustomization] = tree[kustomization].replace(/ {2}- path: patches\/deployment-backend\.yaml\n/, '');
    const broken = onDisk(tree);
    // when
    const rendered = render(broken);
    rmSync(broken, { recursive: true, force: true });
    // then
    expect(byIdentity(rendered)).not.toEqual(byIdentity(model.prod));
  });
});
