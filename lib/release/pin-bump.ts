import { isDeepStrictEqual } from 'node:util';
import { ImagePins } from '../image/image-pins';
import { ReleaseError } from '../image/release-error';
import { shaTagProblem } from '../image/sha-tag';

/** What a release is checked against. */
export interface PinBumpRules {
  /** Logical names of the images a release may pin: the image catalog. */
  readonly catalog: readonly string[];
  /** Hex digits in a `sha-` tag, exactly as CI produces them. */
  readonly tagLength: number;
  /** Path of the release file, named in errors. */
  readonly pinSource: string;
}

/** One pin, changed. */
export interface PinBump {
  readonly image: string;
  readonly previousTag: string;
  readonly tag: string;
  /** The complete new content of the release file: `current` with exactly one entry changed. */
  readonly pins: Readonly<Record<string, string>>;
}

/** Names of the entries that differ between two sets of pins, sorted. */
export function changedPinEntries(before: ImagePins, after: ImagePins): string[] {
  return [...new Set([...Object.keys(before), ...Object.keys(after)])]
    .filter((name) => !isDeepStrictEqual(before[name], after[name]))
    .sort();
}

/**
 * The release file with `image` pinned to `tag`. Throws a `ReleaseError` for an image outside the
 * catalog, a tag that is not `sha-` + exactly `tagLength` lowercase hex digits, a tag that is already the
 * pin (nothing to release), or any result that does not change exactly that one entry.
 */
export function planPinBump(current: ImagePins, image: string, tag: string, rules: PinBumpRules): PinBump {
  if (!rules.catalog.includes(image)) {
    throw new ReleaseError(
      `unknown image "${image}": the catalog has ${rules.catalog.map((name) => `"${name}"`).join(', ')}. ` +
        'Declare a new image in the typed config before releasing it.',
    );
  }
  const tagProblem = shaTagProblem(tag, rules.tagLength);
  if (tagProblem) throw new ReleaseError(`cannot pin image "${image}": ${tagProblem}`);

  const previousTag = current[image];
  if (typeof previousTag !== 'string') {
    throw new ReleaseError(
      `${rules.pinSource} has no tag for image "${image}" (found ${JSON.stringify(previousTag)}); fix the file in a reviewed pull request`,
    );
  }
  if (previousTag === tag) {
    throw new ReleaseError(
      `nothing to release: image "${image}" is already pinned to ${tag} in ${rules.pinSource}`,
    );
  }

  const pins = { ...(current as Record<string, string>), [image]: tag };
  const changed = changedPinEntries(current, pins);
  if (changed.length !== 1 || changed[0] !== image) {
    throw new ReleaseError(
      `a release must change exactly the pin of "${image}" in ${rules.pinSource}, but it changes [${changed.join(', ')}]`,
    );
  }
  return { image, previousTag, tag, pins };
}
