/** A full Git commit id: 40 hex digits (SHA-1) or 64 (SHA-256). */
const COMMIT_PATTERN = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/**
 * `sha-` followed by exactly `length` lowercase hex digits: the tags one CI pipeline produces. This is the
 * one definition of a `sha-` tag; the catalog, the policy rule IMG002, `npm run release` and the image
 * admission policy all build their check from it, with the length the app configures.
 */
export function shaTagPattern(length: number): RegExp {
  if (!Number.isInteger(length) || length < 7 || length > 40) {
    throw new Error(`sha tag length ${length} is invalid; use an integer from 7 to 40`);
  }
  return new RegExp(`^sha-[0-9a-f]{${length}}$`);
}

/** What a `sha-` tag of `length` hex digits looks like, for messages: `"sha-" followed by exactly 7 …`. */
export function shaTagExpectation(length: number): string {
  shaTagPattern(length);
  return `"sha-" followed by exactly ${length} lowercase hex digits, e.g. "sha-${'0a1b2c3d4e'.repeat(4).slice(0, length)}"`;
}

/**
 * Why `tag` is not a `sha-` tag of `length` hex digits, or `undefined` when it is. The reason names the
 * value and the expected form, so that a tag of the wrong length (8 hex digits where CI writes 7) or an
 * empty tag (an unset shell variable) is reported, not written.
 */
export function shaTagProblem(tag: string, length: number): string | undefined {
  if (shaTagPattern(length).test(tag)) return undefined;
  const expected = `expected ${shaTagExpectation(length)}`;
  if (tag === '') return `the tag is empty (an unset variable?); ${expected}`;
  const hex = /^sha-([0-9a-f]+)$/.exec(tag)?.[1];
  if (hex) return `tag "${tag}" has ${hex.length} hex digits; ${expected}`;
  return `tag "${tag}" is not a sha tag; ${expected}`;
}

/** True for a full commit id in lowercase hex, the form CI and dispatches name builds by. */
export function isCommitId(value: string): boolean {
  return COMMIT_PATTERN.test(value);
}

/** The tag CI gives the image built from `commit`: `sha-` and the first `length` hex digits. */
export function shaTagOf(commit: string, length: number): string {
  if (!isCommitId(commit)) {
    throw new Error(`"${commit}" is not a full commit id (40 or 64 lowercase hex digits)`);
  }
  shaTagPattern(length);
  return `sha-${commit.slice(0, length)}`;
}
