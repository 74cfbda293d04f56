/* global process, console */
// Runs a bin/ command (or a bench/ script) from a prebuilt JavaScript bundle of it, so that the command starts without
// tsx compiling TypeScript (about a second): `node bin/run-bundled.mjs bin/policy.ts [args...]`.
//
// The bundle is only a faster way to load the same sources, never a second implementation: it is
// built from bin/<command>.ts by esbuild (tsx's own compiler) into .tools/<command>.cjs, with the
// content hash of every input file esbuild read. Before each run every input is hashed again; any
// difference (or a missing bundle) rebuilds it first, so a stale bundle can never run.
// The bundle sits one folder below the repository root, as bin/ does, so `__dirname/..` stays the root.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

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

/** True when the bundle exists and every input it was built from still has the recorded content. */
function fresh() {
  if (!existsSync(bundle) || !existsSync(stamp)) return false;
  try {
    const inputs = JSON.parse(readFileSync(stamp, 'utf8'));
    return Object.entries(inputs).every(
      ([file, hash]) => existsSync(join(root, file)) && hashOf(file) === hash,
    );
  } catch {
    return false;
  }
}

async function rebuild() {
  const { build } = await import('esbuild');
  mkdirSync(outDir, { recursive: true });
  const temporary = `${bundle}.${process.pid}.tmp`;
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
      .map((file) => [file, hashOf(file)]),
  );
  // Renamed into place: a run in parallel never loads half a bundle.
  renameSync(temporary, bundle);
  writeFileSync(`${stamp}.${process.pid}.tmp`, JSON.stringify(inputs));
  renameSync(`${stamp}.${process.pid}.tmp`, stamp);
}

if (!fresh()) await rebuild();
process.argv = [process.argv[0], bundle, ...args];
createRequire(import.meta.url)(bundle);
