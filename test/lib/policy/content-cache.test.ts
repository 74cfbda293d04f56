import { mkdtempSync, readFileSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cachedByContent, cachedByFile } from '../../../lib/policy/content-cache';

/** A computation that counts its calls. */
const counted = () => {
  const calls: string[] = [];
  return { calls, of: (text: string) => () => (calls.push(text), { length: text.length }) };
};

describe('cachedByContent: a value computed from a text, kept by the text’s hash', () => {
  test('is computed once per text and kind, then read back', () => {
    // given
    const cache = { dir: join(mkdtempSync(join(tmpdir(), 'cache-')), 'entries'), kind: 'test-v1' };
    const compute = counted();
    // when
    const values = ['abc', 'abc', 'de', 'abc'].map((text) => cachedByContent(cache, text, compute.of(text)));
    const other = cachedByContent({ ...cache, kind: 'test-v2' }, 'abc', compute.of('abc'));
    // then
    expect(values).toEqual([{ length: 3 }, { length: 3 }, { length: 2 }, { length: 3 }]);
    expect(other).toEqual({ length: 3 });
    expect(compute.calls).toEqual(['abc', 'de', 'abc']);
    expect(readdirSync(cache.dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  test('a damaged entry is computed again and replaced', () => {
    // given
    const cache = { dir: mkdtempSync(join(tmpdir(), 'cache-')), kind: 'test-v1' };
    cachedByContent(cache, 'abc', () => ({ length: 3 }));
    const [entry] = readdirSync(cache.dir);
    writeFileSync(join(cache.dir, entry), '{"length": 3');
    const compute = counted();
    // when
    const value = cachedByContent(cache, 'abc', compute.of('abc'));
    // then
    expect(value).toEqual({ length: 3 });
    expect(compute.calls).toEqual(['abc']);
    expect(JSON.parse(readFileSync(join(cache.dir, entry), 'utf8'))).toEqual({ length: 3 });
  });

  test('a folder that cannot be made, or no cache at all, only costs the computing', () => {
    // given: a file where the folder would go
    const blocked = join(mkdtempSync(join(tmpdir(), 'cache-')), 'entries');
    writeFileSync(blocked, 'not a folder');
    const compute = counted();
    // when
    const values = [
      cachedByContent({ dir: blocked, kind: 'test-v1' }, 'abc', compute.of('abc')),
      cachedByContent({ dir: blocked, kind: 'test-v1' }, 'abc', compute.of('abc')),
      cachedByContent(undefined, 'abc', compute.of('abc')),
    ];
    // then
    expect(values).toEqual([{ length: 3 }, { length: 3 }, { length: 3 }]);
    expect(compute.calls).toEqual(['abc', 'abc', 'abc']);
  });
});

describe('cachedByFile: a value computed from a file, kept by its path, size and time', () => {
  test('is computed once for a file, and again once the file is replaced', () => {
    // given
    const dir = mkdtempSync(join(tmpdir(), 'cache-'));
    const cache = { dir: join(dir, 'entries'), kind: 'test-v1' };
    const file = join(dir, 'input.json');
    writeFileSync(file, 'abc');
    const calls: string[] = [];
    const compute = (text: string) => (calls.push(text), { length: text.length });
    // when
    const before = [cachedByFile(cache, file, compute), cachedByFile(cache, file, compute)];
    writeFileSync(file, 'abcd');
    utimesSync(file, new Date(2001, 0, 1), new Date(2001, 0, 1));
    const after = [cachedByFile(cache, file, compute), cachedByFile(cache, file, compute)];
    // then
    expect([...before, ...after]).toEqual([{ length: 3 }, { length: 3 }, { length: 4 }, { length: 4 }]);
    expect(calls).toEqual(['abc', 'abcd']);
  });

  test('without a cache it reads and computes every time', () => {
    // given
    const file = join(mkdtempSync(join(tmpdir(), 'cache-')), 'input.json');
    writeFileSync(file, 'abc');
    const calls: string[] = [];
    // when
    const values = [1, 2].map(() => cachedByFile(undefined, file, (text) => (calls.push(text), text)));
    // then
    expect(values).toEqual(['abc', 'abc']);
    expect(calls).toEqual(['abc', 'abc']);
  });
});
