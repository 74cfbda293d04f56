import { existsSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
// The policy modules themselves, not '../lib': nothing of cdk8s loads before the files are read.
import { CommandSpec, UsageError } from '../lib/cli/command-line';
import { runCommand } from '../lib/cli/run-command';
import { PinFileError } from '../lib/image/pin-file-error';
import { apiSchemaSource } from '../lib/policy/api-schema-source';
import { ApiSchemas } from '../lib/policy/api-schemas';
import { ApiSchemaSource } from '../lib/policy/api-schema-source';
import {
  FileQueue,
  ShardResult,
  claimFrom,
  evaluateFiles,
  evaluateShard,
} from '../lib/policy/evaluate-files';
import { listManifestFiles, noObjectError } from '../lib/policy/load-manifests';
import { PolicyOptions } from '../lib/policy/types';
import { PolicyReport, jsonReport, sarifReport, textReport } from '../lib/policy/policy-report';
import { RULES } from '../lib/policy/rules';
import { SCHEMA_RULES } from '../lib/policy/schema-rules';

const FORMATS = ['text', 'json', 'sarif'] as const;
type Format = (typeof FORMATS)[number];

const SPEC: CommandSpec = {
  name: 'policy',
  description:
    'Checks Kubernetes manifests against the production policy, the same rules synth enforces: every ' +
    '.yaml/.yml file named, or below a named folder (kustomize patch files left out), read as the API ' +
    'server reads YAML. The schema rules (API001 removed, API002 deprecated API versions, SCH001 unknown ' +
    'fields, SCH002 wrong types) check against the OpenAPI of the Kubernetes release tools/cluster/go.mod ' +
    'pins and the CRDs of the ArgoCD release tools/argocd/go.mod pins, read offline from the Go module ' +
    'cache (bash tools/cluster/build.sh and tools/argocd/crds.sh put them there); without them, those four ' +
    'rules are skipped and a note says so. See docs/policy.md.',
  arguments: [{ name: 'file or folder', variadic: true, description: 'YAML files or folders of them' }],
  options: [
    {
      name: 'format',
      value: 'text|json|sarif',
      description: 'output format (default text; sarif is SARIF 2.1.0)',
    },
    {
      name: 'openapi',
      value: 'folder',
      description: 'OpenAPI v3 files to check against (default: $POLICY_OPENAPI_DIR, else the pinned module)',
    },
    {
      name: 'crds',
      value: 'folder',
      description: 'CRD files whose schemas count (default: $ARGOCD_CRDS_DIR, else the pinned ArgoCD module)',
    },
  ],
  exitStatus: {
    0: 'no violation',
    1: 'violations (printed with rule, object, file and fix)',
    2: 'bad usage, unreadable input (every other file is still checked and reported), or no Kubernetes object',
  },
  examples: [
    'npm run policy -- infra',
    'npm run policy -- rendered.yaml',
    'npm run --silent policy -- --format sarif infra > policy.sarif',
  ],
};

/**
 * Below this many files one thread does it all: a worker thread loads the command again and starts
 * with a cold JIT, which costs more than it saves (1,000 files: 0.68 s in one thread, 0.80 s in two).
 */
const FILES_PER_THREAD = 2000;

/**
 * How many threads judge the files: `POLICY_THREADS`, else one per FILES_PER_THREAD files, at most one
 * per core. This thread is one of them: it takes files from the queue while the workers load.
 */
function threadsFor(files: number): number {
  const asked = Number(process.env.POLICY_THREADS);
  if (Number.isInteger(asked) && asked > 0) return asked;
  return Math.max(1, Math.min(availableParallelism(), Math.floor(files / FILES_PER_THREAD)));
}

type Settings = Omit<PolicyOptions, 'schemas'>;

/**
 * The production settings (charts/), read once, by this thread: plain data, so that a worker thread
 * gets them as they are instead of loading the charts (and cdk8s) again.
 */
async function productionSettings(): Promise<Settings> {
  // Loaded here, not at import: --help works, and an error in the charts is reported like any other.
  const { policyOptions } = await import('../charts/policy-options');
  return { ...policyOptions, catalog: policyOptions.catalog };
}

/** The git-ignored folder of decoded CRDs, beside the bundles. */
const SCHEMA_CACHES = join(__dirname, '..', '.tools', 'api-schemas');

/**
 * Where this bundle keeps decoded CRDs: a folder per bundle (bin/run-bundled.mjs puts its digest in
 * the environment), since decoding is code too and a change of the YAML reader must not read old
 * entries. The first run of a new bundle clears the folders of the others. Under tsx: no cache.
 */
function schemaCache(): string | undefined {
  const digest = process.env.RUN_BUNDLED_DIGEST;
  if (!digest) return undefined;
  const dir = join(SCHEMA_CACHES, digest);
  if (isMainThread && !existsSync(dir)) rmSync(SCHEMA_CACHES, { recursive: true, force: true });
  return dir;
}

/** What a thread evaluates with: the settings and the API schemas, when there are any. */
const optionsOf = (settings: Settings, source: ApiSchemaSource): PolicyOptions => ({
  ...settings,
  schemas: source.openApiDir ? new ApiSchemas(source, { cacheDir: schemaCache() }) : undefined,
});

interface ShardJob {
  /** Every file of the run; the shard takes its own from `queue`. */
  readonly files: readonly string[];
  readonly queue: FileQueue;
  readonly source: ApiSchemaSource;
  readonly settings: Settings;
  /** Files whose namespace a kustomization sets (`listManifestFiles`). */
  readonly namespacedBy: Readonly<Record<string, string>>;
}

/**
 * Runs one shard in a worker thread: the same bundle, loaded again by bin/run-bundled.mjs (with its
 * code cache). Worker threads are used only from the bundle (a .cjs file); under tsx one thread does all.
 */
function shardInWorker(job: ShardJob): Promise<ShardResult> {
  return new Promise((resolve, reject) => {
    const runner = join(__dirname, '..', 'bin', 'run-bundled.mjs');
    const worker = new Worker(runner, { argv: ['bin/policy.ts'], workerData: job });
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => code !== 0 && reject(new Error(`policy worker exited with ${code}`)));
  });
}

