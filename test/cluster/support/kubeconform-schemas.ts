import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Schema, standaloneStrictSchema } from '../../../lib/manifest/kubeconform-schema';
import { ClusterClient } from './cluster-client';
import { eventually } from './cluster-fixture';

interface OpenApiDocument {
  readonly components?: { readonly schemas?: Record<string, Schema> };
}
interface GroupVersionKind {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
}

/**
 * kubeconform's `-schema-location` template for the folder `writeKubeconformSchemas` fills:
 * `<group>/<kind>_<version>.json` (kubeconform's `.Group` is the version for the core group).
 */
export function schemaLocation(dir: string): string {
  return `${dir}/{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json`;
}

/**
 * Writes, under `dir`, a kubeconform schema for each `apiVersion`/`kind` pair, generated from the
 * OpenAPI v3 documents the running API server publishes (built-in kinds and installed CRDs alike): no
 * download, and exactly the schemas the server validates with. Returns the files written.
 */
export async function writeKubeconformSchemas(
  client: ClusterClient,
  dir: string,
  kinds: readonly { apiVersion: string; kind: string }[],
): Promise<string[]> {
  const byVersion = new Map<string, Set<string>>();
  for (const { apiVersion, kind } of kinds) {
    byVersion.set(apiVersion, (byVersion.get(apiVersion) ?? new Set()).add(kind));
  }
  const written: string[] = [];
  for (const [apiVersion, wanted] of byVersion) {
    const path = apiVersion.includes('/')
      ? `/openapi/v3/apis/${apiVersion}`
      : `/openapi/v3/api/${apiVersion}`;
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
    // A CRD's schema reaches the OpenAPI document a moment after the CRD is established.
    const document = await eventually(
      `OpenAPI v3 document of ${apiVersion} with ${[...wanted].join(', ')}`,
      60,
      async () => {
        const { body } = await client.request<OpenApiDocument>({ method: 'GET', path });
        const kindsIn = new Set(
          Object.values(body.components?.schemas ?? {})
            .flatMap((s) => gvksOf(s))
            .map((g) => g.kind),
        );
        return [...wanted].every((kind) => kindsIn.has(kind)) ? body : undefined;
      },
    );
    for (const [name, schema] of Object.entries(document.components?.schemas ?? {})) {
      const gvk = gvksOf(schema).find(
        (g) => g.group === group && g.version === version && wanted.has(g.kind),
      );
      if (!gvk) continue;
      const file = join(dir, group || version, `${gvk.kind.toLowerCase()}_${version}.json`);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, JSON.stringify(standaloneStrictSchema(document.components?.schemas ?? {}, name)));
      written.push(file);
    }
  }
  return written;
}

function gvksOf(schema: Schema): GroupVersionKind[] {
  return (schema['x-kubernetes-group-version-kind'] as GroupVersionKind[] | undefined) ?? [];
}
