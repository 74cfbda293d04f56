import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTs } from '../helpers/temp-repo';
import { REPO_ROOT } from '../helpers/tools';

const policy = (...args: string[]) => runTs(REPO_ROOT, 'bin/policy.ts', args);

function fileWith(name: string, content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'policy-')), name);
  writeFileSync(path, content);
  return path;
}

describe('npm run policy (bin/policy.ts)', () => {
  test('exits 0 on the generated tree', () => {
    // when
    const result = policy('infra');
    // then
    expect(result.stdout).toMatch(/policy: 0 violation\(s\) in \d+ object\(s\)/);
    expect(result.status).toBe(0);
  });

  test('fails with exit 1 and a report naming rule, file, object and fix', () => {
    // given
    const file = fileWith(
      'hand-written.yaml',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok, namespace: production}\n---\n' +
        'apiVersion: v1\nkind: Secret\nmetadata: {name: db, namespace: production}\nstringData: {password: hunter2}\n',
    );
    // when
    const result = policy(file);
    // then
    expect(result.status).toBe(1);
    expect(result.stdout).toContain(
      `[SEC001] Secret production/db (${file}:5): Secret carries plaintext values`,
    );
    expect(result.stdout).toContain('Fix: Create the Secret outside Git');
  });

  test.each([
    [
      'fails with exit 2 on malformed YAML, naming file and line',
      'bad.yaml',
      'apiVersion: v1\nkind: [\n',
      /bad\.yaml:3: /,
    ],
    [
      'fails with exit 2 on a document that is not an object',
      'list.yaml',
      '- a\n- b\n',
      /list\.yaml:1: document is not a Kubernetes object/,
    ],
  ])('%s', (_name, fileName, content, expected) => {
    // given
    const file = fileWith(fileName, content);
    // when
    const result = policy(file);
    // then
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(expected);
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });

  test('fails with exit 2 on a missing path and on no argument', () => {
    expect(policy('/no/such/dir').status).toBe(2);
    expect(policy().stderr).toContain('usage: npm run policy');
  });

  test.each([
    [
      'fails with exit 2 on a folder with no YAML file',
      {},
      /no Kubernetes object: no \.yaml or \.yml file there/,
    ],
    [
      'fails with exit 2 on YAML files that hold no Kubernetes object',
      { 'empty.yaml': '# nothing yet\n---\n', 'sub/blank.yml': '' },
      /no Kubernetes object in its 2 YAML file\(s\)/,
    ],
  ])('%s, saying so', (_name, files: Record<string, string>, expected) => {
    // given
    const dir = mkdtempSync(join(tmpdir(), 'policy-'));
    for (const [name, content] of Object.entries(files)) {
      mkdirSync(join(dir, name, '..'), { recursive: true });
      writeFileSync(join(dir, name), content);
    }
    // when
    const result = policy(dir);
    // then
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`^policy: ${dir}: `));
    expect(result.stderr).toMatch(expected);
    expect(result.stdout).toBe('');
  });
});
