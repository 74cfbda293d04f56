/**
 * A tag CI could produce that differs from `tag` in every hex digit (each one plus 1, f wrapping to 0):
 * "a new release" in a test, derived from the current pin so that no real release can make it equal
 * to the pin (a literal such as sha-0a1b2c3 turned tests red the day CI produced that tag).
 */
export function anotherTag(tag: string): string {
  const match = /^sha-([0-9a-f]+)$/.exec(tag);
  if (!match) throw new Error(`anotherTag: "${tag}" is not a sha tag`);
  return `sha-${[...match[1]].map((digit) => ((parseInt(digit, 16) + 1) % 16).toString(16)).join('')}`;
}
