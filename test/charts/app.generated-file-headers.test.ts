import { isGeneratedBy } from '../../lib';
import { renderInfra } from '../../charts/app';

// Synth removes a file it no longer generates only when the file says synth wrote it; one that did not
// say so would, after a rename, make every later synth refuse. So every file synth writes must say it.
describe('files synth writes', () => {
  test('each carries the "by `npm run synth`" line in its first three lines', () => {
    // when
    const unmarked = Object.entries(renderInfra())
      .filter(([, content]) => !isGeneratedBy('npm run synth', content))
      .map(([path]) => path);
    // then
    expect(unmarked).toEqual([]);
  });
});

describe('files rbac:export writes', () => {
  test('each carries the "by `npm run rbac:export`" line in its first three lines', async () => {
    // given
    const { clusterAccessPlan } = await import('../../stacks/cluster-access');
    const { renderClusterTree } = await import('../../stacks/cluster-tree');
    const { clusterSettings, stackFileValues } = await import('../../stacks/settings');
    // when
    const tree = renderClusterTree(clusterAccessPlan(clusterSettings(stackFileValues())));
    const unmarked = Object.entries(tree)
      .filter(([, content]) => !isGeneratedBy('npm run rbac:export', content))
      .map(([path]) => path);
    // then
    expect(Object.keys(tree).length).toBeGreaterThan(0);
    expect(unmarked).toEqual([]);
  });
});
