import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { threadId } from 'node:worker_threads';

/** Where `cachedByContent` keeps its entries, and under which name. */
export interface ContentCache {
  /** The folder of the entries; created when the first one is written. */
  readonly dir: string;
  /**
   * Names what is computed and how: change it whenever the computation changes, so that no entry of
   * the old one is read (e.g. `crd-served-v1`).
   */
  readonly kind: string;
}

/**
 * `compute()`, a pure function of `text` whose result is plain JSON, kept in `cache.dir` under the
 * text's SHA-256: a later run with the same text parses the JSON instead of computing it again.
 * Without a cache it only computes. An entry that cannot be read is computed again, and a folder that
 * cannot be written costs only the time: a cache never changes a result.
 */
export function cachedByContent<T>(cache: ContentCache | undefined, text: string, compute: () => T): T {
  if (!cache) return compute();
  const file = join(cache.dir, `${cache.kind}-${createHash('sha256').update(text).digest('hex')}.json`);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    // Not computed yet (or a damaged entry, which is replaced below).
  }
  const value = compute();
  try {
    mkdirSync(cache.dir, { recursive: true });
    // Renamed into place: a run in parallel reads a whole entry or none.
    const temporary = `${file}.${process.pid}-${threadId}.tmp`;
    writeFileSync(temporary, JSON.stringify(value));
    renameSync(temporary, file);
  } catch {
    // A read-only or full disk: the value is still right, only not kept.
  }
  return value;
}

/**
 * `compute` of the text of `file`, kept in `cache.dir` under the file's path, size and modification
 * time instead of its content: a later run reads neither the file nor its hash, only the kept JSON (the
 * OpenAPI files a run reads are 5 MB). For files that are replaced rather than edited, as the Go module
 * cache's are (its folders are read-only): an edit that kept both the size and the time would go unseen.
 * Without a cache it only reads and computes.
 */
export function cachedByFile<T>(
  cache: ContentCache | undefined,
  file: string,
  compute: (text: string) => T,
): T {
  const read = () => compute(readFileSync(file, 'utf8'));
  if (!cache) return read();
  const { size, mtimeMs } = statSync(file);
  return cachedByContent(cache, `${resolve(file)}\n${size}\n${mtimeMs}`, read);
}
