import { parseImageReference } from '../../../lib';

describe('parseImageReference', () => {
  test.each([
    ['ghcr.io/acme/backend:sha-0a1b2c3', 'ghcr.io', 'acme/backend', 'sha-0a1b2c3', undefined],
    ['nginx', 'docker.io', 'nginx', undefined, undefined],
    ['someone/app:dev', 'docker.io', 'someone/app', 'dev', undefined],
    ['localhost:5000/app:v1', 'localhost:5000', 'app', 'v1', undefined],
    ['ghcr.io/acme/backend@sha256:abc', 'ghcr.io', 'acme/backend', undefined, 'sha256:abc'],
  ])('%s', (image, registry, path, tag, digest) => {
    // when
    const parsed = parseImageReference(image);
    // then
    expect(parsed).toEqual({ registry, path, tag, digest });
  });
});
