import { ReleaseError, changedPinEntries, planPinBump } from '../../../lib';

const rules = { catalog: ['backend', 'worker'], tagLength: 7, pinSource: 'pins.json' };
const current = { backend: 'sha-1111111', worker: 'sha-2222222' };

describe('planPinBump', () => {
  test('changes exactly the pin of the named image', () => {
    // when
    const bump = planPinBump(current, 'backend', 'sha-0a1b2c3', rules);
    // then
    expect(bump).toEqual({
      image: 'backend',
      previousTag: 'sha-1111111',
      tag: 'sha-0a1b2c3',
      pins: { backend: 'sha-0a1b2c3', worker: 'sha-2222222' },
    });
    expect(changedPinEntries(current, bump.pins)).toEqual(['backend']);
    expect(Object.keys(bump.pins)).toEqual(Object.keys(current));
  });

  test.each([
    ['frontend', 'sha-0a1b2c3', /unknown image "frontend": the catalog has "backend", "worker"/],
    ['backend', 'sha-0a1b2c3d', /cannot pin image "backend": tag "sha-0a1b2c3d" has 8 hex digits/],
    ['backend', 'latest', /cannot pin image "backend": tag "latest" is not a sha tag/],
    ['backend', '', /the tag is empty/],
    [
      'backend',
      'sha-1111111',
      /nothing to release: image "backend" is already pinned to sha-1111111 in pins.json/,
    ],
  ])('fails for image %j and tag %j', (image, tag, message) => {
    // when / then
    expect(() => planPinBump(current, image, tag, rules)).toThrow(ReleaseError);
    expect(() => planPinBump(current, image, tag, rules)).toThrow(message);
  });

  test('fails when the release file has no tag for a catalog image', () => {
    // when / then
    expect(() => planPinBump({ backend: 'sha-1111111' }, 'worker', 'sha-0a1b2c3', rules)).toThrow(
      /pins.json has no tag for image "worker" \(found undefined\)/,
    );
  });
});

describe('changedPinEntries', () => {
  test('lists added, removed and changed entries', () => {
    // when
    const changed = changedPinEntries({ a: '1', b: '2', c: '3' }, { a: '1', b: '9', d: '4' });
    // then
    expect(changed).toEqual(['b', 'c', 'd']);
  });
});
