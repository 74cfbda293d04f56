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

/** Where a violation points in its file: the field's key when the finding names a path. */
export function locate({ violation, origin }: SourcedViolation): LocatedViolation {
  if (!origin.file) return { violation };
  const at =
    violation.path && origin.locate ? origin.locate(violation.path) : { line: origin.line, column: 1 };
  return { violation, file: origin.file, ...at };
}

/** What one shard of files gave: plain data, so that it crosses a thread boundary as it is. */
export interface ShardResult {
  /** Each with its order: file index, object index in the file, rule index. */
  readonly violations: readonly (LocatedViolation & { readonly order: readonly number[] })[];
  readonly errors: readonly { readonly location: string; readonly reason: string }[];
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
 * Reads `files` and evaluates every rule that judges objects one at a time; the objects the other
 * rules need are returned for `evaluateFiles` to judge together. `firstFile` is the index of
 * `files[0]` in the whole run, for the order of the report.
 */
export function evaluateShard(
  files: readonly string[],
  firstFile: number,
  options: PolicyOptions,
  rules: readonly PolicyRule[],
  namespacedBy: Readonly<Record<string, string>> = {},
): ShardResult {
  const alone = rules.filter((rule) => !rule.comparesAcross);
  const violations: ShardResult['violations'][number][] = [];
  const errors: ShardResult['errors'][number][] = [];
  const across: ShardResult['across'][number][] = [];
  let objectCount = 0;
  files.forEach((file, index) => {
    const read = readManifestFile(file);
    errors.push(...read.errors.map((error) => ({ location: error.location, reason: reasonOf(error) })));
    objectCount += read.objects.length;
    withKustomizeNamespace(read.objects, namespacedBy[resolve(file)]).forEach((sourced, position) => {
      const order = [firstFile + index, position];
      for (const found of evaluateSourced([sourced], options, alone)) {
        const ruleIndex = rules.findIndex((rule) => rule.id === found.violation.ruleId);
        violations.push({ ...locate(found), order: [...order, ruleIndex] });
      }
      const { object, source, line } = sourced;
      if (isApiObject(object) && rules.some((rule) => rule.comparesAcross?.(object))) {
        across.push({ object, source, file, line, order });
      }
    });
  });
  return { violations, errors, across, objectCount };
}

const reasonOf = (error: ManifestError): string => error.message.slice(error.location.length + 2);

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
 * Evaluates `rules` over `files`, split into `shards.length` contiguous shards that `shards` runs
 * (in this thread, or in worker threads running `evaluateShard`), then the rules that compare objects
 * over what every shard selected for them. The report is the one a single shard gives, in the same
 * order, whatever the split.
 */
export async function evaluateFiles(
  files: readonly string[],
  options: PolicyOptions,
  rules: readonly PolicyRule[],
  shards: number,
  runShard: (files: readonly string[], firstFile: number) => Promise<ShardResult>,
): Promise<FilesResult> {
  const size = Math.ceil(files.length / Math.max(1, shards));
  const parts: Promise<ShardResult>[] = [];
  for (let first = 0; first < files.length; first += size)
    parts.push(runShard(files.slice(first, first + size), first));
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
  const compared = evaluateSourced(objects, options, together).map((found) => {
    const index = indexOf.get(found.origin) as number;
    const ruleIndex = rules.findIndex((rule) => rule.id === found.violation.ruleId);
    return { ...locate(found), order: [...across[index].order, ruleIndex] };
  });
  const violations = [...results.flatMap((result) => result.violations), ...compared].sort((a, b) =>
    compareOrder(a.order, b.order),
  );
  return {
    violations: violations.map(({ order: _order, ...located }) => located),
    errors: results.flatMap((result) =>
      result.errors.map((error) => new ManifestError(error.location, error.reason)),
    ),
    objectCount: results.reduce((sum, result) => sum + result.objectCount, 0),
  };
}
