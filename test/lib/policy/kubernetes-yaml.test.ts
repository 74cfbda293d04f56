import { PolicyOptions, evaluatePolicy } from '../../../lib';
import { loadYamlDocuments } from '../../../lib/policy/kubernetes-yaml';
import { readManifestFile, readManifestText } from '../../../lib/policy/load-manifests';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ALLOWED_REGISTRY, GOOD_IMAGE } from '../../helpers/fixtures';

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
    ['!!str true', 'true'],
    ['!!str 017', '017'],
    ['nope', 'nope'],
    ['Null', null],
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

  test.each([
    ['a header comment', '# Generated: do not edit.\n\nkind: A\n', 3],
    ['a leading marker', '--- # the only document\nkind: A\n', 2],
    ['content on the first line', 'kind: A', 1],
  ])('a single document after %s starts at its first content line', (_what, text, line) => {
    expect(loadYamlDocuments(text).documents.map((document) => [document.value, document.line])).toEqual([
      [{ kind: 'A' }, line],
    ]);
  });

  test('a text of blank lines and comments holds no document', () => {
    expect(loadYamlDocuments('\n# nothing here\n   \n')).toEqual({ documents: [], errors: [] });
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

  test.each<[string, string]>([
    ['tagged and double-quoted', '!!merge "<<": {hostNetwork: true}'],
    ['tagged and single-quoted', "!!merge '<<': {hostNetwork: true}"],
    ['tagged verbatim', '!<tag:yaml.org,2002:merge> "<<": {hostNetwork: true}'],
    ['tagged and plain', '!!merge <<: {hostNetwork: true}'],
    ['an explicit key with a comment', '? <<   # defaults\n  : {hostNetwork: true}'],
  ])('YAML001 finds a merge key %s: go-yaml merges it, so it cannot pass unseen', (_how, merge) => {
    // given: kubectl reads hostNetwork: true here, since go-yaml lets the merge override
    const text =
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: production}\nspec:\n' +
      `  hostNetwork: false\n  ${merge}\n  containers: []\n`;
    // when
    const { objects, errors } = readManifestText('pod.yaml', text);
    const found = evaluatePolicy(objects, options).filter((violation) => violation.ruleId === 'YAML001');
    // then
    expect(errors).toEqual([]);
    expect(found.map((violation) => violation.message)).toEqual(['spec merges a mapping with <<']);
  });

  test('a plain << as a value is a string, no merge: YAML001 stays silent', () => {
    // given
    const text =
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: production}\n' +
      'data:\n  marker: <<\n  list: "[<<]"\n';
    // when
    const { objects, errors } = readManifestText('cm.yaml', text);
    // then
    expect(errors).toEqual([]);
    expect(objects[0].object.data).toEqual({ marker: '<<', list: '[<<]' });
    expect(evaluatePolicy(objects, options).filter((violation) => violation.ruleId === 'YAML001')).toEqual(
      [],
    );
    expect(loadYamlDocuments('a: [<<, x]\n').documents[0].mergeKeys).toEqual([]);
  });

  test.each<[string, string, unknown]>([
    ['!!int "0"', 'runAsUser: !!int "0"', { runAsUser: 0 }],
    ['!!int 0x10', 'runAsUser: !!int 0x10', { runAsUser: 16 }],
    ['!!binary', 'password: !!binary aHVudGVyMg==', { password: 'hunter2' }],
  ])('the explicit tag %s reads as go-yaml reads it', (_tag, text, expected) => {
    expect(loadYamlDocuments(`${text}\n`)).toEqual({
      documents: [expect.objectContaining({ value: expected })],
      errors: [],
    });
  });

  test('a List inside a List is expanded too, and a merge in a List outside its items is an error', () => {
    // given
    const pod =
      '{apiVersion: v1, kind: Pod, metadata: {name: p, namespace: production}, spec: {hostPID: true}}';
    const nested = `apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: List\n    items: [${pod}]\n`;
    const merged = `apiVersion: v1\nkind: List\nitems: []\n<<: {items: [${pod}]}\n`;
    // when
    const inner = readManifestText('nested.yaml', nested);
    const outer = readManifestText('merged.yaml', merged);
    // then
    expect(inner.objects.map(({ object, source }) => [object.kind, source])).toEqual([
      ['Pod', 'nested.yaml:6 items[0].items[0]'],
    ]);
    expect(evaluatePolicy(inner.objects, options).map((violation) => violation.ruleId)).toContain('PSS007');
    expect(outer.errors.map((error) => error.message)).toEqual([
      'merged.yaml:1: [YAML001] a List merges a mapping with << outside its items, so readers disagree on which items it holds: write the items out in full',
    ]);
  });

  test('a file starting with a byte order mark reads as without it, at the same lines and columns', () => {
    // given
    const text =
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: production}\nspec:\n  hostPID: true\n';
    const file = join(mkdtempSync(join(tmpdir(), 'bom-')), 'pod.yaml');
    writeFileSync(file, `\uFEFF${text}`);
    // when
    const [withMark] = readManifestFile(file).objects;
    // then
    expect(withMark.object).toEqual(readManifestText(file, text).objects[0].object);
    expect(withMark.locate?.(['spec', 'hostPID'])).toEqual({ line: 5, column: 3 });
    expect(withMark.locate?.(['apiVersion'])).toEqual({ line: 1, column: 1 });
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
