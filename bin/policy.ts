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
  ShardReading,
  ShardResult,
  claimFrom,
  evaluateFiles,
  evaluateShard,
  fileQueue,
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
  /** What the shard needs to know of the files, and whether the report prints field positions. */
  readonly reading: ShardReading;
}

/** A shard in a worker thread, started before the settings are known. */
interface WorkerShard {
  /** What the shard found, once it has judged its files. */
  readonly result: Promise<ShardResult>;
  /** Hands the worker the settings: it starts taking files. */
  start(settings: Settings): void;
  /** Ends the worker, if it still runs (the command failed before it could start it). */
  stop(): void;
}

/**
 * Starts a worker thread for one shard: the same bundle, loaded again by bin/run-bundled.mjs (with its
 * code cache). It loads while this thread reads the production settings, then waits for them (`start`).
 * Worker threads are used only from the bundle (a .cjs file); under tsx one thread does all.
 */
function workerShard(job: ShardJob): WorkerShard {
  const runner = join(__dirname, '..', 'bin', 'run-bundled.mjs');
  const worker = new Worker(runner, { argv: ['bin/policy.ts'], workerData: job });
  const result = new Promise<ShardResult>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => code !== 0 && reject(new Error(`policy worker exited with ${code}`)));
  });
  // Awaited once this thread has its settings: a worker that fails before then is reported then.
  result.catch(() => undefined);
  return {
    result,
    start: (settings) => worker.postMessage(settings),
    stop: () => void worker.terminate(),
  };
}

function formatOf(value: string | undefined): Format {
  const format = (value ?? 'text') as Format;
  if (!FORMATS.includes(format)) throw new UsageError(`--format is ${value}; it takes ${FORMATS.join(', ')}`);
  return format;
}

/** A worker thread's shard: the job it was started with, the settings it is sent once they are read. */
function runShard(settings: Settings): void {
  const job = workerData as ShardJob;
  parentPort?.postMessage(
    evaluateShard(job.files, claimFrom(job.queue), optionsOf(settings, job.source), RULES, job.reading),
  );
}

if (!isMainThread) parentPort?.once('message', runShard);
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
    const { files, namespacedBy } = listed;
    // The text report names each object's first line only: no field needs placing.
    const reading: ShardReading = { namespacedBy, fieldPositions: format !== 'text' };
    const threads = __filename.endsWith('.cjs') ? threadsFor(files.length) : 1;
    const queue = fileQueue(files.length);
    // Started first: the workers load the bundle while this thread reads the settings (the charts).
    const workers = Array.from({ length: threads - 1 }, () => workerShard({ files, queue, source, reading }));
    try {
      const settings = await productionSettings();
      const options = optionsOf(settings, source);
      for (const worker of workers) worker.start(settings);
      const result = await evaluateFiles(
        files,
        options,
        RULES,
        threads,
        async (_queue, shard) =>
          shard > 0
            ? workers[shard - 1].result
            : // This thread's own shard: it judges files while the workers are still loading.
              evaluateShard(files, claimFrom(queue), options, RULES, reading),
        queue,
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
      for (const worker of workers) worker.stop();
      // A bad pin file is the policy's own configuration failing: its message names the rule and the fix.
      const reason = error instanceof PinFileError ? error.message : `unexpected error: ${String(error)}`;
      console.error(`policy: ${reason}`);
      return 2;
    }
  });
