import { standaloneStrictSchema, strictJsonSchema } from '../../../lib/manifest/kubeconform-schema';

describe('strictJsonSchema', () => {
  test('closes an object that lists its properties, and drops descriptions', () => {
    // when
    const schema = strictJsonSchema({
      type: 'object',
      description: 'a thing',
      properties: { name: { type: 'string', description: 'its name' } },
    });
    // then
    expect(schema).toEqual({
      type: 'object',
      properties: { name: { type: 'string' } },
      additionalProperties: false,
    });
  });

  test.each([
    ['x-kubernetes-preserve-unknown-fields', { 'x-kubernetes-preserve-unknown-fields': true }],
    ['its own additionalProperties', { additionalProperties: { type: 'string' } }],
  ])('leaves open an object with %s', (_name, marker) => {
    // when
    const schema = strictJsonSchema({ type: 'object', properties: { a: { type: 'string' } }, ...marker });
    // then
    expect(schema).not.toHaveProperty('additionalProperties', false);
  });

  test('nullable allows null', () => {
    expect(strictJsonSchema({ type: 'string', nullable: true })).toEqual({
      anyOf: [{ type: 'null' }, { type: 'string' }],
    });
  });
});

describe('standaloneStrictSchema', () => {
  test('carries every component it reaches as definitions, with local refs', () => {
    // given
    const components = {
      Pod: { type: 'object', properties: { spec: { $ref: '#/components/schemas/PodSpec' } } },
      PodSpec: { type: 'object', properties: { hostname: { type: 'string' } } },
      Unrelated: { type: 'string' },
    };
    // when
    const schema = standaloneStrictSchema(components, 'Pod');
    // then
    expect(schema.properties).toEqual({ spec: { $ref: '#/definitions/PodSpec' } });
    expect(Object.keys(schema.definitions as object).sort()).toEqual(['Pod', 'PodSpec']);
  });

  test('refuses a reference to a component the document lacks', () => {
    expect(() => standaloneStrictSchema({ Pod: { $ref: '#/components/schemas/Missing' } }, 'Pod')).toThrow(
      'OpenAPI component Missing is referenced but not published',
    );
  });
});
