import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeTreeAtomically } from '../../lib';

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
});
