import { KubeObject, renderArgoCdTree } from '../../../lib';

describe('renderArgoCdTree', () => {
  const app = (name: string): KubeObject => ({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name },
  });

  test('writes <folder of the kind>/<name>.yaml with the generated header', () => {
    // when
    const tree = renderArgoCdTree([app('a')], { Application: 'applications' }, 'charts/x.ts');
    // then
    expect(Object.keys(tree)).toEqual(['applications/a.yaml']);
    expect(tree['applications/a.yaml']).toMatch(/^# Generated from charts\/x\.ts by `npm run synth`/);
  });

  test('fails: two Applications of one name', () => {
    expect(() => renderArgoCdTree([app('a'), app('a')], { Application: 'applications' }, 's')).toThrow(
      /two applications would be written to applications\/a\.yaml/,
    );
  });

  test('fails: a kind without a folder', () => {
    expect(() => renderArgoCdTree([{ apiVersion: 'v1', kind: 'Secret' }], {}, 's')).toThrow(
      /no folder for kind Secret/,
    );
  });
});
