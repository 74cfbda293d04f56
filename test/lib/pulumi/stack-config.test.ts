import { ProjectConfig, stackFileConfig } from '../../../lib/pulumi/stack-config';

describe('stackFileConfig', () => {
  test('flattens a stack file the way the engine passes configuration: structured values as JSON', () => {
    // given
    const text = 'config:\n  p:name: x\n  p:count: 2\n  p:list:\n    - a\n    - b\n  github:owner: o\n';
    // when
    const values = stackFileConfig(text, 'Pulumi.test.yaml');
    // then
    expect(values).toEqual({ 'p:name': 'x', 'p:count': '2', 'p:list': '["a","b"]', 'github:owner': 'o' });
  });

  test('fails when config is not a map', () => {
    // given / when / then
    expect(() => stackFileConfig('config:\n  - a\n', 'Pulumi.bad.yaml')).toThrow(
      /Pulumi.bad.yaml: "config" is not a map/,
    );
  });
});

describe('ProjectConfig', () => {
  const config = new ProjectConfig({ 'p:name': 'x', 'p:count': '2', 'p:list': '["a"]', 'q:other': 'y' }, 'p');

  test('reads its own keys with defaults', () => {
    // given / when / then
    expect(config.keys().sort()).toEqual(['count', 'list', 'name']);
    expect(config.string('name', 'd')).toBe('x');
    expect(config.string('missing', 'd')).toBe('d');
    expect(config.integer('count')).toBe(2);
    expect(config.integer('missing', 7)).toBe(7);
    expect(config.stringList('list')).toEqual(['a']);
  });

  test('fails for unknown keys, naming them', () => {
    // given / when / then
    expect(() => config.rejectUnknownKeys(['name', 'count'])).toThrow(
      'unknown configuration p:list; known keys: name, count',
    );
  });

  test.each([
    [
      'an integer that is not set',
      () => config.integer('absent'),
      'p:absent is not set; fix: pulumi config set absent <number>',
    ],
    [
      'an integer that is not whole',
      () => new ProjectConfig({ 'p:n': '1.5' }, 'p').integer('n'),
      'p:n has value "1.5"',
    ],
    [
      'a list that is not a list',
      () => new ProjectConfig({ 'p:l': 'a' }, 'p').stringList('l'),
      'p:l has value "a"',
    ],
    [
      'a list that is not set',
      () => config.stringList('absent'),
      "pulumi config set --path 'absent[0]' <value>",
    ],
    ['a blank string', () => new ProjectConfig({ 'p:s': ' ' }, 'p').string('s', 'd'), 'p:s has value " "'],
  ])('fails for %s', (_case, read, message) => {
    // given / when / then
    expect(read).toThrow(message);
  });
});
