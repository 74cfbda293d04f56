import { KubeObject, PolicyOptions, evaluatePolicy } from '../../../lib';
import { NOT_A_CREDENTIAL_ANNOTATION, globMatches } from '../../../lib/policy/secret-rules';
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

/** A SealedSecret as synth writes it, with the fields the case changes. */
const sealedSecret = (
  changes: {
    metadata?: Record<string, unknown>;
    template?: Record<string, unknown>;
    spec?: Record<string, unknown>;
  } = {},
): KubeObject => ({
  apiVersion: 'bitnami.com/v1alpha1',
  kind: 'SealedSecret',
  metadata: { name: 'backend-database', namespace: 'production', ...changes.metadata },
  spec: {
    encryptedData: { password: 'AgA=' },
    template: { metadata: { name: 'backend-database', ...changes.template }, type: 'Opaque' },
    ...changes.spec,
  },
});

describe('SEC001 and SEC004: secrets are sealed, for their own namespace and name', () => {
  test('SEC001 still refuses a plaintext Secret, in data and in stringData', () => {
    const secret: KubeObject = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'backend-database', namespace: 'production' },
      data: { password: base64(FAKE) },
      stringData: { user: FAKE },
    };
    expect(found(secret)).toEqual([
      ['SEC001', 'Secret carries plaintext values in "data"'],
      ['SEC001', 'Secret carries plaintext values in "stringData"'],
    ]);
  });

  test('a SealedSecret of strict scope, with the template of its own name (and of its own namespace, or none), passes', () => {
    expect(found(sealedSecret())).toEqual([]);
    expect(found(sealedSecret({ template: { namespace: 'production' } }))).toEqual([]);
    // kubeseal writes an explicit strict scope as no annotation; a false one changes nothing either
    expect(
      found(sealedSecret({ metadata: { annotations: { 'sealedsecrets.bitnami.com/managed': 'true' } } })),
    ).toEqual([]);
  });

  test.each<[string, KubeObject, string]>([
    [
      'cluster-wide on the SealedSecret',
      sealedSecret({ metadata: { annotations: { 'sealedsecrets.bitnami.com/cluster-wide': 'true' } } }),
      'metadata.annotations has sealedsecrets.bitnami.com/cluster-wide: "true", which widens the scope beyond its namespace and name',
    ],
    [
      'namespace-wide on its template',
      sealedSecret({ template: { annotations: { 'sealedsecrets.bitnami.com/namespace-wide': 'true' } } }),
      'spec.template.metadata.annotations has sealedsecrets.bitnami.com/namespace-wide: "true", which widens the scope beyond its namespace and name',
    ],
    [
      'a template of another name',
      sealedSecret({ template: { name: 'frontend-database' } }),
      'spec.template.metadata.name is "frontend-database", but the SealedSecret\'s own is "backend-database"',
    ],
    [
      'a template of another namespace',
      sealedSecret({ template: { namespace: 'staging' } }),
      'spec.template.metadata.namespace is "staging", but the SealedSecret\'s own is "production"',
    ],
    [
      'a template naming a namespace when the SealedSecret names none (kustomize would not change it)',
      sealedSecret({ metadata: { namespace: undefined }, template: { namespace: 'production' } }),
      'spec.template.metadata.namespace is "production", but the SealedSecret\'s own is unset (given by whoever applies it)',
    ],
  ])('SEC004 refuses %s', (_, object, message) => {
    expect(found(object).filter(([rule]) => rule === 'SEC004')).toEqual([['SEC004', message]]);
  });

  test("SEC001 refuses plaintext in a SealedSecret's spec.template.data: it would go into the Secret as written", () => {
    expect(found(sealedSecret({ template: {}, spec: {} }))).toEqual([]);
    const withData = sealedSecret();
    (withData.spec as { template: Record<string, unknown> }).template.data = {
      url: `postgres://app:${FAKE}@db`,
    };
    expect(found(withData)).toEqual([
      [
        'SEC001',
        'SealedSecret\'s "spec.template.data" is not allowed: only metadata, type, immutable; a value belongs in spec.encryptedData',
      ],
    ]);
  });

  test('SEC001 refuses stringData (the CRD drops it, Git keeps it) and any template type but Opaque and kubernetes.io/tls', () => {
    const withStringData = sealedSecret();
    (withStringData.spec as { template: Record<string, unknown> }).template.stringData = { password: FAKE };
    const minting = sealedSecret();
    (minting.spec as { template: Record<string, unknown> }).template.type =
      'kubernetes.io/service-account-token';
    expect(found(withStringData).map(([id]) => id)).toEqual(['SEC001']);
    expect(found(minting)).toEqual([
      [
        'SEC001',
        'SealedSecret\'s "spec.template.type" is "kubernetes.io/service-account-token": only Opaque or kubernetes.io/tls',
      ],
    ]);
    const certificate = sealedSecret();
    (certificate.spec as { template: Record<string, unknown> }).template.type = 'kubernetes.io/tls';
    expect(found(certificate)).toEqual([]);
  });
});

