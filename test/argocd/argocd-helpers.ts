import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { REPO_ROOT, toolPath } from '../helpers/tools';

/** What `tools/exprcheck` (ArgoCD's expression engine) makes of a trigger condition. */
export interface ExprResult {
  /** The boolean result, when the expression ran. */
  readonly value?: boolean;
  /** Why it did not (compile error, run-time error, not a boolean). */
  readonly error?: string;
}

/**
 * Evaluates `expression` against `app` as ArgoCD notifications does, `time.Now()` being `now`, with
 * `tools/exprcheck` (built by `npm run tools`; its absence fails the test, it is never skipped).
 */
export function evaluateCondition(expression: string, app: object, now: string): ExprResult {
  const run = spawnSync(toolPath('exprcheck'), [], {
    input: JSON.stringify({ expression, app, now }),
    encoding: 'utf8',
  });
  if (run.status === 0) return { value: run.stdout.trim() === 'true' };
  if (run.status === 1) return { error: run.stderr.trim() };
  throw new Error(`exprcheck failed (${run.status ?? run.signal}): ${run.stderr}`);
}

/**
 * Where ArgoCD v3.5.1's CRDs are: `$ARGOCD_CRDS_DIR`, else `../shared/vendor/argo-cd-v3.5.1/crds` beside
 * the repository. They are not copied into the repository; get them from `manifests/crds/` of the
 * ArgoCD v3.5.1 release.
 */
export function argocdCrdsDir(): string {
  const dir = process.env.ARGOCD_CRDS_DIR ?? resolve(REPO_ROOT, '../shared/vendor/argo-cd-v3.5.1/crds');
  if (!existsSync(join(dir, 'application-crd.yaml'))) {
    throw new Error(
      `ArgoCD CRDs not found in ${dir}: set ARGOCD_CRDS_DIR to a copy of manifests/crds/ of ArgoCD v3.5.1`,
    );
  }
  return dir;
}

/** A JSON schema node of a CRD, as far as pruning is concerned. */
export interface SchemaNode {
  readonly type?: string;
  readonly properties?: Record<string, SchemaNode>;
  readonly additionalProperties?: SchemaNode | boolean;
  readonly items?: SchemaNode;
  readonly 'x-kubernetes-preserve-unknown-fields'?: boolean;
}

/** The `openAPIV3Schema` of the served version of each kind in the CRD files of `dir`. */
export function crdSchemas(dir: string, files: readonly string[]): Map<string, SchemaNode> {
  const schemas = new Map<string, SchemaNode>();
  for (const file of files) {
    for (const document of parseAllDocuments(readFileSync(join(dir, file), 'utf8'))) {
      const crd = document.toJS() as {
        spec: {
          names: { kind: string };
          versions: { name: string; schema: { openAPIV3Schema: SchemaNode } }[];
        };
      };
      const version = crd.spec.versions.find((candidate) => candidate.name === 'v1alpha1');
      if (version) schemas.set(crd.spec.names.kind, version.schema.openAPIV3Schema);
    }
  }
  return schemas;
}

/**
 * Paths of `value` that the API server would silently drop (fields the structural schema does not
 * declare), and of values of the wrong JSON type.
 */
export function schemaProblems(value: unknown, schema: SchemaNode, path = ''): string[] {
  if (schema['x-kubernetes-preserve-unknown-fields']) return [];
  if (value === null || value === undefined) return [];
  const type = Array.isArray(value) ? 'array' : typeof value;
  const expected = schema.type === 'integer' ? 'number' : schema.type;
  if (expected && expected !== type) return [`${path || '.'}: ${type}, the schema says ${schema.type}`];
  if (Array.isArray(value)) {
    const items = schema.items;
    return items
      ? value.flatMap((element, index) => schemaProblems(element, items, `${path}[${index}]`))
      : [];
  }
  if (type !== 'object') return [];
  return Object.entries(value as Record<string, unknown>).flatMap(([key, element]) => {
    const child = schema.properties?.[key];
    if (child) return schemaProblems(element, child, `${path}.${key}`);
    if (typeof schema.additionalProperties === 'object') {
      return schemaProblems(element, schema.additionalProperties, `${path}.${key}`);
    }
    if (schema.additionalProperties === true || !schema.properties) return [];
    return [`${path}.${key}: not in the schema, the API server would drop it`];
  });
}
