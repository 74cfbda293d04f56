import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../helpers/tools';

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** `npm run drift` as a person runs it, with HOME and KUBECONFIG under the test's control. */
function drift(args: readonly string[], env: NodeJS.ProcessEnv): Promise<Run> {
  const tsx = join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
  return new Promise((resolve) => {
    execFile(
      tsx,
      [join(REPO_ROOT, 'bin', 'drift.ts'), ...args],
      { env, encoding: 'utf8' },
      (error, stdout, stderr) =>
        resolve({ status: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
    );
  });
}

describe('npm run drift: a check that cannot run exits 2, never 1 (which means "hand changes found")', () => {
  let dir: string;
  let kubeconfig: string;
  let env: NodeJS.ProcessEnv;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'drift-'));
    kubeconfig = join(dir, 'kubeconfig');
    // Port 1 on loopback: nothing listens, the connection is refused at once.
    writeFileSync(
      kubeconfig,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters: [{ name: nowhere, cluster: { server: "https://127.0.0.1:1" } }]',
        'users: [{ name: nobody, user: {} }]',
        'contexts: [{ name: nowhere, context: { cluster: nowhere, user: nobody } }]',
        'current-context: nowhere',
      ].join('\n'),
    );
    env = { PATH: process.env.PATH, HOME: dir };
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('fails with exit 2 on an unreachable API server, naming it and what to check', async () => {
    const run = await drift(['--kubeconfig', kubeconfig], env);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('cannot reach the API server at https://127.0.0.1:1');
    expect(run.stderr).toContain('--kubeconfig/--context');
    expect(run.stdout).toBe('');
  });

  test('fails with exit 2 and the usage on a missing kubeconfig, an unknown context, or none at all', async () => {
    const [missing, context, none] = await Promise.all([
      drift(['--kubeconfig', join(dir, 'absent')], env),
      drift(['--kubeconfig', kubeconfig, '--context', 'prod'], env),
      drift([], env),
    ]);
    expect([missing.status, context.status, none.status]).toEqual([2, 2, 2]);
    expect(missing.stderr).toContain(`--kubeconfig ${join(dir, 'absent')}: no such file`);
    expect(context.stderr).toContain('--context prod: the kubeconfig has no such context; it has nowhere');
    expect(none.stderr).toContain('no kubeconfig: pass --kubeconfig <file>, set KUBECONFIG, or create');
    for (const run of [missing, context, none]) expect(run.stderr).toContain('usage: npm run drift');
  });
});