describe("SEC001: a repository's URL in plain sight, and nothing else", () => {
  const repository = (data: Record<string, unknown>, type = 'repository'): KubeObject => {
    const object = sealedSecret({ template: { labels: { 'argocd.argoproj.io/secret-type': type } } });
    (object.spec as { template: Record<string, unknown> }).template.data = data;
    return object;
  };
  const url = 'https://github.com/robson/production-infra.git';

  test('ArgoCD repository credentials may hold their url and type unsealed, as literal values', () => {
    expect(found(repository({ url, type: 'git' }))).toEqual([]);
    expect(found(repository({ url }, 'repo-creds'))).toEqual([]);
  });

  test.each([
    ['a template, which could copy a sealed value into the URL', { url: '{{ .password }}' }, 'repository'],
    [
      'a URL holding credentials',
      { url: `https://bot:${FAKE}@github.com/robson/production-infra.git` },
      'repository',
    ],
    ['another key', { url, password: FAKE }, 'repository'],
    ['any other Secret', { url }, 'cluster'],
  ])('refuses %s', (_, data, type) => {
    expect(found(repository(data, type)).map(([id]) => id)).toEqual(['SEC001']);
  });
});

describe('SEC005: no project lets ArgoCD apply a Secret', () => {
  const project = (spec: Record<string, unknown>): KubeObject => ({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AppProject',
    metadata: { name: 'production', namespace: 'argocd' },
    spec: {
      sourceRepos: ['https://github.com/robson/production-infra.git'],
      destinations: [{ server: 'https://kubernetes.default.svc', namespace: 'production' }],
      clusterResourceWhitelist: [],
      orphanedResources: { warn: true },
      ...spec,
    },
  });
  const sec005 = (object: KubeObject) =>
    evaluatePolicy([{ object }], {
      ...options,
      argocd: {
        repoURL: 'https://github.com/robson/production-infra.git',
        revision: 'main',
        productionNamespace: 'production',
        previewNamespacePrefix: 'preview-',
      },
    })
      .filter((violation) => violation.ruleId === 'SEC005')
      .map((violation) => violation.message);

  test('a whitelist of the kinds deployed, SealedSecret among them, passes (as does an empty one, which allows nothing)', () => {
    expect(
      sec005(
        project({
          namespaceResourceWhitelist: [
            { group: 'apps', kind: 'Deployment' },
            { group: '', kind: 'ConfigMap' },
            { group: 'bitnami.com', kind: 'SealedSecret' },
            { group: '*', kind: 'Secrets' },
          ],
        }),
      ),
    ).toEqual([]);
    expect(sec005(project({ namespaceResourceWhitelist: [] }))).toEqual([]);
  });

  test.each([
    [
      { group: '', kind: 'Secret' },
      'spec.namespaceResourceWhitelist[1] (group "", kind "Secret") allows core Secret',
    ],
    [
      { group: '*', kind: '*' },
      'spec.namespaceResourceWhitelist[1] (group "*", kind "*") allows core Secret',
    ],
    [{ kind: 'Secr?t' }, 'spec.namespaceResourceWhitelist[1] (group "", kind "Secr?t") allows core Secret'],
    [
      { group: '', kind: '[RS]ecret' },
      'spec.namespaceResourceWhitelist[1] (group "", kind "[RS]ecret") allows core Secret',
    ],
    // An escape inside a class, which Go's filepath.Match reads and a second matcher can miss: any class or
    // escape counts as a match (a project lists kinds literally).
    [
      { group: '', kind: 'Secre[\\]t]' },
      'spec.namespaceResourceWhitelist[1] (group "", kind "Secre[\\\\]t]") allows core Secret',
    ],
    [
      { group: 'app[s]', kind: 'Deployment' },
      'spec.namespaceResourceWhitelist[1] (group "app[s]", kind "Deployment") allows core Secret',
    ],
  ])(
    'refuses a whitelist entry that matches core Secret as ArgoCD matches it (Go globs): %j',
    (entry, message) => {
      expect(
        sec005(project({ namespaceResourceWhitelist: [{ group: 'apps', kind: 'Deployment' }, entry] })),
      ).toEqual([message]);
    },
  );

  test('refuses a project without a whitelist: ArgoCD then allows every namespaced kind', () => {
    expect(sec005(project({}))).toEqual([
      'spec.namespaceResourceWhitelist is not set, so every namespaced kind is allowed, Secret included',
    ]);
  });

  test('a blacklist that excludes Secret makes any whitelist safe', () => {
    expect(sec005(project({ namespaceResourceBlacklist: [{ group: '', kind: 'Secret' }] }))).toEqual([]);
  });
});

describe("globMatches: ArgoCD's group and kind patterns (Go's filepath.Match)", () => {
  test.each<[string, string, boolean]>([
    ['Secret', 'Secret', true],
    ['Secret', 'Secrets', false],
    ['*', '', true],
    ['*', 'Secret', true],
    ['S*', 'Secret', true],
    ['Secr?t', 'Secret', true],
    ['[RS]ecret', 'Secret', true],
    ['[^S]ecret', 'Secret', false],
    ['[a-z]ecret', 'Secret', false],
    ['\\Secret', 'Secret', true],
    ['Sec.et', 'Secret', false],
    ['[Secret', 'Secret', false], // malformed: matches nothing, as in Go
    ['', '', true],
  ])('%j matches %j: %s', (pattern, name, matches) => {
    expect(globMatches(pattern, name)).toBe(matches);
  });
});
