import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * Path of a tool: `$TOOLS_BIN/<name>` (default `<root>/.tools/bin`) when it was built there, else the
 * first `<name>` on PATH. Throws, naming both places, when there is none.
 */
export function findTool(name: string, root: string): string {
  const toolsBin = process.env.TOOLS_BIN ?? join(root, '.tools', 'bin');
  const candidates = [
    join(toolsBin, name),
    ...(process.env.PATH ?? '')
      .split(delimiter)
      .filter(Boolean)
      .map((dir) => join(dir, name)),
  ];
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not there: try the next one
    }
  }
  throw new Error(`${name} is neither in ${toolsBin} nor on PATH: run \`npm run tools\``);
}

/** `kustomize build <dir>`: the YAML ArgoCD applies. Throws with kustomize's error output on failure. */
export function kustomizeBuild(kustomize: string, dir: string): string {
  const result = spawnSync(kustomize, ['build', dir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`kustomize build ${dir} failed: ${result.stderr.trim()}`);
  return result.stdout;
}
