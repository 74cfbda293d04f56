import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { loadPinnedImages } from '../../charts/images';
import { REPO_ROOT } from '../helpers/tools';

/** Every file below `dir` but snapshots, which record on purpose (the release round trip reruns them). */
function filesBelow(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === '__snapshots__' ? [] : filesBelow(path);
    return [path];
  });
}

/** `file:line` of each line of `files` holding one of `tags` as a whole tag (not a longer one's start). */
function recordedPins(files: readonly string[], tags: readonly string[]): string[] {
  return files.flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .flatMap((line, index) =>
        tags
          .filter((tag) => new RegExp(`${tag}(?![0-9a-fA-F])`).test(line))
          .map((tag) => `${relative(REPO_ROOT, file)}:${index + 1}: ${tag}`),
      ),
  );
}

// A release changes the pins and nothing a test may depend on: a test that wrote today's pin down would
// fail the day after the next release (and would need an edit, not a review). So no file of test/ holds
// a pin of charts/image-pins.json: a test takes it from loadPinnedImages(), and "another release" from
// anotherTag() (test/helpers/another-tag.ts). The release round trip (test/bin/release-keeps-main-green.sh)
// proves the snapshots and the in-process tests on a released commit; this is what lets it skip the
// process group there.
describe('no test records a pin', () => {
  const tags = Object.values(loadPinnedImages()).map((image) => image.tag);

  test('no file of test/ (snapshots aside) holds a pinned tag', () => {
    const found = recordedPins(filesBelow(join(REPO_ROOT, 'test')), tags);
    expect({
      found,
      fix: 'read the pin with loadPinnedImages() (charts/images.ts), or take anotherTag() of it for a new release',
    }).toEqual({ found: [], fix: expect.any(String) });
  });

  test('the check finds a pin written into a file, and not a longer tag starting with it', () => {
    const [tag] = tags;
    const file = join(REPO_ROOT, 'charts', 'image-pins.json');
    expect(recordedPins([file], [tag])).toEqual([
      expect.stringMatching(/^charts\/image-pins\.json:\d+: sha-/),
    ]);
    expect(recordedPins([file], [tag.slice(0, -1)])).toEqual([]);
  });
});
