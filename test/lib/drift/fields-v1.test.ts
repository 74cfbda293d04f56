import {
  FieldsV1,
  FieldsV1Error,
  decodeFieldStep,
  formatFieldPath,
  ownedFieldPaths,
} from '../../../lib/drift/fields-v1';

const paths = (fields: FieldsV1): string[] => ownedFieldPaths(fields).map(formatFieldPath);

describe('FieldsV1 decoding', () => {
  test('decodes each key form: f: field, k: list key, v: set value, i: index', () => {
    expect(decodeFieldStep('f:replicas')).toEqual({ field: 'replicas' });
    expect(decodeFieldStep('f:a:b')).toEqual({ field: 'a:b' });
    expect(decodeFieldStep('k:{"containerPort":8080,"protocol":"TCP"}')).toEqual({
      keys: { containerPort: 8080, protocol: 'TCP' },
    });
    expect(decodeFieldStep('v:"example.com/finalizer"')).toEqual({ value: 'example.com/finalizer' });
    expect(decodeFieldStep('i:2')).toEqual({ index: 2 });
  });

  test.each([['x:1'], ['replicas'], ['k:{bad'], ['k:[1]'], ['i:-1'], ['i:one']])(
    'fails on a key no API server writes: %s',
    (key) => {
      expect(() => decodeFieldStep(key)).toThrow(FieldsV1Error);
    },
  );

  test('the fields kubectl set env adds: one env element owned as a whole', () => {
    // given what the API server recorded for `kubectl set env deployment/backend EXTRA=1`
    const fields: FieldsV1 = {
      'f:spec': {
        'f:template': {
          'f:spec': {
            'f:containers': {
              'k:{"name":"backend"}': {
                'f:env': { 'k:{"name":"EXTRA"}': { '.': {}, 'f:name': {}, 'f:value': {} } },
              },
            },
          },
        },
      },
    };
    // then
    expect(paths(fields)).toEqual(['spec.template.spec.containers[name="backend"].env[name="EXTRA"]']);
  });

  test('a changed field of an existing element is listed down to the leaf', () => {
    const fields: FieldsV1 = {
      'f:spec': {
        'f:template': {
          'f:spec': { 'f:containers': { 'k:{"name":"backend"}': { 'f:image': {} } } },
        },
      },
    };
    expect(paths(fields)).toEqual(['spec.template.spec.containers[name="backend"].image']);
  });

  test("a map's own '.' adds nothing beside its keys; names that are not identifiers are quoted", () => {
    // given a manager that created the annotations map and the data map's keys
    const fields: FieldsV1 = {
      'f:metadata': {
        'f:annotations': { '.': {}, 'f:kubectl.kubernetes.io/last-applied-configuration': {} },
        'f:labels': { '.': {} },
      },
      'f:data': { 'f:EXTRA': {}, 'f:app.properties': {} },
    };
    // then
    expect(paths(fields)).toEqual([
      'metadata.annotations["kubectl.kubernetes.io/last-applied-configuration"]',
      'metadata.labels',
      'data.EXTRA',
      'data["app.properties"]',
    ]);
  });

  test('set values, indices and several keys are shown in brackets', () => {
    const fields: FieldsV1 = {
      'f:metadata': { 'f:finalizers': { 'v:"example.com/keep"': {} } },
      'f:spec': {
        'f:ports': { 'k:{"port":443,"protocol":"TCP"}': { '.': {}, 'f:port': {} } },
        'f:args': { 'i:0': {} },
      },
    };
    expect(paths(fields)).toEqual([
      'metadata.finalizers[="example.com/keep"]',
      'spec.ports[port=443,protocol="TCP"]',
      'spec.args[0]',
    ]);
  });

  test('an entry that owns nothing yields no path', () => {
    expect(paths({})).toEqual([]);
    expect(paths({ '.': {} })).toEqual([]);
  });
});
