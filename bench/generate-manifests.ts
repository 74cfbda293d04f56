/**
 * Writes a tree of `count` manifest files for bench/policy.sh, in one of two shapes:
 *
 * - `services` (bench/services-tree.ts): a repository of services as its users keep it, the rendered
 *   overlays of each service in each environment, `team/<team>/<service>/<env>/*.yaml`: Deployments,
 *   CronJobs, Services, Ingresses, ConfigMaps, NetworkPolicies, autoscalers and disruption budgets,
 *   mostly valid, one object in thirty with a mistake.
 * - `platform` (bench/platform-tree.ts): copies of what `npm run synth` writes for this repository,
 *   mostly RBAC and ArgoCD objects, all policy-clean.
 *
 *   tsx bench/generate-manifests.ts <out dir> <count> [services|platform]   (default: platform)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';
import { BenchFile } from './bench-file';
import { platformTree } from './platform-tree';
import { servicesTree } from './services-tree';

const SHAPES: Readonly<Record<string, (root: string, count: number) => BenchFile[]>> = {
  platform: platformTree,
  services: servicesTree,
};

function main(): void {
  const [out, countText, shape = 'platform'] = process.argv.slice(2);
  const count = Number(countText);
  const tree = SHAPES[shape];
  if (!out || !Number.isInteger(count) || count < 1 || !Object.hasOwn(SHAPES, shape)) {
    console.error(
      `usage: tsx bench/generate-manifests.ts <out dir> <count> [${Object.keys(SHAPES).join('|')}]`,
    );
    process.exit(2);
  }
  const files = tree(join(__dirname, '..'), count);
  for (const file of files) {
    const path = join(out, file.path);
    mkdirSync(dirname(path), { recursive: true });
    // No anchors: a renderer writes every object out in full, even the parts it shares.
    const text = file.objects
      .map((object) => stringify(object, { lineWidth: 0, aliasDuplicateObjects: false }))
      .join('---\n');
    writeFileSync(path, text);
  }
  const objects = files.reduce((sum, file) => sum + file.objects.length, 0);
  console.error(`bench: wrote ${files.length} files (${objects} objects, ${shape} tree) under ${out}`);
}

main();
