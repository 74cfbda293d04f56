import { ImageSource, ImageSourceKind } from '../../../lib';

describe('ImageSource', () => {
  test('a folder of this repository is the build context and a trigger path', () => {
    // when
    const source = ImageSource.folder('services/worker');
    // then
    expect(source).toMatchObject({
      kind: ImageSourceKind.FOLDER,
      location: 'services/worker',
      builtHere: true,
    });
    expect(source.buildContext).toBe('services/worker');
    expect(source.triggerPath).toBe('services/worker/**');
    expect(String(source)).toBe('folder services/worker');
  });

  test('another repository builds the image: no build context, no trigger path here', () => {
    // when
    const source = ImageSource.externalRepository('acme/backend');
    // then
    expect(source).toMatchObject({ kind: ImageSourceKind.EXTERNAL_REPOSITORY, builtHere: false });
    expect(source.buildContext).toBeUndefined();
    expect(source.triggerPath).toBeUndefined();
    expect(String(source)).toBe('repository acme/backend');
  });

  test.each([
    '',
    '/abs/path',
    'services/',
    '../elsewhere',
    'services/../x',
    './services',
    'services/*',
    'a b',
  ])('fails for the folder %j', (path) => {
    // when / then
    expect(() => ImageSource.folder(path)).toThrow(/is not a folder of this repository/);
  });

  test.each(['backend', 'acme/backend/extra', 'https://github.com/acme/backend', ''])(
    'fails for the repository %j',
    (repository) => {
      // when / then
      expect(() => ImageSource.externalRepository(repository)).toThrow(/is not a GitHub owner\/name/);
    },
  );
});
