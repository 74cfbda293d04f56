import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { INFRA_DIR, K8S_DIR, overlayDir } from '../../charts/paths';

const componentsUnder = (root: string): string[] => {
  const k8s = join(root, INFRA_DIR, K8S_DIR);
  return existsSync(k8s)
    ? readdirSync(k8s)
        .filter((entry) => existsSync(join(k8s, entry, 'overlays')))
        .sort()
    : [];
};

/** The environments that have overlays in the repository at `root`, sorted. */
export function overlayEnvironments(root: string): string[] {
  const names = componentsUnder(root).flatMap((component) =>
    readdirSync(join(root, INFRA_DIR, K8S_DIR, component, 'overlays')),
  );
  return [...new Set(names)].sort();
}

/** The overlay folders of `environment` (relative to `root`): one per component, sorted. */
export function environmentOverlays(root: string, environment: string): string[] {
  return componentsUnder(root)
    .map((component) => `${INFRA_DIR}/${overlayDir(component, environment)}`)
    .filter((dir) => existsSync(join(root, dir)));
}

/** What `environment` runs: `kustomize build` of each of its overlays, as one YAML stream. */
export function renderEnvironment(root: string, environment: string, build: (dir: string) => string): string {
  const overlays = environmentOverlays(root, environment);
  if (overlays.length === 0) throw new Error(`no overlay of environment "${environment}" below ${root}`);
  return overlays.map((dir) => build(join(root, dir)).replace(/\n*$/, '\n')).join('---\n');
}
