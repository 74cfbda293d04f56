import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './tools';

/** A copy of the repository's tracked files in a temporary folder, sharing node_modules. */
export function copyRepo(): string {
  const root = mkdtempSync(join(tmpdir(), 'repo-'));
  const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  })
    .split('\n')
    .filter(Boolean);
  for (const file of files) {
    try {
      cpSync(join(REPO_ROOT, file), join(root, file), { recursive: true });
    } catch {
      // listed but deleted in the working tree
    }
  }
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(root, 'node_modules'));
  return root;
}

export interface RunResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a TypeScript entry point of the repository at `root` as its npm script does: a command of bin/
 * from its bundle (bin/run-bundled.mjs, rebuilt whenever a source changed), anything else with tsx.
 */
export function runTs(
  root: string,
  script: string,
  args: readonly string[] = [],
  env: NodeJS.ProcessEnv = {},
): RunResult {
  const command = /^bin\/[\w-]+\.ts$/.test(script)
    ? [process.execPath, join(root, 'bin', 'run-bundled.mjs'), script]
    : [join(REPO_ROOT, 'node_modules', '.bin', 'tsx'), script];
  const result = spawnSync(command[0], [...command.slice(1), ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
