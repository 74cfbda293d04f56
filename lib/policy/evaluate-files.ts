import { resolve } from 'node:path';
import { SourcedObject, SourcedViolation, evaluateSourced } from './evaluate';
import { ManifestError, readManifestFile, withKustomizeNamespace } from './load-manifests';
import { isApiObject } from '../manifest/object-id';
import { KubeObject } from '../manifest/kube-object';
import { PolicyOptions, PolicyRule, Violation } from './types';

/** A violation with the file position it points at (the offending field's key, else the object). */
export interface LocatedViolation {
  readonly violation: Violation;
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
}

/**
 * Where a violation points in its file: the field's key when the finding names a path and `fields` is
 * set, else the object's first line. Finding a field parses its document again: only the reports that
 * print a field's position (JSON, SARIF) ask for it.
 */
export function locate({ violation, origin }: SourcedViolation, fields = true): LocatedViolation {
  if (!origin.file) return { violation };
  const at =
    fields && violation.path && origin.locate
      ? origin.locate(violation.path)
      : { line: origin.line, column: 1 };
  return { violation, file: origin.file, ...at };
}

/** How a shard reads its files and places its findings. */
export interface ShardReading {
  /**
   * Resolved path of each file whose objects a kustomization gives a namespace → that kustomization
   * (`listManifestFiles`).
   * @default - none
   */
  readonly namespacedBy?: Readonly<Record<string, string>>;
  /**
   * Place each finding at the line and column of its field (`locate`); otherwise at its object's first
   * line, which is all the text report prints.
   * @default true
   */
  readonly fieldPositions?: boolean;
}

/** What one shard of files gave: plain data, so that it crosses a thread boundary as it is. */
export interface ShardResult {
  /** Each with its order: file index, object index in the file, rule index. */
  readonly violations: readonly (LocatedViolation & { readonly order: readonly number[] })[];
  /** Each with the index of its file: errors are reported in file order too. */
  readonly errors: readonly {
    readonly file: string;
    readonly reason: string;
    readonly line?: number;
    readonly item: string;
    readonly order: number;
  }[];
  /** The objects a rule that compares objects needs (see `PolicyRule.comparesAcross`). */
  readonly across: readonly {
    readonly object: KubeObject;
    readonly source?: string;
    readonly file: string;
    readonly line?: number;
    readonly order: readonly number[];
  }[];
  readonly objectCount: number;
}

/**
 * The files of a run, handed out a chunk at a time to whichever thread asks next, each chunk once: a
 * thread that starts late or reads slow files just takes fewer chunks. Its counter is shared memory,
 * so that it works across worker threads (`workerData` shares it, not a copy).
 */
export interface FileQueue {
  /** The index of the next file nobody has claimed (one Int32 in a SharedArrayBuffer). */
  readonly next: Int32Array;
  readonly fileCount: number;
  readonly chunkSize: number;
}

/**
 * A queue of `fileCount` files. Chunks are small enough to even out the threads' finishing times and
 * large enough that claiming them costs nothing measurable.
 */
export function fileQueue(fileCount: number, chunkSize = 64): FileQueue {
  return { next: new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT)), fileCount, chunkSize };
}

/** Hands out a thread's next chunk of files, `[first, end)`, or `undefined` when there is none left. */
export type ClaimChunk = () => readonly [number, number] | undefined;

/** Claims from `queue`: each call takes the next chunk nobody has taken. */
export const claimFrom =
  (queue: FileQueue): ClaimChunk =>
  () => {
    const first = Atomics.add(queue.next, 0, queue.chunkSize);
    return first < queue.fileCount ? [first, Math.min(first + queue.chunkSize, queue.fileCount)] : undefined;
  };

/**
 * Reads the files this thread claims (`claim` gives indexes into `files`, the whole run's list) and
 * evaluates every rule that judges objects one at a time; the objects the other rules need are
 * returned for `evaluateFiles` to judge together.
 */
