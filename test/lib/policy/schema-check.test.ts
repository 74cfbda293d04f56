import { SchemaNode, schemaProblems } from '../../../lib/policy/schema-check';

/** A small schema in the shape Kubernetes publishes: refs through allOf, int-or-string, open maps. */
const components: Record<string, SchemaNode> = {
  Thing: {
    type: 'object',
    properties: {
      replicas: { type: 'integer' },
      ratio: { type: 'number' },
      enabled: { type: 'boolean' },
      port: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] },
      size: { oneOf: [{ type: 'string' }, { type: 'number' }] },
      labels: { type: 'object', additionalProperties: { type: 'string' } },
      free: {
        type: 'object',
        properties: { a: { type: 'string' } },
        'x-kubernetes-preserve-unknown-fields': true,
      },
      items: { type: 'array', items: { allOf: [{ $ref: '#/components/schemas/Item' }] } },
    },
  },
  Item: { type: 'object', properties: { name: { type: 'string' } } },
};
const problems = (value: unknown) =>
  schemaProblems(value, components.Thing, (ref) => components[ref.split('/').pop() as string]).map((p) => [
    p.kind,
    p.message,
    p.path.join('.'),
  ]);

describe('schemaProblems: unknown fields and wrong types, as strict field validation sees them', () => {
  test('a value of every declared shape passes; null is an unset field', () => {
    expect(
      problems({
        replicas: 3,
        ratio: 1,
        enabled: true,
        port: 'http',
        size: '1Gi',
        labels: { a: 'b' },
        free: { a: 'x', other: 1 },
        items: [{ name: 'n' }, null],
      }),
    ).toEqual([]);
  });

  test.each<[string, unknown, string[][]]>([
    [
      'a misspelled field, deep in a list',
      { items: [{ name: 'a' }, { nmae: 'b' }] },
      [['unknown-field', 'unknown field "items[1].nmae"', 'items.1.nmae']],
    ],
    [
      'a string where an integer goes',
      { replicas: 'three' },
      [['wrong-type', 'replicas must be integer, not string "three"', 'replicas']],
    ],
    [
      'a fraction where an integer goes',
      { replicas: 1.5 },
      [['wrong-type', 'replicas must be integer, not number', 'replicas']],
    ],
    [
      'a string where a boolean goes',
      { enabled: 'true' },
      [['wrong-type', 'enabled must be boolean, not string "true"', 'enabled']],
    ],
    [
      'a boolean in an int-or-string',
      { port: true },
      [['wrong-type', 'port must be integer or string, not boolean', 'port']],
    ],
    [
      'a number in a map of strings',
      { labels: { a: 1 } },
      [['wrong-type', 'labels.a must be string, not integer', 'labels.a']],
    ],
  ])('fails on %s', (_what, value, expected) => {
    expect(problems(value)).toEqual(expected);
  });
});
