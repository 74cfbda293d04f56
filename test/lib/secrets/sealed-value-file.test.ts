import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  formatSealedValues,
  parseSealedValues,
  sealedValueFolder,
  writeFileAtomically,
} from '../../../lib/secrets/sealed-value-file';

const FILE = 'charts/sealed-secrets/prod/backend-database.json';
const values = {
  namespace: 'production',
  name: 'backend-database',
  encryptedData: { password: 'AgA=', b: 'AgB=' },
};

describe('a file of sealed values: namespace, name and encryptedData, as JSON', () => {
  let root: string;
  beforeEach(() => (root = mkdtempSync(join(tmpdir(), 'sealed-values-'))));
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  test('is written with sorted keys and read back the same', () => {
    // when
    const text = formatSealedValues(values);
    // then
    expect(text).toBe(
      '{\n  "namespace": "production",\n  "name": "backend-database",\n  "encryptedData": {\n' +
        '    "b": "AgB=",\n    "password": "AgA="\n  }\n}\n',
    );
    expect(parseSealedValues(text, FILE)).toEqual(values);
  });

  test('the folder source reads <folder>/<environment>/<secret name>.json, and undefined when there is none', () => {
    // given
    mkdirSync(join(root, 'charts/sealed-secrets/prod'), { recursive: true });
    writeFileSync(join(root, FILE), formatSealedValues(values));
    const source = sealedValueFolder(root, 'charts/sealed-secrets');
    // then
    expect(source.fileOf('prod', 'backend-database')).toBe(FILE);
    expect(source.valuesOf('prod', 'backend-database')).toEqual(values);
    expect(source.valuesOf('staging', 'backend-database')).toBeUndefined();
  });

  test.each([
    ['not JSON', '{', /is not valid JSON/],
    ['an array', '[]', /is not a JSON object/],
    ['no namespace', '{"name":"a","encryptedData":{}}', /has no "namespace" string/],
    ['no name', '{"namespace":"a","encryptedData":{}}', /has no "name" string/],
    ['no encryptedData', '{"namespace":"a","name":"b"}', /has no "encryptedData" object/],
    [
      'a value that is no string',
      '{"namespace":"a","name":"b","encryptedData":{"k":1}}',
      /encryptedData\.k is not a string/,
    ],
    [
      'a plaintext field beside them',
      '{"namespace":"a","name":"b","encryptedData":{},"data":{"k":"v"}}',
      /has fields data; it holds only/,
    ],
  ])('fails with SEAL002, naming the file and the fix: %s', (_, text, problem) => {
    expect(() => parseSealedValues(text, FILE)).toThrow(problem);
    expect(() => parseSealedValues(text, FILE)).toThrow(
      new RegExp(`^\\[SEAL002\\] ${FILE.replace(/\./g, '\\.')}: .*\\. Fix: restore it from Git`),
    );
  });

  test('an atomic write creates the folders, replaces the file whole and leaves no temporary file', () => {
    // given
    const path = join(root, 'a/b/file.json');
    // when
    writeFileAtomically(path, 'one');
    writeFileAtomically(path, 'two');
    // then
    expect(readFileSync(path, 'utf8')).toBe('two');
    expect(readdirSync(join(root, 'a/b'))).toEqual(['file.json']);
  });

  test('fails: a write that cannot finish leaves the tree as it was, without the folders it made', () => {
    // given: a file name too long for the file system, so that the final rename fails
    const path = join(root, 'made/for/this', `${'x'.repeat(300)}.json`);
    // when / then
    expect(() => writeFileAtomically(path, 'value')).toThrow();
    expect(readdirSync(root)).toEqual([]);
  });

  test('fails: a target that is a folder is left alone, and no temporary file stays', () => {
    // given
    const path = join(root, 'taken.json');
    mkdirSync(path);
    // when / then
    expect(() => writeFileAtomically(path, 'value')).toThrow();
    expect(readdirSync(root)).toEqual(['taken.json']);
    expect(existsSync(join(path))).toBe(true);
  });
});
