import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FileTree, ImagePins, ReleaseError, applyPinRelease, formatPins, readTree } from '../../../lib';
import { IMAGE_PINS_FILE, INFRA_DIR, SYNTH_OWNED_DIRS } from '../../../charts/paths';
import { releaseImage, releaseRules, renderWithPins } from '../../../charts/release';
import { loadPinnedImages } from '../../../charts/images';
import { anotherTag } from '../../helpers/another-tag';
import { releaseFixture } from '../../helpers/release-fixture';

/** A release: a tag CI could build that is not the current pin. */
const NEW_TAG = anotherTag(loadPinnedImages().backend.tag);

/** Everything a release may touch, to prove that a failed one touched nothing. */
const state = (root: string): FileTree => ({
  pins: readFileSync(join(root, IMAGE_PINS_FILE), 'utf8'),
  ...readTree(join(root, INFRA_DIR), SYNTH_OWNED_DIRS),
});

describe('releaseImage (npm run release)', () => {
  let root: string;
  beforeEach(() => (root = releaseFixture()));
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  test('pins the image, regenerates infra/ and reports exactly the files that changed', () => {
    // given
    const before = state(root);
    const previous = JSON.parse(before.pins).backend as string;
    // when
    const result = releaseImage(root, 'backend', NEW_TAG);
    // then
    const pins = { ...JSON.parse(before.pins), backend: NEW_TAG };
    expect(readFileSync(join(root, IMAGE_PINS_FILE), 'utf8')).toBe(formatPins(pins));
    expect(result.bump).toMatchObject({ image: 'backend', previousTag: previous, tag: NEW_TAG });
    const after = readTree(join(root, INFRA_DIR), SYNTH_OWNED_DIRS);
    expect(after).toEqual(renderWithPins(pins));
    const reallyChanged = Object.keys(after).filter((path) => after[path] !== before[path]);
    expect([...result.changes.modified]).toEqual(reallyChanged.sort());
    expect(result.changes.added).toEqual([]);
    expect(result.changes.removed).toEqual([]);
    expect(result.changes.modified).toEqual(
      expect.arrayContaining([
        'k8s/backend/overlays/prod/kustomization.yaml',
        'k8s/backend/base/deployment-backend.yaml',
      ]),
    );
    expect(JSON.stringify(after)).not.toContain(previous);
  });

  test.each([
    ['frontend', NEW_TAG, /unknown image "frontend"/],
    ['backend', 'sha-0a1b2c3d', /has 8 hex digits/],
    ['backend', 'latest', /is not a sha tag/],
  ])('fails for image %j and tag %j and modifies nothing', (image, tag, message) => {
    // given
    const before = state(root);
    // when / then
    expect(() => releaseImage(root, image, tag)).toThrow(message);
    expect(state(root)).toEqual(before);
  });

  test('fails with "nothing to release" for the current tag and modifies nothing', () => {
    // given
    const before = state(root);
    const current = JSON.parse(before.pins).backend as string;
    // when / then
    expect(() => releaseImage(root, 'backend', current)).toThrow(/nothing to release/);
    expect(state(root)).toEqual(before);
  });

  test('fails when infra/ is stale, lists the stale files, and modifies nothing', () => {
    // given: a hand edit of a generated file
    const file = join(root, INFRA_DIR, 'k8s/backend/base/deployment-backend.yaml');
    writeFileSync(file, `${readFileSync(file, 'utf8')}# hand edit\n`);
    const before = state(root);
    // when / then
    expect(() => releaseImage(root, 'backend', NEW_TAG)).toThrow(
      /infra\/ is not what the code generates[\s\S]*M infra\/k8s\/backend\/base\/deployment-backend\.yaml[\s\S]*npm run synth/,
    );
    expect(state(root)).toEqual(before);
  });

  test('fails when rendering with the new pin fails, before writing anything', () => {
    // given: a renderer that refuses the new pin, as a policy violation would
    const before = state(root);
    const render = (pins: ImagePins): FileTree => {
      if (pins.backend === NEW_TAG) throw new Error('Validation failed: [IMG001] …');
      return renderWithPins(pins);
    };
    // when / then
    expect(() =>
      applyPinRelease('backend', NEW_TAG, {
        root,
        pinsFile: IMAGE_PINS_FILE,
        outputDir: INFRA_DIR,
        ownedDirs: SYNTH_OWNED_DIRS,
        rules: releaseRules,
        render,
      }),
    ).toThrow(/IMG001/);
    expect(state(root)).toEqual(before);
  });

  test('fails when the new pin changes no generated file (no workload uses the image)', () => {
    // given: a renderer that ignores the pins
    const before = state(root);
    const frozen = renderWithPins(JSON.parse(before.pins));
    // when / then
    expect(() =>
      applyPinRelease('backend', NEW_TAG, {
        root,
        pinsFile: IMAGE_PINS_FILE,
        outputDir: INFRA_DIR,
        ownedDirs: SYNTH_OWNED_DIRS,
        rules: releaseRules,
        render: () => frozen,
      }),
    ).toThrow(ReleaseError);
    expect(state(root)).toEqual(before);
  });

  test('fails on an unreadable release file with its rule, naming it, and modifies nothing', () => {
    // given
    writeFileSync(join(root, IMAGE_PINS_FILE), '{ "backend": ');
    const before = state(root);
    // when / then
    expect(() => releaseImage(root, 'backend', NEW_TAG)).toThrow(
      /^\[PIN001\] charts\/image-pins\.json: not valid JSON \(.+\)\. Fix: restore it from the production branch/,
    );
    expect(state(root)).toEqual(before);
  });

  test('fails on a pin the catalog would refuse, before looking at the new tag', () => {
    // given
    writeFileSync(join(root, IMAGE_PINS_FILE), '{ "backend": "dev" }\n');
    // when / then
    expect(() => releaseImage(root, 'backend', NEW_TAG)).toThrow(
      /^\[IMG002\] charts\/image-pins\.json: image "backend" has pin "dev"/,
    );
  });
});
