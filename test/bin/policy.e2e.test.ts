import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
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
    expect(result.stdout).toContain(
      "Fix: Declare the secret in the service's catalog entry and seal each value with npm run seal",
    );
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

  describe('one bad file does not hide the others', () => {
    const tree = (): string => {
      const dir = mkdtempSync(join(tmpdir(), 'policy-'));
      writeFileSync(join(dir, 'a-broken.yaml'), 'apiVersion: v1\nkind: [\n');
      writeFileSync(join(dir, 'b-binary.yaml'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x01]));
      writeFileSync(
        join(dir, 'c-secret.yaml'),
        'apiVersion: v1\nkind: Secret\nmetadata: {name: db, namespace: production}\nstringData: {password: not-real}\n',
      );
      // Links that lead nowhere once stopped the whole run (exit 1, no findings).
      symlinkSync('no-such-file.yaml', join(dir, 'd-dangling.yaml'));
      symlinkSync('e-loop.yaml', join(dir, 'e-loop.yaml'));
      return dir;
    };

    test('fails with exit 2, naming each unreadable file, and still reports every finding of the others', () => {
      // given
      const dir = tree();
      // when
      const result = policy(dir);
      // then
      expect(result.status).toBe(2);
      expect(result.stderr).toContain(`policy: ${join(dir, 'a-broken.yaml')}:3: `);
      expect(result.stderr).toContain(`policy: ${join(dir, 'b-binary.yaml')}: not a text file`);
      expect(result.stderr).toContain(`policy: ${join(dir, 'd-dangling.yaml')}: cannot be read (ENOENT)`);
      expect(result.stderr).toContain(`policy: ${join(dir, 'e-loop.yaml')}: cannot be read (ELOOP)`);
      expect(result.stdout).toContain(`[SEC001] Secret production/db (${join(dir, 'c-secret.yaml')}:1)`);
      expect(result.stdout).toContain('policy: 1 violation(s) in 1 object(s)');
    });

    test('--format json carries the same facts, each violation with file, line and column', () => {
      // when
      const dir = tree();
      const result = policy('--format', 'json', dir);
      const report = JSON.parse(result.stdout) as {
        violations: { ruleId: string; file: string; line: number; column: number }[];
        errors: { location: string }[];
      };
      // then
      expect(result.status).toBe(2);
      expect(report.violations.map(({ ruleId, file, line, column }) => [ruleId, file, line, column])).toEqual(
        [['SEC001', join(dir, 'c-secret.yaml'), 4, 1]],
      );
      expect(report.errors.map((error) => error.location)).toEqual([
        `${join(dir, 'a-broken.yaml')}:3`,
        join(dir, 'b-binary.yaml'),
        join(dir, 'd-dangling.yaml'),
        join(dir, 'e-loop.yaml'),
      ]);
    });
  });

  test('--format sarif is SARIF 2.1.0 with rules, and results at the line and column of the field', () => {
    // given: a container whose image breaks IMG001, IMG002 and IMG003, its key on line 11 column 7
    const file = fileWith(
      'pod.yaml',
      [
        'apiVersion: v1',
        'kind: Pod',
        'metadata:',
        '  name: p',
        '  namespace: production',
        'spec:',
        '  automountServiceAccountToken: false',
        '  securityContext: {runAsNonRoot: true, runAsUser: 10001, seccompProfile: {type: RuntimeDefault}}',
        '  containers:',
        '    - name: app',
        '      image: docker.io/library/nginx:1',
        '      resources: {requests: {cpu: 1m, memory: 1Mi}, limits: {cpu: 1m, memory: 1Mi}}',
        '      securityContext:',
        '        {allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: {drop: [ALL]}}',
        '',
      ].join('\n'),
    );
    // when
    const result = policy('--format', 'sarif', file);
    const sarif = JSON.parse(result.stdout) as SarifLog;
    // then: the properties SARIF 2.1.0 requires, and GitHub code scanning reads
    expect(result.status).toBe(1);
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.$schema).toMatch(/sarif-2\.1\.0/);
    const [run] = sarif.runs;
    expect(run.tool.driver.name).toEqual(expect.any(String));
    const ruleIds = run.tool.driver.rules.map((rule) => rule.id);
    for (const rule of run.tool.driver.rules) expect(rule.shortDescription.text.length).toBeGreaterThan(0);
    for (const item of run.results) {
      expect(item.message.text.length).toBeGreaterThan(0);
      expect(ruleIds[item.ruleIndex]).toBe(item.ruleId);
      // outside the working folder (REPO_ROOT), so an absolute file: URI rather than ../../tmp/...
      expect(item.locations[0].physicalLocation.artifactLocation).toEqual({ uri: `file://${file}` });
    }
    const found = run.results.map((item) => [item.ruleId, item.locations[0].physicalLocation.region]);
    expect(found).toEqual([
      ['IMG001', { startLine: 11, startColumn: 7 }],
      ['IMG002', { startLine: 11, startColumn: 7 }],
      ['IMG003', { startLine: 11, startColumn: 7 }],
    ]);
    expect(run.invocations[0].executionSuccessful).toBe(true);
  });

  test('--format sarif makes unreadable input a FILE001 result at its line, not only a notification', () => {
    // given: a flow sequence never closed, which the reader reports at line 3
    const file = fileWith('bad.yaml', 'apiVersion: v1\nkind: [\n');
    // when
    const result = policy('--format', 'sarif', file);
    const [run] = (JSON.parse(result.stdout) as SarifLog).runs;
    // then
    expect(result.status).toBe(2);
    const found = run.results.map((item) => [
      item.ruleId,
      run.tool.driver.rules[item.ruleIndex].id,
      item.locations[0].physicalLocation,
    ]);
    expect(found).toEqual([
      [
        'FILE001',
        'FILE001',
        { artifactLocation: { uri: `file://${file}` }, region: { startLine: 3, startColumn: 1 } },
      ],
    ]);
    expect(run.invocations[0].executionSuccessful).toBe(false);
  });

  test('an unknown --format is a usage error (exit 2)', () => {
    const result = policy('--format', 'xml', 'infra');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--format is xml');
  });
});

interface SarifLog {
  $schema: string;
  version: string;
  runs: {
    tool: { driver: { name: string; rules: { id: string; shortDescription: { text: string } }[] } };
    results: {
      ruleId: string;
      ruleIndex: number;
      message: { text: string };
      locations: {
        physicalLocation: {
          artifactLocation: { uri: string; uriBaseId?: string };
          region: { startLine: number };
        };
      }[];
    }[];
    invocations: { executionSuccessful: boolean }[];
  }[];
}
