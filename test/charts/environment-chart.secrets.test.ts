import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiObject, Chart, Testing } from 'cdk8s';
import { parse } from 'yaml';
import { buildModel, renderInfra } from '../../charts/app';
import { checkSecretReferences } from '../../charts/environment-chart';
import { overlayDir, baseDir } from '../../charts/paths';
import { policyOptionsFor } from '../../charts/policy-options';
import { ServiceDeclaration } from '../../charts/service-declaration';
import {
  KubeObject,
  SealedValues,
  evaluatePolicy,
  podSpecOf,
  readManifests,
  unsealValue,
  writeTree,
} from '../../lib';
import {
  TestController,
  backendWithDatabase,
  committedBackend,
  imagePinsOf,
  sealedPlatformSecrets,
  sealedValuesInMemory,
} from '../helpers/sealed-catalog';
import { REPO_ROOT } from '../helpers/tools';

const controller = new TestController();
const sealedProd = controller.seal('production', 'backend-database', {
  password: 'correct horse battery staple',
  'ca.crt': '-----BEGIN CERTIFICATE-----\n(a CA)\n',
});
const modelWith = (files: Record<string, SealedValues>, backend: ServiceDeclaration = backendWithDatabase) =>
  buildModel({
    services: [backend],
    imagePins: imagePinsOf([backend]),
    sealedValues: sealedValuesInMemory(files),
  });

const model = modelWith({ 'prod/backend-database': sealedProd });
const tree = renderInfra(model);
const find = (objects: readonly KubeObject[], kind: string, name: string): KubeObject => {
  const found = objects.find((object) => object.kind === kind && object.metadata?.name === name);
  if (!found) throw new Error(`no ${kind} ${name}`);
  return found;
};
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const containerOf = (object: KubeObject): any => podSpecOf(object)?.containers?.[0];
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const podOf = (object: KubeObject): any => podSpecOf(object);
const prodOverlay = overlayDir('backend', 'prod');

