import { shaTagOf, shaTagPattern, shaTagProblem } from '../../../lib';

describe('sha tags', () => {
  test('accepts sha- and exactly the configured number of lowercase hex digits', () => {
    // when
    const problem = shaTagProblem('sha-0a1b2c3', 7);
    // then
    expect(problem).toBeUndefined();
  });

  test.each([
    ['sha-0a1b2c3d', /has 8 hex digits; expected "sha-" followed by exactly 7/],
    ['sha-0a1b2c', /has 6 hex digits/],
    ['sha-0A1B2C3', /is not a sha tag/],
    ['0a1b2c3', /is not a sha tag/],
    ['latest', /is not a sha tag/],
    ['sha-', /is not a sha tag/],
    ['', /the tag is empty \(an unset variable\?\)/],
  ])('fails for %j', (tag, message) => {
    // when
    const problem = shaTagProblem(tag, 7);
    // then
    expect(problem).toMatch(message);
  });

  test('the tag of a commit is sha- and its first digits', () => {
    // given
    const commit = '0a1b2c3d4e5f60718293a4b5c6d7e8f901234567';
    // when
    const tag = shaTagOf(commit, 7);
    // then
    expect(tag).toBe('sha-0a1b2c3');
    expect(shaTagPattern(7).test(tag)).toBe(true);
  });

  test.each(['0a1b2c3', 'HEAD', '0A1B2C3D4E5F60718293A4B5C6D7E8F901234567', ''])(
    'fails to tag %j, which is not a full commit id',
    (commit) => {
      // when / then
      expect(() => shaTagOf(commit, 7)).toThrow(/is not a full commit id/);
    },
  );

  test('fails for a length outside 7 to 40', () => {
    // when / then
    expect(() => shaTagPattern(6)).toThrow(/sha tag length 6 is invalid/);
  });
});
