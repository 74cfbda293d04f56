import { join } from 'node:path';
import { findTool, kustomizeBuild as build } from '../../lib/kustomize/kustomize-build';

export const REPO_ROOT = join(__dirname, '..', '..');

/**
 * Path of a Go-built tool (built by `npm run tools`, which `npm test` runs first). Never skips: a
 * missing tool fails the test that needs it.
 */
export const toolPath = (name: string): string => findTool(name, REPO_ROOT);

/** `kustomize build <dir>`, as ArgoCD renders it. */
export const kustomizeBuild = (dir: string): string => build(toolPath('kustomize'), dir);
