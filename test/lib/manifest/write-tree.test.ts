import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ForeignFilesError, isGeneratedBy, readTree, writeTreeAtomically } from '../../../lib';

const HEADER = '# Generated from charts/x.ts by `npm run synth`. Do not edit.\n';
const isGenerated = (content: string): boolean => isGeneratedBy('npm run synth', content);

function infraWithOldFiles(): string {
  const root = mkdtempSync(join(tmpdir(), 'infra-'));
  mkdirSync(join(root, 'k8s', 'base'), { recursive: true });
  mkdirSync(join(root, 'cluster'));
  writeFileSync(join(root, 'k8s', 'base', 'old.yaml'), 'old');
  writeFileSync(join(root, 'cluster', 'rbac.yaml'), 'not ours');
  return root;
}

describe('writeTreeAtomically', () => {
  test('replaces the owned folders and leaves the others alone', () => {
    // given
    const root = infraWithOldFiles();
    // when
    writeTreeAtomically(root, { 'k8s/base/new.yaml': 'new' }, ['k8s']);
    // then
    expect(existsSync(join(root, 'k8s', 'base', 'old.yaml'))).toBe(false);
    expect(readFileSync(join(root, 'k8s', 'base', 'new.yaml'), 'utf8')).toBe('new');
    expect(readFileSync(join(root, 'cluster', 'rbac.yaml'), 'utf8')).toBe('not ours');
    expect(readdirSync(root).sort()).toEqual(['cluster', 'k8s']);
  });

  test('fails on a file outside the owned folders and changes nothing', () => {
    // given
    const root = infraWithOldFiles();
    // then
    expect(() => writeTreeAtomically(root, { 'cluster/x.yaml': 'x' }, ['k8s'])).toThrow(/outside k8s/);
    expect(readFileSync(join(root, 'k8s', 'base', 'old.yaml'), 'utf8')).toBe('old');
    expect(readdirSync(root).sort()).toEqual(['cluster', 'k8s']);
  });

  test('with isGenerated, fails on a file it does not recognise, naming it, and changes nothing', () => {
    // given: old.yaml has no header, so nobody can tell it was generated
    const root = infraWithOldFiles();
    const before = readTree(root, ['.']);
    // when
    const write = () => writeTreeAtomically(root, { 'k8s/base/new.yaml': 'new' }, ['k8s'], { isGenerated });
    // then
    expect(write).toThrow(ForeignFilesError);
    expect(write).toThrow(
      `${root}/ holds a file its generator did not write, which a write would delete: ${root}/k8s/base/old.yaml. Nothing was written.`,
    );
    expect(readTree(root, ['.'])).toEqual(before);
    expect(readdirSync(root).sort()).toEqual(['cluster', 'k8s']);
  });

  test('with isGenerated, removes a file it wrote earlier and no longer writes', () => {
    // given
    const root = infraWithOldFiles();
    writeFileSync(join(root, 'k8s', 'base', 'old.yaml'), `${HEADER}kind: Service\n`);
    // when
    writeTreeAtomically(root, { 'k8s/base/new.yaml': 'new' }, ['k8s'], { isGenerated });
    // then
    expect(readTree(root, ['k8s'])).toEqual({ 'k8s/base/new.yaml': 'new' });
  });

  test('with isGenerated, fails on a symbolic link in an owned folder, whatever it points to', () => {
    // given
    const root = infraWithOldFiles();
    writeFileSync(join(root, 'k8s', 'base', 'old.yaml'), HEADER);
    symlinkSync(join(root, 'k8s', 'base', 'old.yaml'), join(root, 'k8s', 'link.yaml'));
    // then
    expect(() => writeTreeAtomically(root, {}, ['k8s'], { isGenerated })).toThrow(/: .*\/k8s\/link\.yaml\. /);
    expect(existsSync(join(root, 'k8s', 'link.yaml'))).toBe(true);
  });
});
