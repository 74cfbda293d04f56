import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const REPO_ROOT = join(__dirname, '..', '..');

/**
 * Path of a Go-built tool: `.tools/bin/<name>` (built by `npm run tools`, which `npm test` runs first) or
 * the PATH. Never skips: a missing tool fails the test that needs it.
 */
export function toolPath(name: string): string {
  const local = join(process.env.TOOLS_BIN ?? join(REPO_ROOT, '.tools', 'bin'), name);
  if (existsSync(local)) return local;
  try {
    return execFileSync('which', [name], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error(`${name} not found in .tools/bin or on PATH: run \`npm run tools\``);
  }
}

/** `kustomize build <dir>`, as ArgoCD renders it. */
export function kustomizeBuild(dir: string): string {
  return execFileSync(toolPath('kustomize'), ['build', dir], { encoding: 'utf8' });
}
