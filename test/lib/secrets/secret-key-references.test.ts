import {
  SecretKeyDelivery,
  secretReferencesIn,
  wireSecrets,
} from '../../../lib/secrets/secret-key-references';

const where = 'service "backend" (charts/services.ts)';
const options = { optional: false, mountedPaths: ['/tmp'], where };
const database = {
  secretName: 'backend-database',
  keys: [
    { key: 'password', env: 'DATABASE_PASSWORD' },
    { key: 'ca.crt', file: '/etc/backend/database/ca.crt' },
    { key: 'client.key', file: '/etc/backend/database/client.key' },
  ] satisfies SecretKeyDelivery[],
};

describe('wireSecrets: each key as an environment variable or a read-only file', () => {
  test('an env key is a secretKeyRef; files of one folder are one secret volume with an item each, mounted read-only', () => {
    // when
    const wiring = wireSecrets([database], options);
    // then
    expect(wiring.env).toEqual([
      {
        name: 'DATABASE_PASSWORD',
        valueFrom: { secretKeyRef: { name: 'backend-database', key: 'password', optional: false } },
      },
    ]);
    expect(wiring.volumes).toEqual([
      {
        name: 'secret-backend-database',
        secret: {
          secretName: 'backend-database',
          items: [
            { key: 'ca.crt', path: 'ca.crt' },
            { key: 'client.key', path: 'client.key' },
          ],
          defaultMode: 0o440,
          optional: false,
        },
      },
    ]);
    expect(wiring.volumeMounts).toEqual([
      { name: 'secret-backend-database', mountPath: '/etc/backend/database', readOnly: true },
    ]);
  });

  test('optional (the base, the previews): every reference may be missing', () => {
    const wiring = wireSecrets([database], { ...options, optional: true });
    expect(wiring.env[0].valueFrom?.secretKeyRef?.optional).toBe(true);
    expect(wiring.volumes[0].secret?.optional).toBe(true);
  });

  test('a secret with files in two folders gets a volume per folder', () => {
    const wiring = wireSecrets(
      [
        {
          secretName: 'backend-tls',
          keys: [
            { key: 'a', file: '/etc/a/a' },
            { key: 'b', file: '/etc/b/b' },
          ],
        },
      ],
      options,
    );
    expect(wiring.volumes.map((volume) => volume.name)).toEqual([
      'secret-backend-tls',
      'secret-backend-tls-2',
    ]);
    expect(wiring.volumeMounts.map((mount) => mount.mountPath)).toEqual(['/etc/a', '/etc/b']);
  });

  test('no secret, nothing', () => {
    expect(wireSecrets([], options)).toEqual({ env: [], volumes: [], volumeMounts: [] });
  });

  const secret = (...keys: SecretKeyDelivery[]) => [{ secretName: 'backend-x', keys }];
  test.each([
    [
      'a key given twice',
      secret({ key: 'a', env: 'A' }, { key: 'a', env: 'B' }),
      'key "a" of Secret "backend-x" is declared twice',
    ],
    [
      'a bad key',
      secret({ key: 'a/b', env: 'A' }),
      'key "a/b" of Secret "backend-x" is not a valid Secret key',
    ],
    [
      'a variable given twice',
      secret({ key: 'a', env: 'A' }, { key: 'b', env: 'A' }),
      'env A is given twice',
    ],
    ['a bad variable', secret({ key: 'a', env: '1A' }), 'env "1A" is not a variable name'],
    ['a relative file', secret({ key: 'a', file: 'etc/a' }), 'file "etc/a" is not an absolute path'],
    ['a file in /', secret({ key: 'a', file: '/a' }), 'file "/a" is in /'],
    ['a path with ..', secret({ key: 'a', file: '/etc/../a/b' }), 'is not a normal path'],
    ['the scratch folder', secret({ key: 'a', file: '/tmp/a' }), 'folder /tmp of file /tmp/a overlaps /tmp'],
    [
      'a folder in another',
      secret({ key: 'a', file: '/etc/a/x' }, { key: 'b', file: '/etc/a/b/y' }),
      'folder /etc/a/b is inside folder /etc/a',
    ],
    ['no keys', secret(), 'Secret "backend-x" has no keys'],
  ])('fails, naming the service and the key: %s', (_, secrets, problem) => {
    expect(() => wireSecrets(secrets, options)).toThrow(`${where}: `);
    expect(() => wireSecrets(secrets, options)).toThrow(problem);
  });

  test('fails: two secrets in one folder, which is mounted from one Secret', () => {
    expect(() =>
      wireSecrets(
        [
          { secretName: 'backend-a', keys: [{ key: 'a', file: '/etc/s/a' }] },
          { secretName: 'backend-b', keys: [{ key: 'b', file: '/etc/s/b' }] },
        ],
        options,
      ),
    ).toThrow('folder /etc/s also holds files of Secret "backend-a"');
  });

  test('fails: a volume name over 63 characters', () => {
    expect(() =>
      wireSecrets(
        [{ secretName: `backend-${'x'.repeat(60)}`, keys: [{ key: 'a', file: '/etc/a/a' }] }],
        options,
      ),
    ).toThrow(/longer than 63 characters/);
  });

  test('the types refuse a key that is both a variable and a file', () => {
    // @ts-expect-error: env and file together
    const both: SecretKeyDelivery = { key: 'a', env: 'A', file: '/etc/a/a' };
    expect(both.key).toBe('a');
  });
});

describe('secretReferencesIn: every way a pod spec names a Secret', () => {
  test('env keys, envFrom, secret volumes (with items or whole) and projected sources, in init and regular containers', () => {
    const spec = {
      initContainers: [{ env: [{ name: 'A', valueFrom: { secretKeyRef: { name: 's1', key: 'a' } } }] }],
      containers: [
        {
          env: [
            { name: 'PLAIN', value: 'x' },
            { name: 'B', valueFrom: { configMapKeyRef: { name: 'c', key: 'b' } } },
          ],
          envFrom: [{ configMapRef: { name: 'c' } }, { secretRef: { name: 's2' } }],
        },
      ],
      volumes: [
        { name: 'v1', secret: { secretName: 's3', items: [{ key: 'k', path: 'p' }] } },
        { name: 'v2', secret: { secretName: 's4' } },
        {
          name: 'v3',
          projected: {
            sources: [
              { configMap: { name: 'c' } },
              { secret: { name: 's5', items: [{ key: 'q', path: 'q' }] } },
            ],
          },
        },
        { name: 'tmp', emptyDir: {} },
      ],
    };
    expect(secretReferencesIn(spec)).toEqual([
      { secretName: 's1', key: 'a', at: 'initContainers[0].env[0]' },
      { secretName: 's2', at: 'containers[0].envFrom[1]' },
      { secretName: 's3', key: 'k', at: 'volumes[0]' },
      { secretName: 's4', at: 'volumes[1]' },
      { secretName: 's5', key: 'q', at: 'volumes[2].projected.sources[1]' },
    ]);
  });

  test('nothing in a pod spec that names no Secret', () => {
    expect(secretReferencesIn({ containers: [{ envFrom: [{ configMapRef: { name: 'c' } }] }] })).toEqual([]);
    expect(secretReferencesIn(undefined)).toEqual([]);
  });
});
