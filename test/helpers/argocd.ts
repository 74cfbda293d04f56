import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { REPO_ROOT, toolPath } from './tools';

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

/** The script that says where ArgoCD's released CRDs are (see its header and docs/argocd.md). */
export const ARGOCD_CRDS_SCRIPT = join(REPO_ROOT, 'tools', 'argocd', 'crds.sh');

/**
 * Where ArgoCD's CRDs are, as `script` (`tools/argocd/crds.sh`) resolves them in `env`: `$ARGOCD_CRDS_DIR`
 * when set, else `manifests/crds/` of the Go module `github.com/argoproj/argo-cd/v3` at the version
 * `tools/argocd/go.mod` requires, downloaded once into the module cache and checked against
 * `tools/argocd/go.sum`. Throws with the script's reason (no Go, a hash mismatch, an empty override).
 */
export function resolveArgocdCrdsDir(env: NodeJS.ProcessEnv, script = ARGOCD_CRDS_SCRIPT): string {
  const run = spawnSync('bash', [script], { env, encoding: 'utf8' });
  const dir = run.stdout.trim();
  if (run.status !== 0 || !existsSync(join(dir, 'application-crd.yaml'))) {
    throw new Error(`ArgoCD's CRDs could not be resolved by ${script}: ${run.stderr.trim()}`);
  }
  return dir;
}

let resolved: string | undefined;

/** `resolveArgocdCrdsDir` of this process's environment, once per test file. Never skips: it throws. */
export function argocdCrdsDir(): string {
  resolved ??= resolveArgocdCrdsDir(process.env);
  return resolved;
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
