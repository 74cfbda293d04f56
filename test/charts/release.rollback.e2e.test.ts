import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { KubeObject, containersOf, podSpecOf, readPins, readTree } from '../../lib';
import { imageRepositories, loadPinnedImages } from '../../charts/images';
import { IMAGE_PINS_FILE, INFRA_DIR, SYNTH_OWNED_DIRS } from '../../charts/paths';
import { releaseImage, renderWithPins } from '../../charts/release';
import { commitAll, git, initRepo } from '../helpers/git-repo';
import { renderEnvironment } from '../helpers/environment-overlays';
import { kustomizeBuild } from '../helpers/tools';
import { releaseFixture } from '../helpers/release-fixture';
import { anotherTag } from '../helpers/another-tag';

/** A release: a tag CI could build that is not the current pin. */
const NEW_TAG = anotherTag(loadPinnedImages().backend.tag);

/** The images production runs: every container of the rendered prod overlays. */
function prodImages(root: string): string[] {
  const objects = parseAllDocuments(renderEnvironment(root, 'prod', kustomizeBuild)).map(
    (document) => document.toJS() as KubeObject,
  );
  return objects
    .flatMap((object) => {
      const pod = podSpecOf(object);
      return pod ? containersOf(pod).map(({ container }) => container.image as string) : [];
    })
    .filter((image) => image.startsWith(`${imageRepositories.backend}:`));
}

describe('rollback by git revert of a release commit', () => {
  let root: string;
  let previous: string;
  beforeAll(() => {
    // given: a repository at a released state, then a release commit on top
    root = initRepo(releaseFixture());
    commitAll(root, 'production at the previous release');
    previous = readPins(join(root, IMAGE_PINS_FILE)).backend as string;
    releaseImage(root, 'backend', NEW_TAG);
    commitAll(root, `release: backend ${NEW_TAG}`);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test('before the revert, production runs the released tag (the check can fail)', () => {
    // when
    const images = prodImages(root);
    // then
    expect(images.length).toBeGreaterThanOrEqual(2);
    expect(images.every((image) => image.endsWith(`:${NEW_TAG}`))).toBe(true);
    expect(images.some((image) => image.endsWith(`:${previous}`))).toBe(false);
  });

  test('after git revert, the synthesized prod image equals the previous pin everywhere', () => {
    // when
    git(root, 'revert', '--no-edit', 'HEAD');
    // then
    expect(readPins(join(root, IMAGE_PINS_FILE)).backend).toBe(previous);
    const images = prodImages(root);
    expect(images.length).toBeGreaterThanOrEqual(2);
    for (const image of images) expect(image).toBe(`${imageRepositories.backend}:${previous}`);
    // and the reverted infra/ is exactly what synth generates from the reverted pins (no drift)
    expect(readTree(join(root, INFRA_DIR), SYNTH_OWNED_DIRS)).toEqual(
      renderWithPins(readPins(join(root, IMAGE_PINS_FILE))),
    );
    expect(git(root, 'status', '--porcelain')).toBe('');
  });
});
