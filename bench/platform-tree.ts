/**
 * The "platform" tree of bench/policy.sh: copies of the objects `npm run synth` generates for this
 * repository (RBAC, ArgoCD Applications and projects, the admission policy, the backend's workload and
 * the objects around it), each renamed so that every copy is a distinct, policy-clean object. Mostly
 * RBAC and ArgoCD objects: about one file in twenty-five holds a Deployment.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { BenchFile } from './bench-file';

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

/** `count` files of one object each, a hundred to a `team-<n>` folder, cycling through the templates. */
export function platformTree(root: string, count: number): BenchFile[] {
  const sources = templates(root);
  return Array.from({ length: count }, (_, index) => {
    const object = copyOf(sources[index % sources.length], String(index));
    return {
      path: join(`team-${Math.floor(index / 100)}`, `${String(object.kind).toLowerCase()}-${index}.yaml`),
      objects: [object],
    };
  });
}
