import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where the schema rules (API001, API002, SCH001, SCH002) read the API from, all offline: the files the
 * pinned Go modules carry, in the Go module cache.
 */
export interface ApiSchemaSource {
  /** Folder of OpenAPI v3 files (`api__v1_openapi.json`, `apis__apps__v1_openapi.json`…). */
  readonly openApiDir?: string;
  /** Folders of CustomResourceDefinition YAML files whose schemas count as API too. */
  readonly crdDirs: readonly string[];
  /** A checkout of `k8s.io/api`, whose `zz_generated.prerelease-lifecycle.go` files date deprecations. */
  readonly lifecycleDir?: string;
  /** `1.34`: the pinned release, which deprecations are measured against. */
  readonly kubernetesVersion?: string;
  /** What was looked for and not found, each with how to get it. */
  readonly missing: readonly string[];
}

/** The version of `module` a go.mod requires, or `undefined`. */
export function requiredModuleVersion(goMod: string, module: string): string | undefined {
  if (!existsSync(goMod)) return undefined;
  for (const line of readFileSync(goMod, 'utf8').split('\n')) {
    const words = line
      .trim()
      .replace(/^require\s+/, '')
      .split(/\s+/);
    if (words[0] === module && /^v\d/.test(words[1] ?? '')) return words[1];
  }
  return undefined;
}

/** The Go module cache: `$GOMODCACHE`, else `$GOPATH/pkg/mod` (first entry), else `~/go/pkg/mod`. */
export function goModuleCache(env: NodeJS.ProcessEnv = process.env): string {
  if (env.GOMODCACHE) return env.GOMODCACHE;
  const gopath = env.GOPATH?.split(':')[0];
  return join(gopath || join(homedir(), 'go'), 'pkg', 'mod');
}

/** Where the go command extracts `module@version`: upper-case letters are escaped as `!` + lower case. */
export function goModuleDir(module: string, version: string, env: NodeJS.ProcessEnv = process.env): string {
  const escape = (text: string): string => text.replace(/[A-Z]/g, (letter) => `!${letter.toLowerCase()}`);
  return join(goModuleCache(env), `${escape(module)}@${escape(version)}`);
}

/** The pins this repository keeps (relative to its root) and the modules they pin. */
const KUBERNETES_PIN = 'tools/cluster/go.mod';
const ARGOCD_PIN = 'tools/argocd/go.mod';
const ARGOCD_MODULE = 'github.com/argoproj/argo-cd/v3';

export interface ApiSchemaSourceOptions {
  /** The repository whose pins name the modules. */
  readonly repoRoot: string;
  /**
   * A folder of OpenAPI v3 files, instead of the pinned Kubernetes module's `api/openapi-spec/v3`.
   * @default - `$POLICY_OPENAPI_DIR`, else the pinned module in the Go module cache
   */
  readonly openApiDir?: string;
  /**
   * Folders of CRDs, instead of the pinned ArgoCD release's `manifests/crds`.
   * @default - `$ARGOCD_CRDS_DIR`, else the pinned module in the Go module cache
   */
  readonly crdDirs?: readonly string[];
  /** @default process.env */
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * The OpenAPI of the Kubernetes release `tools/cluster/go.mod` pins (the release the cluster suite's
 * kube-apiserver is built from, so the same API it publishes) and the CRDs of the ArgoCD release
 * `tools/argocd/go.mod` pins. Both land in the Go module cache with `tools/cluster/build.sh` and
 * `tools/argocd/crds.sh` (run by `npm run test:cluster`); nothing is downloaded here.
 */
export function apiSchemaSource(options: ApiSchemaSourceOptions): ApiSchemaSource {
  const env = options.env ?? process.env;
  const missing: string[] = [];
  const pin = join(options.repoRoot, KUBERNETES_PIN);
  const kubernetes = requiredModuleVersion(pin, 'k8s.io/kubernetes');
  const api = requiredModuleVersion(pin, 'k8s.io/api');
  const openApiDir =
    options.openApiDir ??
    env.POLICY_OPENAPI_DIR ??
    (kubernetes
      ? join(goModuleDir('k8s.io/kubernetes', kubernetes, env), 'api', 'openapi-spec', 'v3')
      : undefined);
  const openApiFound = openApiDir !== undefined && existsSync(join(openApiDir, 'api__v1_openapi.json'));
  if (!openApiFound) {
    missing.push(
      `no OpenAPI v3 files (api__v1_openapi.json…) at ${openApiDir ?? `<no k8s.io/kubernetes in ${pin}>`}: ` +
        'run bash tools/cluster/build.sh (npm run test:cluster does) to fetch the pinned Kubernetes module, ' +
        'or pass --openapi <folder> (or POLICY_OPENAPI_DIR) naming a copy of api/openapi-spec/v3',
    );
  }
  const argocd = requiredModuleVersion(join(options.repoRoot, ARGOCD_PIN), ARGOCD_MODULE);
  const crdDirs =
    options.crdDirs ??
    (env.ARGOCD_CRDS_DIR
      ? [env.ARGOCD_CRDS_DIR]
      : argocd
        ? [join(goModuleDir(ARGOCD_MODULE, argocd, env), 'manifests', 'crds')]
        : []);
  const foundCrdDirs = crdDirs.filter((dir) => existsSync(dir));
  for (const dir of crdDirs.filter((candidate) => !foundCrdDirs.includes(candidate))) {
    missing.push(
      `no CRDs at ${dir}: run bash tools/argocd/crds.sh, or set ARGOCD_CRDS_DIR; ArgoCD objects are not schema-checked`,
    );
  }
  const lifecycleDir = api ? goModuleDir('k8s.io/api', api, env) : undefined;
  const version = /^v(\d+\.\d+)\./.exec(kubernetes ?? '')?.[1];
  return {
    openApiDir: openApiFound ? openApiDir : undefined,
    crdDirs: foundCrdDirs,
    lifecycleDir: lifecycleDir && existsSync(lifecycleDir) ? lifecycleDir : undefined,
    kubernetesVersion: version,
    missing,
  };
}