export function evaluateShard(
  files: readonly string[],
  claim: ClaimChunk,
  options: PolicyOptions,
  rules: readonly PolicyRule[],
  reading: ShardReading = {},
): ShardResult {
  const namespacedBy = reading.namespacedBy ?? {};
  const fields = reading.fieldPositions ?? true;
  const alone = rules.filter((rule) => !rule.comparesAcross);
  const comparing = rules.filter((rule) => rule.comparesAcross);
  const ruleIndex = indexesOf(rules);
  // Resolving every path costs more than judging some files: only done when a kustomization asks.
  const kustomized = Object.keys(namespacedBy).length > 0;
  const violations: ShardResult['violations'][number][] = [];
  const errors: ShardResult['errors'][number][] = [];
  const across: ShardResult['across'][number][] = [];
  let objectCount = 0;
  for (let chunk = claim(); chunk; chunk = claim()) {
    for (let index = chunk[0]; index < chunk[1]; index++) {
      const file = files[index];
      const read = readManifestFile(file);
      for (const { file: where, reason, line, item } of read.errors)
        errors.push({ file: where, reason, line, item, order: index });
      objectCount += read.objects.length;
      const objects = withKustomizeNamespace(
        read.objects,
        kustomized ? namespacedBy[resolve(file)] : undefined,
      );
      objects.forEach((sourced, position) => {
        const order = [index, position];
        for (const found of evaluateSourced([sourced], options, alone)) {
          violations.push({
            ...locate(found, fields),
            order: [...order, ruleIndex.get(found.violation.ruleId) ?? -1],
          });
        }
        const { object, source, line } = sourced;
        if (isApiObject(object) && comparing.some((rule) => rule.comparesAcross?.(object))) {
          across.push({ object, source, file, line, order });
        }
      });
    }
  }
  return { violations, errors, across, objectCount };
}

/** Each rule's index in `rules`: the report's order. */
const indexesOf = (rules: readonly PolicyRule[]): ReadonlyMap<string, number> =>
  new Map(rules.map((rule, index) => [rule.id, index]));

const compareOrder = (a: readonly number[], b: readonly number[]): number => {
  for (let index = 0; index < Math.max(a.length, b.length); index++) {
    const difference = (a[index] ?? -1) - (b[index] ?? -1);
    if (difference !== 0) return difference;
  }
  return 0;
};

/** A run's result over files: violations in file, object and rule order, and every file's errors. */
export interface FilesResult {
  readonly violations: readonly LocatedViolation[];
  readonly errors: readonly ManifestError[];
  readonly objectCount: number;
}

/**
 * Evaluates `rules` over `files`: `shards` runs of `evaluateShard` (in this thread, or in worker
 * threads) share one queue of the files (`queue`, when workers started earlier hold it already), then
 * the rules that compare objects judge what every shard selected for them. The report is the one a
 * single shard gives, in the same order, whatever the threads and whichever files each took.
 */
export async function evaluateFiles(
  files: readonly string[],
  options: PolicyOptions,
  rules: readonly PolicyRule[],
  shards: number,
  runShard: (queue: FileQueue, shard: number) => Promise<ShardResult>,
  queue: FileQueue = fileQueue(files.length),
): Promise<FilesResult> {
  const parts = Array.from({ length: Math.max(1, shards) }, (_, shard) => runShard(queue, shard));
  const results = await Promise.all(parts);
  const across = results.flatMap((result) => result.across);
  const together = rules.filter((rule) => rule.comparesAcross);
  const objects: SourcedObject[] = across.map(({ object, source, file, line }) => ({
    object,
    source,
    file,
    line,
  }));
  const indexOf = new Map(objects.map((object, index) => [object, index]));
  const ruleIndex = indexesOf(rules);
  const compared = evaluateSourced(objects, options, together).map((found) => {
    const index = indexOf.get(found.origin) as number;
    return { ...locate(found), order: [...across[index].order, ruleIndex.get(found.violation.ruleId) ?? -1] };
  });
  const violations = [...results.flatMap((result) => result.violations), ...compared].sort((a, b) =>
    compareOrder(a.order, b.order),
  );
  return {
    violations: violations.map(({ order: _order, ...located }) => located),
    // A stable sort: a file's errors keep their order.
    errors: results
      .flatMap((result) => result.errors)
      .sort((a, b) => a.order - b.order)
      .map((error) => new ManifestError(error.file, error.reason, error.line, error.item)),
    objectCount: results.reduce((sum, result) => sum + result.objectCount, 0),
  };
}
