import { KubeObject, PolicyOptions, evaluatePolicy } from '../../../lib';
import { NOT_A_CREDENTIAL_ANNOTATION } from '../../../lib/policy/secret-rules';
import { ALLOWED_REGISTRY, GOOD_IMAGE, compliantDeployment } from '../../helpers/fixtures';

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
/** A ConfigMap with whatever fields the case needs (binaryData, another name). */
const configMapOf = (fields: Record<string, unknown>, name = 'settings'): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'production' },
  ...fields,
});
const base64 = (text: string) => Buffer.from(text).toString('base64');
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
    [
      'an env value that only starts with "$": Kubernetes expands $(NAME) alone',
      withEnv([
        { name: 'DB_PASSWORD', value: '$uperS3cret' },
        { name: 'API_TOKEN', value: '${API_TOKEN}' },
      ]),
      [
        ['SEC002', 'container "app": env DB_PASSWORD holds a literal value'],
        ['SEC002', 'container "app": env API_TOKEN holds a literal value'],
      ],
    ],
    [
      'a passphrase and an auth key in env',
      withEnv([
        { name: 'GPG_PASSPHRASE', value: FAKE },
        { name: 'AUTH_KEY', value: FAKE },
      ]),
      [
        ['SEC002', 'container "app": env GPG_PASSPHRASE holds a literal value'],
        ['SEC002', 'container "app": env AUTH_KEY holds a literal value'],
      ],
    ],
    [
      'a ConfigMap value starting with "$" that is no environment variable',
      configMap({ DB_PASSWORD: '$uperS3cret' }),
      [['SEC003', 'data.DB_PASSWORD holds a literal value']],
    ],
    [
      // Only ArgoCD's own ConfigMaps resolve "$key"; anywhere else it is the value itself.
      'an ArgoCD-style "$key" outside ArgoCD\'s ConfigMaps',
      configMap({ 'config.yaml': 'token: $slack-token\n' }),
      [['SEC003', 'data.config.yaml line 1 sets token to a literal credential']],
    ],
    [
      'a credential-named key in binaryData',
      configMapOf({ binaryData: { password: base64(FAKE) } }),
      [['SEC003', 'binaryData.password holds a literal value (base64-encoded)']],
    ],
    [
      'a password in a one-line JSON value',
      configMap({ 'config.json': `{"db": {"user": "app", "password": "${FAKE}"}}` }),
      [['SEC003', 'data.config.json sets db.password to a literal credential']],
    ],
    [
      "a token in a JSON array, also at the document's root",
      configMap({
        'servers.json': JSON.stringify({ servers: [{ name: 'a' }, { name: 'b', token: FAKE }] }),
        'clients.json': JSON.stringify([{ id: 'ci', secret: FAKE }]),
      }),
      [
        ['SEC003', 'data.servers.json sets servers[1].token to a literal credential'],
        ['SEC003', 'data.clients.json sets [0].secret to a literal credential'],
      ],
    ],
    [
      'an exported setting of a dotenv file',
      configMap({ 'app.env': `export DB_USER=app\nexport DB_PASSWORD=${FAKE}\n` }),
      [['SEC003', 'data.app.env line 2 sets DB_PASSWORD to a literal credential']],
    ],
    [
      'an XML element named like a credential, its text plain or in CDATA',
      configMap({
        'app.xml': `<config>\n  <password>${FAKE}</password>\n</config>\n`,
        'db.xml': `<db:auth xmlns:db="urn:x"><db:api-key><![CDATA[${FAKE}]]></db:api-key></db:auth>`,
      }),
      [
        ['SEC003', 'data.app.xml line 2 sets <password> to a literal credential'],
        ['SEC003', 'data.db.xml line 1 sets <db:api-key> to a literal credential'],
      ],
    ],
    [
      'a URL whose password is written ${LIKE_THIS} in env, which Kubernetes does not expand',
      withEnv([{ name: 'DATABASE_URL', value: 'postgres://app:${DB_PASSWORD}@db/app' }]),
      [['SEC002', 'container "app": env DATABASE_URL holds a URL with a password']],
    ],
    [
      'a URL with a password after one whose password is a reference',
      withEnv([{ name: 'UPSTREAMS', value: `postgres://app:$(DB_PASSWORD)@db redis://app:${FAKE}@cache` }]),
      [['SEC002', 'container "app": env UPSTREAMS holds a URL with a password']],
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
    [
      'a URL whose password is a reference its reader expands',
      withEnv([{ name: 'DATABASE_URL', value: 'postgres://app:$(DB_PASSWORD)@db/app' }]),
    ],
    [
      'a URL in a ConfigMap whose password is a ${VAR}',
      configMap({ dsn: 'postgres://app:${DB_PASSWORD}@db/app' }),
    ],
    ['a path to a mounted Secret', withEnv([{ name: 'PASSWORD_FILE', value: '/run/secrets/db' }])],
    [
      'a number or a duration',
      withEnv([
        { name: 'TOKEN_TTL', value: '3600' },
        { name: 'SESSION_SECRET_ROTATION', value: '24h' },
      ]),
    ],
    ['ordinary settings', configMap({ LOG_LEVEL: 'debug', HTTP_PORT: '8080', FEATURE_FLAGS: '' })],
    [
      'an ArgoCD "$key" reference in a notification service of argocd-notifications-cm',
      configMapOf({ data: { 'service.slack': 'token: $slack-token\n' } }, 'argocd-notifications-cm'),
    ],
    [
      "ArgoCD's $key and $secret:key references in argocd-cm's SSO settings",
      configMapOf(
        {
          data: {
            'oidc.config':
              'name: SSO\nissuer: https://sso.example\nclientID: argocd\nclientSecret: $oidc.sso.clientSecret\n',
            'dex.config':
              'connectors:\n  - type: github\n    config:\n      clientSecret: $dex-github:clientSecret\n',
          },
        },
        'argocd-cm',
      ),
    ],
    [
      'names that contain a credential word but hold a path or an address',
      withEnv([
        { name: 'AUTH_KEY_FILE', value: '/etc/keys/auth' },
        { name: 'GPG_PASSPHRASE_FILE', value: '/run/secrets/gpg' },
        { name: 'OAUTH_KEYCLOAK_URL', value: 'https://sso.example.com/realms/acme' },
      ]),
    ],
    [
      'ConfigMap values that are substitutions: ${VAR}, $(VAR), an upper-case $VAR',
      configMap({
        DB_PASSWORD: '$DB_PASSWORD',
        API_TOKEN: '${API_TOKEN}',
        CLIENT_SECRET: '$(CLIENT_SECRET)',
      }),
    ],
    [
      'binaryData under other names, or empty',
      configMapOf({ binaryData: { 'logo.png': base64('PNG'), password: '' } }),
    ],
    [
      'JSON that references its credentials or names files',
      configMap({
        'config.json': '{"db": {"password": "$(DB_PASSWORD)", "passwordFile": "/run/x", "port": 5432}}',
        scopes: '["groups", "email"]',
      }),
    ],
    [
      'exported references in a dotenv file',
      configMap({ 'app.env': 'export DB_PASSWORD=$DB_PASSWORD\nexport TOKEN_TTL=3600\n' }),
    ],
    [
      'XML credential elements that are empty, references or paths',
      configMap({
        'app.xml':
          '<config>\n  <password/>\n  <token></token>\n  <secret>${APP_SECRET}</secret>\n  <passwordFile>/run/x</passwordFile>\n</config>\n',
      }),
    ],
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

  test('a mark names the ConfigMap key, also for binaryData and for a setting inside a JSON file', () => {
    // given
    const marked = (reason: string) =>
      configMapOf({
        metadata: {
          name: 'settings',
          namespace: 'production',
          annotations: {
            [`${NOT_A_CREDENTIAL_ANNOTATION}token.bin`]: reason,
            [`${NOT_A_CREDENTIAL_ANNOTATION}client.json`]: reason,
          },
        },
        binaryData: { 'token.bin': base64('audience') },
        data: { 'client.json': '{"oauth": {"token": "audience"}}' },
      });
    // then
    expect(found(marked('names the token audience, a public host'))).toEqual([]);
    expect(found(marked(''))).toEqual([
      ['SEC003', 'data.client.json sets oauth.token to a literal credential'],
      ['SEC003', 'binaryData.token.bin holds a literal value (base64-encoded)'],
    ]);
  });
});