describe('a secret declared in the catalog, sealed for prod (a catalog copy: the committed one has none)', () => {
  test('prod runs a SealedSecret of strict scope, named <service>-<secret>, holding the sealed values', () => {
    const sealed = find(model.prod, 'SealedSecret', 'backend-database');
    expect(sealed).toEqual({
      apiVersion: 'bitnami.com/v1alpha1',
      kind: 'SealedSecret',
      metadata: {
        name: 'backend-database',
        namespace: 'production',
        labels: { 'app.kubernetes.io/name': 'backend' },
      },
      spec: {
        encryptedData: sealedProd.encryptedData,
        template: {
          metadata: { name: 'backend-database', labels: { 'app.kubernetes.io/name': 'backend' } },
          type: 'Opaque',
        },
      },
    });
  });

  test("the controller's private key unseals each value as production/backend-database, and only so", () => {
    const { encryptedData } = find(model.prod, 'SealedSecret', 'backend-database').spec as {
      encryptedData: Record<string, string>;
    };
    const target = { namespace: 'production', name: 'backend-database' };
    const key = controller.certificate.privateKey;
    expect(unsealValue(key, encryptedData.password, target).toString()).toBe('correct horse battery staple');
    expect(() => unsealValue(key, encryptedData.password, { ...target, namespace: 'preview-7' })).toThrow();
  });

  test("prod's pods require the Secret: the password as env, the CA as a read-only file, a checksum that rolls them", () => {
    const deployment = find(model.prod, 'Deployment', 'backend');
    const container = containerOf(deployment);
    expect(container.env).toEqual([
      {
        name: 'DATABASE_PASSWORD',
        valueFrom: { secretKeyRef: { name: 'backend-database', key: 'password', optional: false } },
      },
    ]);
    expect(container.volumeMounts).toEqual([
      { name: 'tmp', mountPath: '/tmp' },
      { name: 'secret-backend-database', mountPath: '/etc/backend/database', readOnly: true },
    ]);
    expect(container.securityContext.readOnlyRootFilesystem).toBe(true);
    expect(podOf(deployment).volumes).toContainEqual({
      name: 'secret-backend-database',
      secret: {
        secretName: 'backend-database',
        items: [{ key: 'ca.crt', path: 'ca.crt' }],
        defaultMode: 0o440,
        optional: false,
      },
    });
    expect(
      (deployment.spec as { template: { metadata: { annotations: Record<string, string> } } }).template
        .metadata.annotations['checksum/secrets'],
    ).toMatch(/^[0-9a-f]{16}$/);
  });

  test("the CronJob's pods get the same secret: the task runs the service's image with its config", () => {
    const cronJob = find(model.prod, 'CronJob', 'backend-cleanup');
    expect(containerOf(cronJob).env).toEqual(containerOf(find(model.prod, 'Deployment', 'backend')).env);
  });

  test('the base (what previews run) has no SealedSecret, and references the Secret as optional: a preview starts without it', () => {
    expect(model.bases.backend.map((object) => object.kind)).not.toContain('SealedSecret');
    const deployment = find(model.bases.backend, 'Deployment', 'backend');
    expect(containerOf(deployment).env[0].valueFrom.secretKeyRef.optional).toBe(true);
    expect(podOf(deployment).volumes[1].secret.optional).toBe(true);
    expect(JSON.stringify(deployment)).not.toContain('checksum/secrets');
  });

  test('the overlay adds the SealedSecret as a resource, like the disruption budget, and patches the references to required', () => {
    const kustomization = parse(tree[`${prodOverlay}/kustomization.yaml`]);
    expect(kustomization.resources).toContain('resources/sealedsecret-backend-database.yaml');
    const file = parse(tree[`${prodOverlay}/resources/sealedsecret-backend-database.yaml`]);
    expect(file.metadata.namespace).toBeUndefined(); // the kustomization's namespace: sets it
    expect(file.spec.template.metadata.namespace).toBeUndefined();
    const patch = parse(tree[`${prodOverlay}/patches/deployment-backend.yaml`]);
    expect(patch.spec.template.metadata.annotations['checksum/secrets']).toMatch(/^[0-9a-f]{16}$/);
    expect(patch.spec.template.spec.containers[0].env).toEqual([
      { name: 'DATABASE_PASSWORD', valueFrom: { secretKeyRef: { optional: false } } },
    ]);
    expect(patch.spec.template.spec.volumes).toEqual([
      { name: 'secret-backend-database', secret: { optional: false } },
    ]);
    expect(
      Object.keys(tree).filter((path) => path.startsWith(baseDir('backend')) && path.includes('sealed')),
    ).toEqual([]);
  });

  test('the production project allows SealedSecret and no Secret; the previews allow neither', () => {
    const project = (name: string) =>
      (find(model.argocd, 'AppProject', name).spec as { namespaceResourceWhitelist: { kind: string }[] })
        .namespaceResourceWhitelist;
    expect(project('production')).toContainEqual({ group: 'bitnami.com', kind: 'SealedSecret' });
    expect(project('production').map((entry) => entry.kind)).not.toContain('Secret');
    expect(project('preview').map((entry) => entry.kind)).not.toContain('SealedSecret');
    expect(project('preview').map((entry) => entry.kind)).not.toContain('Secret');
  });

  test('the files synth writes pass the policy as npm run policy reads them (kustomize gives the namespace)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'secrets-infra-'));
    try {
      writeTree(dir, tree);
      const { objects, errors } = readManifests([join(dir, 'k8s'), join(dir, 'argocd')]);
      expect(errors).toEqual([]);
      expect(objects.some(({ object }) => object.kind === 'SealedSecret')).toBe(true);
      expect(evaluatePolicy(objects, policyOptionsFor(model.images))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a value sealed again (a rotation) changes the checksum: the pods roll and read the new Secret', () => {
    const rotated = controller.seal('production', 'backend-database', { password: 'new', 'ca.crt': 'ca' });
    const checksum = (of: typeof model) =>
      (find(of.prod, 'Deployment', 'backend').spec as { template: { metadata: { annotations: object } } })
        .template.metadata.annotations;
    expect(checksum(modelWith({ 'prod/backend-database': rotated }))).not.toEqual(checksum(model));
  });
});

describe("docs/adding-a-service.md's secrets block", () => {
  test('is a declaration synth renders as the guide says: a SealedSecret resource, env and a read-only file', () => {
    // given: the block as the guide shows it (plain JavaScript: it has no type annotation)
    const guide = readFileSync(join(REPO_ROOT, 'docs/adding-a-service.md'), 'utf8');
    const block = /```ts secrets\n([\s\S]*?)```/.exec(guide)?.[1];
    if (!block) throw new Error('docs/adding-a-service.md has no ```ts secrets block');
    const { secrets } = new Function(`return ({${block}})`)() as Pick<ServiceDeclaration, 'secrets'>;
    const backend = { ...committedBackend, secrets };
    // when
    const built = modelWith({ 'prod/backend-database': sealedProd }, backend);
    // then
    expect(renderInfra(built)[`${prodOverlay}/resources/sealedsecret-backend-database.yaml`]).toBeDefined();
    const container = containerOf(find(built.prod, 'Deployment', 'backend'));
    expect(container.env[0].name).toBe('DATABASE_PASSWORD');
    expect(container.volumeMounts[1]).toEqual({
      name: 'secret-backend-database',
      mountPath: '/etc/worker/database',
      readOnly: true,
    });
  });
});

describe('synth refuses, naming the service, the secret, the key, the environment and the command to run', () => {
  const refusal = (files: Record<string, SealedValues>, backend?: ServiceDeclaration): string => {
    try {
      modelWith(files, backend);
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error('built');
  };

  test('SEAL003: no sealed value for prod at all', () => {
    expect(refusal({})).toBe(
      'environment "prod" lacks sealed values synth needs:\n' +
        '  [SEAL003] charts/sealed-secrets/prod/backend-database.json: key "password" of secret "database" of service "backend" in environment "prod" has no sealed value (the file does not exist). ' +
        'Fix: npm run seal -- backend database password --environment prod < <file holding the value>, commit charts/sealed-secrets/prod/backend-database.json, then npm run synth\n' +
        '  [SEAL003] charts/sealed-secrets/prod/backend-database.json: key "ca.crt" of secret "database" of service "backend" in environment "prod" has no sealed value (the file does not exist). ' +
        'Fix: npm run seal -- backend database ca.crt --environment prod < <file holding the value>, commit charts/sealed-secrets/prod/backend-database.json, then npm run synth',
    );
  });

  test('SEAL003: one key of two sealed', () => {
    const half = controller.seal('production', 'backend-database', { password: 'p' });
    const message = refusal({ 'prod/backend-database': half });
    expect(message).toContain(
      '[SEAL003] charts/sealed-secrets/prod/backend-database.json: key "ca.crt" of secret "database"',
    );
    expect(message).not.toContain('key "password"');
  });

  test('SEAL002: a file sealed for another namespace (the environment moved): its values would not decrypt', () => {
    const moved = controller.seal('prod-old', 'backend-database', { password: 'p', 'ca.crt': 'c' });
    expect(refusal({ 'prod/backend-database': moved })).toContain(
      '[SEAL002] charts/sealed-secrets/prod/backend-database.json: was sealed for Secret prod-old/backend-database, but secret "database" of service "backend" in environment "prod" is production/backend-database',
    );
  });

  test('SEAL002: a key the secret does not declare, and a value that is no sealed value', () => {
    const stray = controller.seal('production', 'backend-database', {
      password: 'p',
      'ca.crt': 'c',
      user: 'u',
    });
    expect(refusal({ 'prod/backend-database': stray })).toContain(
      'holds key "user", which secret "database" of service "backend" in environment "prod" does not have',
    );
    const broken = {
      ...sealedProd,
      encryptedData: { ...sealedProd.encryptedData, password: 'cGxhaW50ZXh0' },
    };
    expect(refusal({ 'prod/backend-database': broken })).toContain(
      '[SEAL002] charts/sealed-secrets/prod/backend-database.json: encryptedData.password is not a sealed value',
    );
  });

  test.each<[string, ServiceDeclaration, RegExp]>([
    [
      'a secret name that is no DNS label',
      { ...committedBackend, secrets: [{ name: 'Database', keys: [{ key: 'p', env: 'P' }] }] },
      /service "backend" \(charts\/services\.ts\): secret "Database" is not a DNS label/,
    ],
    [
      'a variable that is also a config key',
      { ...committedBackend, secrets: [{ name: 'db', keys: [{ key: 'p', env: 'LOG_LEVEL' }] }] },
      /service "backend" \(charts\/services\.ts\): LOG_LEVEL is both a key of config \(settings "base"\) and the variable of key "p" of Secret "backend-db"/,
    ],
    [
      'a file in the scratch folder',
      { ...committedBackend, secrets: [{ name: 'db', keys: [{ key: 'p', file: '/tmp/p' }] }] },
      /service "backend" \(charts\/services\.ts\): key "p" of Secret "backend-db": folder \/tmp of file \/tmp\/p overlaps \/tmp/,
    ],
  ])('a declaration synth cannot render: %s', (_, backend, message) => {
    expect(() => modelWith({}, backend)).toThrow(message);
  });

  test('a pod spec referencing a key the service does not declare is an error naming the service and the key', () => {
    // given: whatever adds a reference (here an object in the service's scope) besides the declaration
    const chart = new Chart(Testing.app(), 'prod');
    new ApiObject(chart, 'Deployment', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'backend' },
      spec: {
        template: {
          spec: {
            containers: [
              {
                name: 'backend',
                env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'backend-database', key: 'user' } } }],
              },
            ],
          },
        },
      },
    });
    const declared = [
      { secretName: 'backend-database', keys: [{ key: 'password', env: 'DATABASE_PASSWORD' }] },
    ];
    // when / then
    expect(() => checkSecretReferences(chart, backendWithDatabase, declared)).toThrow(
      'service "backend" (charts/services.ts): Deployment backend references key "user" of Secret "backend-database" (containers[0].env[0]), which the service does not declare. ' +
        'Fix: declare the key in secrets of "backend" in charts/services.ts (secret <name> is the Secret "backend-<name>"), or remove the reference',
    );
    expect(() =>
      checkSecretReferences(chart, backendWithDatabase, [
        { ...declared[0], keys: [{ key: 'user', env: 'X' }] },
      ]),
    ).not.toThrow();
  });
});

