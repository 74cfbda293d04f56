import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PolicyOptions } from '../../../lib';
import {
  ClaimChunk,
  FilesResult,
  claimFrom,
  evaluateFiles,
  evaluateShard,
  fileQueue,
} from '../../../lib/policy/evaluate-files';
import { RULES } from '../../../lib/policy/rules';
import { ALLOWED_REGISTRY, GOOD_IMAGE } from '../../helpers/fixtures';

const options: PolicyOptions = {
  allowedRegistries: [ALLOWED_REGISTRY],
  shaTagLength: 7,
  catalog: { 'ghcr.io/acme/app': GOOD_IMAGE.split(':')[1] },
};

/** Nine files: pods with findings, unreadable files, and one Application name used in three files (ARGO008). */
function files(): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'evaluate-files-'));
  return Array.from({ length: 9 }, (_, index) => {
    const file = join(dir, `file-${index}.yaml`);
    const content =
      index % 3 === 0
        ? `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: same, namespace: argocd}\n`
        : index % 3 === 1
          ? `apiVersion: v1\nkind: Pod\nmetadata: {name: p${index}, namespace: production}\nspec: {hostPID: true}\n`
          : `apiVersion: v1\nkind: [\n`;
    writeFileSync(file, content);
    return file;
  });
}

/** The shard takes every `step`-th file from `first`, one at a time, last first: an order no queue gives. */
const everyNth = (first: number, step: number, count: number): ClaimChunk => {
  const mine = Array.from({ length: count }, (_, index) => index).filter((index) => index % step === first);
  return () => {
    const index = mine.pop();
    return index === undefined ? undefined : [index, index + 1];
  };
};

const summary = ({ violations, errors, objectCount }: FilesResult) => ({
  violations: violations.map(({ violation, file, line }) => [violation.ruleId, violation.object, file, line]),
  errors: errors.map((error) => error.message),
  objectCount,
});

describe('evaluateFiles: the same report however the files are split between threads', () => {
  test('a queue hands out each chunk once, in order, then nothing', () => {
    const claim = claimFrom(fileQueue(10, 3));
    expect([claim(), claim(), claim(), claim(), claim()]).toEqual([
      [0, 3],
      [3, 6],
      [6, 9],
      [9, 10],
      undefined,
    ]);
  });

  test('shards taking interleaved files in reverse report what one shard reports, errors in file order', async () => {
    // given
    const all = files();
    const alone = await evaluateFiles(all, options, RULES, 1, async (queue) =>
      evaluateShard(all, claimFrom(queue), options, RULES),
    );
    // when
    const split = await evaluateFiles(all, options, RULES, 3, async (_queue, shard) =>
      evaluateShard(all, everyNth(shard, 3, all.length), options, RULES),
    );
    // then
    expect(summary(split)).toEqual(summary(alone));
    expect(summary(split).errors.map((message) => message.split(':')[0])).toEqual([all[2], all[5], all[8]]);
    expect(split.violations.filter(({ violation }) => violation.ruleId === 'ARGO008')).toHaveLength(3);
    expect(split.objectCount).toBe(6);
  });

  test('without field positions a finding is placed at its object, as the text report prints it', async () => {
    // given
    const all = files();
    const run = (fieldPositions: boolean) =>
      evaluateFiles(all, options, RULES, 1, async (queue) =>
        evaluateShard(all, claimFrom(queue), options, RULES, { fieldPositions }),
      );
    // when
    const [placed, unplaced] = [await run(true), await run(false)];
    // then
    const hostPid = (result: FilesResult) =>
      result.violations.find(
        ({ violation }) => violation.ruleId === 'PSS007' && violation.source?.includes('file-1'),
      );
    expect(hostPid(placed)).toMatchObject({ line: 4, column: 8 });
    expect(hostPid(unplaced)).toMatchObject({ line: 1, column: 1 });
    expect(unplaced.violations.map(({ violation }) => violation)).toEqual(
      placed.violations.map(({ violation }) => violation),
    );
  });
});
