import { judging, memoized } from '../../../lib/policy/judging-scope';

/** A derivation that counts its calls. */
const counted = () => {
  const calls: object[] = [];
  const derive = memoized((key: { n: number }) => (calls.push(key), { double: key.n * 2 }));
  return { calls, derive };
};

describe('judging scope: what the rules derive from an object, derived once while they judge it', () => {
  test('within a scope each key is derived once, and every caller gets the same value', () => {
    // given
    const { calls, derive } = counted();
    const [a, b] = [{ n: 1 }, { n: 2 }];
    // when
    const values = judging(() => [derive(a), derive(b), derive(a)]);
    // then
    expect(values).toEqual([{ double: 2 }, { double: 4 }, { double: 2 }]);
    expect(values[0]).toBe(values[2]);
    expect(calls).toEqual([a, b]);
  });

  test('outside a scope, and in the next one, it is derived again: a changed object is never answered from an old value', () => {
    // given
    const { calls, derive } = counted();
    const object = { n: 1 };
    // when
    const first = judging(() => derive(object));
    object.n = 5;
    const alone = derive(object);
    const next = judging(() => derive(object));
    // then
    expect([first, alone, next]).toEqual([{ double: 2 }, { double: 10 }, { double: 10 }]);
    expect(calls).toHaveLength(3);
  });

  test('a scope ends when its judging throws, and the scope around it is back', () => {
    // given
    const { calls, derive } = counted();
    const object = { n: 1 };
    // when
    judging(() => {
      derive(object);
      expect(() =>
        judging(() => {
          throw new Error('rule failed');
        }),
      ).toThrow('rule failed');
      derive(object);
    });
    derive(object);
    // then
    expect(calls).toHaveLength(2);
  });
});
