/* global process, console */
// Runs a bin/ command (or a bench/ script) from a prebuilt JavaScript bundle of it, so that the command starts without
// tsx compiling TypeScript (about a second): `node bin/run-bundled.mjs bin/policy.ts [args...]`.
//
// The bundle is only a faster way to load the same sources, never a second implementation: it is
// built from bin/<command>.ts by esbuild (tsx's own compiler) into .tools/<command>.cjs, with a
// fingerprint of every input file esbuild read: the content hash of this repository's files, and the
// size and modification time of a dependency's (npm writes those files only when package-lock.json,
// which is hashed, changes; hashing them took 25 ms a run). Before each run every fingerprint is taken
// again; any difference (or a missing bundle) rebuilds it first, so an edit never runs stale code.
// The bundle sits one folder below the repository root, as bin/ does, so `__dirname/..` stays the root.
//
// The bundle is compiled with V8's code cache (`.tools/<command>.cjs.<hash>.v8`, named by the bundle's
// content, written after the first run): about 50 ms less per run and per worker thread. A worker
// thread started with this file (`new Worker('bin/run-bundled.mjs', { argv: [entry] })`) runs the
// bundle its parent has just checked, without checking it again, and refuses to run if another run
// has rebuilt it in between (the digest the parent ran is in the environment the worker inherits).
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import Module, { createRequire } from 'node:module';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script, constants } from 'node:vm';
import { isMainThread } from 'node:worker_threads';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const [entry, ...args] = process.argv.slice(2);
if (!entry || !/^(bin|bench)\/[\w-]+\.ts$/.test(entry) || !existsSync(join(root, entry))) {
  console.error(
    `run-bundled: usage: node bin/run-bundled.mjs bin/<command>.ts [args...] (or bench/<script>.ts; got ${entry ?? 'nothing'})`,
  );
  process.exit(2);
}
const outDir = join(root, '.tools');
const bundle = join(outDir, `${basename(entry, '.ts')}.cjs`);
const stamp = `${bundle}.inputs.json`;

const hashOf = (file) =>
  createHash('sha256')
    .update(readFileSync(join(root, file)))
    .digest('hex');

/** A file of an npm package: below a node_modules folder (a linked one resolves outside the root). */
const isDependency = (file) => file.split(/[\\/]/).includes('node_modules');

/** A dependency's size and modification time; the content hash of any other file. */
function fingerprintOf(file) {
  if (!isDependency(file)) return hashOf(file);
  const { size, mtimeMs } = statSync(join(root, file));
  return `${size}:${mtimeMs}`;
}

/** True when the bundle exists and every input it was built from still has the recorded fingerprint. */
function fresh() {
  if (!existsSync(bundle) || !existsSync(stamp)) return false;
  try {
    const inputs = JSON.parse(readFileSync(stamp, 'utf8'));
    return Object.entries(inputs).every(([file, fingerprint]) => fingerprintOf(file) === fingerprint);
  } catch {
    return false; // an input that is gone, or a damaged stamp
  }
}

async function rebuild() {
  const { build } = await import('esbuild');
  mkdirSync(outDir, { recursive: true });
  const temporary = `${bundle}.${process.pid}.tmp`;
  const started = Date.now();
  const result = await build({
    entryPoints: [join(root, entry)],
    absWorkingDir: root,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: true,
    outfile: temporary,
    metafile: true,
    logLevel: 'error',
  });
  const inputs = Object.fromEntries(
    Object.keys(result.metafile.inputs)
      .map((file) => relative(root, resolve(root, file)))
      .concat([relative(root, fileURLToPath(import.meta.url)), 'package-lock.json'])
      .map((file) => [file, fingerprintOf(file)]),
  );
  // Renamed into place: a run in parallel never loads half a bundle.
  renameSync(temporary, bundle);
  // A file saved while esbuild ran may be newer than what it read: no stamp, so the next run rebuilds.
  const savedSince = Object.keys(inputs).some(
    (file) => !isDependency(file) && statSync(join(root, file)).mtimeMs >= started,
  );
  if (savedSince) return;
  writeFileSync(`${stamp}.${process.pid}.tmp`, JSON.stringify(inputs));
  renameSync(`${stamp}.${process.pid}.tmp`, stamp);
}

/** The digest of the bundle the main thread runs, for its worker threads to check theirs against. */
const DIGEST_VARIABLE = 'RUN_BUNDLED_DIGEST';

/**
 * Runs the bundle as `require` would, compiled with the code cache of exactly this bundle's content
 * (V8 checks only a cache's length and flags against the source, so the name carries a content hash).
 */
function runBundle() {
  const source = readFileSync(bundle, 'utf8');
  const digest = createHash('sha256').update(source).digest('hex').slice(0, 16);
  if (isMainThread) process.env[DIGEST_VARIABLE] = digest;
  else if (process.env[DIGEST_VARIABLE] !== digest) {
    // A rebuild by another run, between this command's check and this thread's start.
    throw new Error(`${bundle} changed while the command ran (it was rebuilt): run the command again`);
  }
  const cacheFile = `${bundle}.${digest}.v8`;
  const cachedData = existsSync(cacheFile) ? readFileSync(cacheFile) : undefined;
  const script = new Script(Module.wrap(source), {
    filename: bundle,
    cachedData,
    importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  if (isMainThread && (cachedData === undefined || script.cachedDataRejected)) {
    // Written once the command has run, so that the functions it compiled on the way are in it too.
    process.once('exit', () => {
      try {
        for (const old of readdirSync(outDir).filter(
          (name) => name.startsWith(`${basename(bundle)}.`) && name.endsWith('.v8'),
        ))
          rmSync(join(outDir, old), { force: true });
        const temporary = `${cacheFile}.${process.pid}.tmp`;
        writeFileSync(temporary, script.createCachedData());
        renameSync(temporary, cacheFile);
      } catch {
        // No cache only costs the time.
      }
    });
  }
  const module = new Module(bundle, undefined);
  module.filename = bundle;
  module.paths = Module._nodeModulePaths(dirname(bundle));
  const require = createRequire(bundle);
  script.runInThisContext()(module.exports, require, module, bundle, dirname(bundle));
}

if (isMainThread && !fresh()) await rebuild();
process.argv = [process.argv[0], bundle, ...args];
runBundle();
