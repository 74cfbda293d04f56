/**
 * Writes a tree of `count` manifest files for bench/policy.sh: copies of the objects `npm run synth`
 * generates (Deployments, CronJobs, Services, ConfigMaps, Ingresses, NetworkPolicies, RBAC, ArgoCD
 * Applications and projects…), each renamed so that every copy is a distinct, policy-clean object.
 *
 *   tsx bench/generate-manifests.ts <out dir> <count>
 *
 * The mix follows the generated tree: about one workload in five files, the rest the objects around it.
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';

type Mutable = { [key: string]: unknown };

/** The generated manifests the copies are made of: every object synth writes except kustomizations. */
function templates(root: string): Mutable[] {
  const dirs = [
    'infra/k8s/baseline/base',
    'infra/k8s/backend/base',
    'infra/k8s/backend/overlays/prod/resources',
    'infra/argocd/applications',
    'infra/argocd/projects',
    'infra/cluster/manifests',
  ];
  return dirs.flatMap((dir) =>
    readdirSync(join(root, dir))
      .filter((file) => file.endsWith('.yaml') && file !== 'kustomization.yaml')
      .sort()
      .flatMap((file) =>
        parseAllDocuments(readFileSync(join(root, dir, file), 'utf8'))
          .map((doc) => doc.toJS() as Mutable)
          // A base names no namespace (its overlays set it): a copy gets the one production gives it.
          .map((object) =>
            dir.startsWith('infra/k8s/')
              ? { ...object, metadata: { ...(object.metadata as Mutable), namespace: 'production' } }
              : object,
          ),
      )
      // The root Application and cluster-scoped singletons would clash or change meaning when copied.
      .filter((object) => !['Namespace'].includes(object.kind as string))
      .filter((object) => (object.metadata as Mutable).name !== 'root'),
  );
}

/** `object` renamed with `suffix`, keeping names valid (at most 63 characters) and unique per kind. */
function copyOf(object: Mutable, suffix: string): Mutable {
  const copy = structuredClone(object);
  const metadata = copy.metadata as Mutable;
  const name = String(metadata.name);
  metadata.name = `${name.slice(0, 50)}-${suffix}`;
  // A project's role policies name the project: they follow the rename.
  const roles = (copy.spec as { roles?: { policies?: string[] }[] } | undefined)?.roles ?? [];
  for (const role of roles) {
    role.policies = (role.policies ?? []).map((line) =>
      line
        .replaceAll(`proj:${name}:`, `proj:${metadata.name}:`)
        .replaceAll(` ${name}/`, ` ${metadata.name}/`),
    );
  }
  return copy;
}

function main(): void {
  const [out, countText] = process.argv.slice(2);
  const count = Number(countText);
  if (!out || !Number.isInteger(count) || count < 1) {
    console.error('usage: tsx bench/generate-manifests.ts <out dir> <count>');
    process.exit(2);
  }
  const sources = templates(join(__dirname, '..'));
  mkdirSync(out, { recursive: true });
  for (let index = 0; index < count; index++) {
    const template = sources[index % sources.length];
    const object = copyOf(template, String(index));
    const dir = join(out, `team-${Math.floor(index / 100)}`);
    mkdirSync(dir, { recursive: true });
    const file = `${String(object.kind).toLowerCase()}-${index}.yaml`;
    writeFileSync(join(dir, file), stringify(object, { lineWidth: 0 }));
  }
  console.error(`bench: wrote ${count} manifests (${sources.length} kinds of template) under ${out}`);
}

main();
