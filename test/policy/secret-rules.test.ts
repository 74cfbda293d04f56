import { KubeObject, PolicyOptions, evaluatePolicy } from '../../lib';
import { NOT_A_CREDENTIAL_ANNOTATION } from '../../lib/policy/secret-rules';
import { ALLOWED_REGISTRY, GOOD_IMAGE, compliantDeployment } from '../helpers/fixtures';

const options: PolicyOptions = {
  allowedRegistries: [ALLOWED_REGISTRY],
  shaTagLength: 7,
  catalog: { 'ghcr.io/acme/app': GOOD_IMAGE.split(':')[1] },
};
/** Obviously fake, not token-shaped: the rules look at the key name, not the value's shape. */
const FAKE = 'not-a-real-value';

const withEnv = (env: unknown[], annotations?: Record<string, string>): KubeObject => {
  const deployment = compliantDeployment() as unknown as {
    metadata: Record<string, unknown>;
    spec: { template: { spec: { containers: Record<string, unknown>[] } } };
  };
  deployment.spec.template.spec.containers[0].env = env;
  if (annotations) deployment.metadata.annotations = annotations;
  return deployment as unknown as KubeObject;
};
const configMap = (data: Record<string, string>, annotations?: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'settings', namespace: 'production', annotations },
  data,
});
const found = (object: KubeObject) =>
  evaluatePolicy([{ object }], options).map((violation) => [violation.ruleId, violation.message]);

describe('SEC002/SEC003: credentials where they hide', () => {
  test.each<[string, KubeObject, [string, string][]]>([
    [
      'a password in env',
      withEnv([{ name: 'DB_PASSWORD', value: FAKE }]),
      [['SEC002', 'container "app": env DB_PASSWORD holds a literal value']],
    ],
    [
      'an API key in env',
      withEnv([{ name: 'STRIPE_API_KEY', value: FAKE }]),
      [['SEC002', 'container "app": env STRIPE_API_KEY holds a literal value']],
    ],
    [
      'a URL with a password in any env',
      withEnv([{ name: 'DATABASE_URL', value: `postgres://app:${FAKE}@db:5432/app` }]),
      [['SEC002', 'container "app": env DATABASE_URL holds a URL with a password']],
    ],
    [
      'a token in ConfigMap data',
      configMap({ auth_token: FAKE }),
      [['SEC003', 'data.auth_token holds a literal value']],
    ],
    [
      'a password inside a configuration file in a ConfigMap',
      configMap({ 'application.properties': `db.url=jdbc:x\ndb.password=${FAKE}\n` }),
      [['SEC003', 'data.application.properties line 2 sets db.password to a literal credential']],
    ],
  ])('fails on %s', (_what, object, expected) => {
    expect(found(object)).toEqual(expected);
  });

  test.each<[string, KubeObject]>([
    [
      'a secretKeyRef',
      withEnv([{ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } }]),
    ],
    ['a reference to another variable', withEnv([{ name: 'TOKEN', value: '$(UPSTREAM_TOKEN)' }])],
    ['a path to a mounted Secret', withEnv([{ name: 'PASSWORD_FILE', value: '/run/secrets/db' }])],
    [
      'a number or a duration',
      withEnv([
        { name: 'TOKEN_TTL', value: '3600' },
        { name: 'SESSION_SECRET_ROTATION', value: '24h' },
      ]),
    ],
    ['ordinary settings', configMap({ LOG_LEVEL: 'debug', HTTP_PORT: '8080', FEATURE_FLAGS: '' })],
    ['an ArgoCD-style "$key" reference', configMap({ 'config.yaml': 'token: $slack-token\n' })],
  ])('passes %s', (_what, object) => {
    expect(found(object)).toEqual([]);
  });

  test('a key marked in the source as no credential, with a reason, passes; without a reason it does not', () => {
    // given
    const marked = (reason: string) =>
      withEnv([{ name: 'TOKEN_AUDIENCE', value: 'api.internal' }], {
        [`${NOT_A_CREDENTIAL_ANNOTATION}TOKEN_AUDIENCE`]: reason,
      });
    // then
    expect(found(marked('the audience of tokens we verify, a public host name'))).toEqual([]);
    expect(found(marked(' '))).toEqual([
      ['SEC002', 'container "app": env TOKEN_AUDIENCE holds a literal value'],
    ]);
    expect(
      found(
        configMap(
          { secret_name: 'db-credentials' },
          { [`${NOT_A_CREDENTIAL_ANNOTATION}secret_name`]: 'names the Secret, holds no value' },
        ),
      ),
    ).toEqual([]);
  });
});
