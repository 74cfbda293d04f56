import { existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readPins } from '../image/image-catalog';
import { FileTree } from '../manifest/file-tree';
import { readTree } from '../manifest/read-tree';
import { writeTreeAtomically } from '../manifest/write-tree';
import { ImagePins } from '../image/image-pins';
import { ReleaseError } from '../image/release-error';
import { PinBump, PinBumpRules, planPinBump } from './pin-bump';
import { TreeChanges, formatTreeChanges, isUnchanged, treeChanges } from '../manifest/tree-changes';

/** Where a repository keeps its release file and generated output, and how it renders the latter. */
export interface PinReleaseProps {
  /** The repository root; the paths below are relative to it. */
  readonly root: string;
  /** The release file: a JSON object, logical image name → tag. */
  readonly pinsFile: string;
  /** The folder generated output is written to, e.g. `infra`. */
  readonly outputDir: string;
  /** Folders of `outputDir` that rendering owns and replaces as a whole. */
  readonly ownedDirs: readonly string[];
  readonly rules: PinBumpRules;
  /** Renders every owned file for a set of pins, keyed by path relative to `outputDir`; throws on a violation. */
  readonly render: (pins: ImagePins) => FileTree;
}

export interface PinReleaseResult {
  readonly bump: PinBump;
  /** Generated files the release changed, relative to `outputDir`. */
  readonly changes: TreeChanges;
}

/** The release file's text: two-space JSON and a final newline, as Prettier writes it. */
export function formatPins(pins: ImagePins): string {
  return `${JSON.stringify(pins, null, 2)}\n`;
}

/**
 * Pins `image` to `tag` and regenerates the output, all or nothing. In order: the bump is validated
 * (`planPinBump`); the committed output must equal what the current pins render (otherwise the release
 * would carry unrelated changes); the output is rendered with the new pins, entirely in memory, and must
 * differ from the current one (a pin no workload uses is an error). Only then are files written: the
 * output folders swapped at once, then the release file renamed into place. If that last step fails,
 * the previous output is put back. Any failure throws and leaves the repository as it was.
 */
export function applyPinRelease(image: string, tag: string, props: PinReleaseProps): PinReleaseResult {
  const pinsPath = join(props.root, props.pinsFile);
  const outputRoot = join(props.root, props.outputDir);
  const current = readPins(pinsPath, props.pinsFile);
  const bump = planPinBump(current, image, tag, props.rules);

  const onDisk = readTree(outputRoot, props.ownedDirs);
  const stale = treeChanges(onDisk, props.render(current));
  if (!isUnchanged(stale)) {
    throw new ReleaseError(
      `${props.outputDir}/ is not what the code generates with the current pins, so a release would carry ` +
        `unrelated changes:\n  ${formatTreeChanges(stale, `${props.outputDir}/`).join('\n  ')}\n` +
        'Run `npm run synth` and merge the result first.',
    );
  }
  const next = props.render(bump.pins);
  const changes = treeChanges(onDisk, next);
  if (isUnchanged(changes)) {
    throw new ReleaseError(
      `pinning "${image}" to ${tag} changes no generated file: no workload uses that image`,
    );
  }

  const staged = `${pinsPath}.release-${process.pid}`;
  writeFileSync(staged, formatPins(bump.pins));
  try {
    writeTreeAtomically(outputRoot, next, props.ownedDirs);
    try {
      renameSync(staged, pinsPath);
    } catch (error) {
      writeTreeAtomically(outputRoot, onDisk, props.ownedDirs);
      throw error;
    }
  } finally {
    if (existsSync(staged)) rmSync(staged);
  }
  return { bump, changes };
}