function formatOf(value: string | undefined): Format {
  const format = (value ?? 'text') as Format;
  if (!FORMATS.includes(format)) throw new UsageError(`--format is ${value}; it takes ${FORMATS.join(', ')}`);
  return format;
}

function runShard(): void {
  const job = workerData as ShardJob;
  parentPort?.postMessage(
    evaluateShard(
      job.files,
      claimFrom(job.queue),
      optionsOf(job.settings, job.source),
      RULES,
      job.namespacedBy,
    ),
  );
}

if (!isMainThread) runShard();
else
  runCommand(SPEC, async (commandLine) => {
    const { args } = commandLine;
    const value = (name: string): string | undefined => commandLine.value(name);
    const format = formatOf(value('format'));
    const source = apiSchemaSource({
      repoRoot: join(__dirname, '..'),
      openApiDir: value('openapi'),
      crdDirs: value('crds') === undefined ? undefined : [value('crds') as string],
    });
    const listed = listManifestFiles(args);
    const notices = source.openApiDir
      ? source.missing
      : [
          `schema rules ${SCHEMA_RULES.map((rule) => rule.id).join(', ')} not run: ${source.missing.join('; ')}`,
        ];
    try {
      const settings = await productionSettings();
      const options = optionsOf(settings, source);
      const threads = __filename.endsWith('.cjs') ? threadsFor(listed.files.length) : 1;
      const { files, namespacedBy } = listed;
      const result = await evaluateFiles(files, options, RULES, threads, async (queue, shard) =>
        shard > 0
          ? shardInWorker({ files, queue, source, settings, namespacedBy })
          : // This thread's own shard, once the workers have started: it judges files while they load.
            new Promise((done, fail) =>
              setImmediate(() => {
                try {
                  done(evaluateShard(files, claimFrom(queue), options, RULES, namespacedBy));
                } catch (error) {
                  fail(error);
                }
              }),
            ),
      );
      const errors = [...listed.errors, ...result.errors];
      if (result.objectCount === 0 && errors.length === 0) errors.push(noObjectError(args, listed.files));
      const { violations, objectCount } = result;
      const report: PolicyReport = { violations, errors, notices, objectCount, rules: RULES };
      if (format === 'text') {
        const { stdout, stderr } = textReport(report);
        process.stdout.write(stdout);
        process.stderr.write(stderr);
      } else process.stdout.write(format === 'json' ? jsonReport(report) : sarifReport(report));
      if (errors.length > 0) return 2;
      return violations.length > 0 ? 1 : 0;
    } catch (error) {
      // A bad pin file is the policy's own configuration failing: its message names the rule and the fix.
      const reason = error instanceof PinFileError ? error.message : `unexpected error: ${String(error)}`;
      console.error(`policy: ${reason}`);
      return 2;
    }
  });
