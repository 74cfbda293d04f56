import { PolicyOptions, evaluatePolicy } from '../../lib';
import { loadYamlDocuments } from '../../lib/policy/kubernetes-yaml';
import { readManifestText } from '../../lib/policy/load-manifests';
import { ALLOWED_REGISTRY, GOOD_IMAGE } from '../helpers/fixtures';

const options: PolicyOptions = {
  allowedRegistries: [ALLOWED_REGISTRY],
  shaTagLength: 7,
  catalog: { 'ghcr.io/acme/app': GOOD_IMAGE.split(':')[1] },
};
const valueOf = (text: string): unknown => loadYamlDocuments(text).documents[0]?.value;

describe('YAML as go-yaml v2 (kubectl, the API server) reads it', () => {
  test.each<[string, unknown]>([
    ['yes', true],
    ['On', true],
    ['n', false],
    ['OFF', false],
    ['~', null],
    ['017', 15],
    ['0o17', 15],
    ['0x1F', 31],
    ['0b101', 5],
    ['1_000', 1000],
    ['08', 8],
    ['1.5e3', 1500],
    ['.5', 0.5],
    ['"yes"', 'yes'],
    ['2020-01-01', '2020-01-01'],
    ['1.2.3', '1.2.3'],
    ['+12', 12],
  ])('a plain %s is %p', (scalar, expected) => {
    expect(valueOf(`value: ${scalar}\n`)).toEqual({ value: expected });
  });

  test('a duplicated key is an error with its line, and the next document is still read', () => {
    // when
    const { documents, errors } = loadYamlDocuments('a: 1\na: 2\n---\nb: 3\n');
    // then
    expect(errors).toEqual([{ line: 2, message: 'duplicated mapping key' }]);
    expect(documents.map((document) => [document.value, document.line])).toEqual([[{ b: 3 }, 4]]);
  });

  test('documents of comments only are skipped; each document says where its content starts', () => {
    const { documents } = loadYamlDocuments('# head\n---\n# nothing\n---\n\n# about c\nc: 1\n');
    expect(documents.map((document) => document.line)).toEqual([7]);
  });

  test('YAML001 fails on a merge key, wherever it is, naming its path; quoted "<<" is a plain key', () => {
    // given
    const text =
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: production}\nspec:\n' +
      '  <<: {hostPID: true}\n  containers: []\n  "<<": not-a-merge\n';
    // when
    const [sourced] = readManifestText('pod.yaml', text).objects;
    const yaml001 = evaluatePolicy([sourced], options).filter((violation) => violation.ruleId === 'YAML001');
    // then the pod is judged as merged (PSS007 sees hostPID) and YAML001 names the merge
    expect(yaml001.map((violation) => [violation.message, sourced.locate?.(violation.path ?? [])])).toEqual([
      ['spec merges a mapping with <<', { line: 5, column: 3 }],
    ]);
    expect(evaluatePolicy([sourced], options).map((violation) => violation.ruleId)).toContain('PSS007');
  });

  test('a List is judged item by item, each sourced with file, line and item', () => {
    // given
    const text =
      'apiVersion: v1\nkind: List\nitems:\n' +
      '  - apiVersion: v1\n    kind: ConfigMap\n    metadata: {name: a, namespace: production}\n' +
      '  - apiVersion: v1\n    kind: Secret\n    metadata: {name: b}\n    data: {k: dg==}\n';
    // when
    const { objects, errors } = readManifestText('list.yaml', text);
    const violations = evaluatePolicy(objects, options).map((v) => [v.ruleId, v.object, v.source]);
    // then no finding is about the List itself
    expect(errors).toEqual([]);
    expect(violations).toEqual([
      ['SEC001', 'Secret b', 'list.yaml:7 items[1]'],
      ['META001', 'Secret b', 'list.yaml:7 items[1]'],
    ]);
  });

  test('a *List kind other than List is expanded too, and a non-object item is an error naming it', () => {
    const { objects, errors } = readManifestText(
      'l.yaml',
      'apiVersion: v1\nkind: ConfigMapList\nitems:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata: {name: a}\n  - 42\n',
    );
    expect(objects.map(({ object }) => object.kind)).toEqual(['ConfigMap']);
    expect(errors.map((error) => error.message)).toEqual([
      'l.yaml:7 items[1]: document is not a Kubernetes object (apiVersion and kind are required)',
    ]);
  });
});
