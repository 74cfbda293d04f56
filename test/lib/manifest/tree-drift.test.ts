import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isGeneratedBy, treeDrift } from '../../../lib';

const HEADER = '# Generated from charts/x.ts by `npm run synth`. Do not edit.\n';
const isGenerated = (content: string): boolean => isGeneratedBy('npm run synth', content);

describe('treeDrift', () => {
  test('tells files that differ, are missing, were generated earlier and were added by hand', () => {
    // given
    const root = mkdtempSync(join(tmpdir(), 'drift-'));
    mkdirSync(join(root, 'k8s'));
    writeFileSync(join(root, 'k8s', 'same.yaml'), 'same');
    writeFileSync(join(root, 'k8s', 'edited.yaml'), 'edited by hand');
    writeFileSync(join(root, 'k8s', 'renamed.yaml'), HEADER);
    writeFileSync(join(root, 'k8s', 'mine.yaml'), 'kind: ConfigMap\n');
    writeFileSync(join(root, 'other.yaml'), 'outside the owned folders');
    const tree = { 'k8s/same.yaml': 'same', 'k8s/edited.yaml': 'generated', 'k8s/new.yaml': 'new' };
    // when
    const drift = treeDrift(root, tree, ['k8s', 'argocd'], isGenerated);
    // then
    expect(drift).toEqual({
      differs: ['k8s/edited.yaml'],
      missing: ['k8s/new.yaml'],
      stale: ['k8s/renamed.yaml'],
      foreign: ['k8s/mine.yaml'],
    });
  });
});
