import { PinFileError, ReleaseError, createImageCatalog, parseImagePins, pinnedTags } from '../../../lib';

const repositories = { backend: 'ghcr.io/acme/backend', worker: 'ghcr.io/acme/worker' };
const options = { pinSource: 'pins.json', shaTagLength: 7, catalogSource: 'the catalog in config.ts' };

/** The error `action` throws, for its fields. */
function errorOf(action: () => unknown): PinFileError {
  try {
    action();
  } catch (error) {
    if (error instanceof PinFileError) return error;
    throw error;
  }
  throw new Error('expected a PinFileError');
}

describe('createImageCatalog', () => {
  test('joins every repository with its pin', () => {
    // when
    const catalog = createImageCatalog(
      repositories,
      { backend: 'sha-0a1b2c3', worker: 'sha-1111111' },
      options,
    );
    // then
    expect(catalog.backend).toEqual({
      name: 'backend',
      repository: 'ghcr.io/acme/backend',
      tag: 'sha-0a1b2c3',
      reference: 'ghcr.io/acme/backend:sha-0a1b2c3',
    });
    expect(pinnedTags(catalog)).toEqual({
      'ghcr.io/acme/backend': 'sha-0a1b2c3',
      'ghcr.io/acme/worker': 'sha-1111111',
    });
  });

  test.each<[string, Record<string, unknown>, string, string | undefined, string]>([
    [
      'a pin for an image the catalog does not declare',
      { backend: 'sha-0a1b2c3', worker: 'sha-1111111', frontend: 'sha-2222222' },
      'PIN002',
      'frontend',
      '[PIN002] pins.json: pin for image "frontend", which the catalog does not declare (it has "backend", "worker"). ' +
        'Fix: declare "frontend" in the catalog in config.ts in the same pull request, or remove its pin',
    ],
    [
      'a catalog image with no pin',
      { backend: 'sha-0a1b2c3' },
      'PIN003',
      'worker',
      '[PIN003] pins.json: image "worker" has no pin. Fix: add "worker": "<the sha- tag CI built for it>" in a reviewed ' +
        'pull request, or restore it from the production branch (git checkout origin/main -- pins.json); pins change only through npm run release',
    ],
    [
      'a dev pin',
      { backend: 'dev', worker: 'sha-1111111' },
      'IMG002',
      'backend',
      '[IMG002] pins.json: image "backend" has pin "dev": tag "dev" is not a sha tag; expected "sha-" followed by ' +
        'exactly 7 lowercase hex digits, e.g. "sha-0a1b2c3". Fix: restore it from the production branch ' +
        '(git checkout origin/main -- pins.json); pins change only through npm run release',
    ],
    [
      'an 8-hex pin',
      { backend: 'sha-0a1b2c3d', worker: 'sha-1111111' },
      'IMG002',
      'backend',
      '[IMG002] pins.json: image "backend" has pin "sha-0a1b2c3d": tag "sha-0a1b2c3d" has 8 hex digits; expected "sha-" followed by exactly 7',
    ],
    [
      'a pin that is not a string',
      { backend: 7, worker: 'sha-1111111' },
      'IMG002',
      'backend',
      '[IMG002] pins.json: image "backend" has pin 7: a pin is a string',
    ],
  ])('fails on %s', (_what, pins, ruleId, image, message) => {
    // when
    const error = errorOf(() => createImageCatalog(repositories, pins, options));
    // then
    expect(error).toBeInstanceOf(ReleaseError);
    expect(error).toMatchObject({ ruleId, file: 'pins.json', image });
    expect(error.message.startsWith(message)).toBe(true);
  });
});

describe('parseImagePins', () => {
  test('reads a JSON object', () => {
    // when / then
    expect(parseImagePins('{ "backend": "sha-0a1b2c3" }', 'pins.json')).toEqual({ backend: 'sha-0a1b2c3' });
  });

  test.each([
    [
      'invalid JSON',
      '{ "backend": "sha-0a1b2c3", }',
      /^\[PIN001\] pins\.json: not valid JSON \(.+\)\. Fix: restore it/,
    ],
    [
      'an array',
      '["sha-0a1b2c3"]',
      /^\[PIN001\] pins\.json: holds an array, not an object of image name → tag/,
    ],
    ['null', 'null', /^\[PIN001\] pins\.json: holds null, not an object/],
    ['an empty file', '', /^\[PIN001\] pins\.json: not valid JSON/],
  ])('fails on %s', (_what, text, message) => {
    // when
    const error = errorOf(() => parseImagePins(text, 'pins.json'));
    // then
    expect(error.message).toMatch(message);
    expect(error).toMatchObject({ ruleId: 'PIN001', file: 'pins.json', image: undefined });
  });
});