// What the platform declares, not the service: each Ingress's certificate. Nothing can be sealed before the
// cluster's certificate is committed, so synth requires it from then on, and writes it whenever it is there.
describe("a service's Ingress certificate, sealed as a kubernetes.io/tls Secret", () => {
  const tls = controller.seal('production', 'api-robson-tls', {
    'tls.crt': '-----BEGIN CERTIFICATE-----\n(api)\n',
    'tls.key': '-----BEGIN PRIVATE KEY-----\n(api)\n',
  });
  /** ArgoCD's own Secrets sealed (needed once the certificate is committed), not the certificate under test. */
  const argocdOnly = Object.fromEntries(
    Object.entries(sealedPlatformSecrets(controller)).filter(([file]) => file.startsWith('argocd/')),
  );
  const withCertificate = (files: Record<string, SealedValues>, sealingClusters: string[] = []) =>
    buildModel({
      services: [backendWithDatabase],
      imagePins: imagePinsOf([backendWithDatabase]),
      sealedValues: sealedValuesInMemory({
        'prod/backend-database': sealedProd,
        ...argocdOnly,
        ...files,
      }),
      sealingClusters,
    });

  test('sealed: prod runs a SealedSecret of type kubernetes.io/tls named as the Ingress names its certificate', () => {
    const built = withCertificate({ 'prod/api-robson-tls': tls }, ['in-cluster']);
    const sealed = find(built.prod, 'SealedSecret', 'api-robson-tls');
    expect((sealed.spec as { template: { type: string } }).template.type).toBe('kubernetes.io/tls');
    expect(Object.keys((sealed.spec as { encryptedData: object }).encryptedData)).toEqual([
      'tls.crt',
      'tls.key',
    ]);
    const ingress = find(built.prod, 'Ingress', 'backend').spec as { tls: { secretName: string }[] };
    expect(ingress.tls.map((entry) => entry.secretName)).toEqual(['api-robson-tls']);
    expect(renderInfra(built)[`${prodOverlay}/resources/sealedsecret-api-robson-tls.yaml`]).toBeDefined();
  });

  test('a renewed certificate does not roll the pods: they do not read it', () => {
    const annotations = (of: typeof model) =>
      (find(of.prod, 'Deployment', 'backend').spec as { template: { metadata: { annotations: object } } })
        .template.metadata.annotations;
    const renewed = controller.seal('production', 'api-robson-tls', { 'tls.crt': 'new', 'tls.key': 'new' });
    expect(annotations(withCertificate({ 'prod/api-robson-tls': renewed }))).toEqual(
      annotations(withCertificate({ 'prod/api-robson-tls': tls })),
    );
  });

  test("not sealed: nothing is written until the cluster's certificate is committed, then synth requires it", () => {
    const before = withCertificate({});
    expect(before.prod.filter((object) => object.metadata?.name === 'api-robson-tls')).toEqual([]);
    expect(() => withCertificate({}, ['in-cluster'])).toThrow(
      /\[SEAL003\] charts\/sealed-secrets\/prod\/api-robson-tls\.json: key "tls\.crt" of the Ingress certificate of service "backend" in environment "prod" has no sealed value \(the file does not exist\)\. Fix: npm run seal -- backend tls tls\.crt --environment prod/,
    );
  });
});
