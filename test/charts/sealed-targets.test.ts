import { buildModel } from '../../charts/app';
import { production } from '../../charts/environments';
import { ServiceDeclaration } from '../../charts/service-declaration';
import {
  argocdTargetOf,
  checkSealedTargetsDistinct,
  checkSealedValues,
  sealCommandOf,
  sealedTargetsOf,
  serviceTargetsOf,
} from '../../charts/sealed-targets';
import { prodEu } from '../helpers/extra-environments';
import {
  TestController,
  backendWithDatabase,
  imagePinsOf,
  sealedValuesInMemory,
} from '../helpers/sealed-catalog';

const controller = new TestController();

describe('sealedTargetsOf: every Secret Git holds sealed', () => {
  test("a service's declared secrets and its Ingress certificate per environment, then ArgoCD's Secrets", () => {
    const targets = sealedTargetsOf([backendWithDatabase], [production, prodEu]);
    expect(targets.map((t) => `${t.cluster} ${t.namespace}/${t.name} ${t.type} ${t.keys.join(',')}`)).toEqual(
      [
        'in-cluster production/backend-database Opaque password,ca.crt',
        'in-cluster production/api-robson-tls kubernetes.io/tls tls.crt,tls.key',
        `${prodEu.cluster?.name} ${prodEu.namespace}/backend-database Opaque password,ca.crt`,
        `${prodEu.cluster?.name} ${prodEu.namespace}/api-${prodEu.tlsSecretSuffix} kubernetes.io/tls tls.crt,tls.key`,
        'in-cluster argocd/argocd-notifications-secret Opaque slack-token',
        'in-cluster argocd/github-pull-requests Opaque token',
        'in-cluster argocd/repository-production-infra Opaque username,password',
      ],
    );
    const repository = targets.find((t) => t.name === 'repository-production-infra');
    expect(repository?.labels).toEqual({ 'argocd.argoproj.io/secret-type': 'repository' });
    // the URL is not sealed: a sealed one could be pointed elsewhere unseen, and the password sent there
    expect(repository?.plainData).toEqual({
      url: 'https://github.com/robson/production-infra.git',
      type: 'git',
    });
  });

  test('the command that seals a key names the environment for a service, none for ArgoCD', () => {
    const [database, tls] = serviceTargetsOf(backendWithDatabase, production);
    expect(sealCommandOf(database, 'password')).toBe(
      'npm run seal -- backend database password --environment prod < <file holding the value>',
    );
    expect(sealCommandOf(tls, 'tls.key')).toBe(
      'npm run seal -- backend tls tls.key --environment prod < <file holding the value>',
    );
    const argocd = sealedTargetsOf([], [])[0];
    expect(sealCommandOf(argocd, 'slack-token')).toBe(
      'npm run seal -- argocd argocd-notifications-secret slack-token < <file holding the value>',
    );
  });
});

describe('argocdTargetOf', () => {
  test("refuses a Secret labelled as a cluster: it would register a deployment target through ArgoCD's Secrets", () => {
    const cluster = {
      name: 'prod-eu',
      keys: ['config'],
      labels: { 'argocd.argoproj.io/secret-type': 'cluster' },
      purpose: '',
    };
    expect(() => argocdTargetOf(cluster)).toThrow(
      'charts/argocd-secrets.ts: Secret "prod-eu" is labelled argocd.argoproj.io/secret-type: cluster, but only repository and repo-creds credentials are declared there.',
    );
    expect(() =>
      argocdTargetOf({ ...cluster, labels: { 'argocd.argoproj.io/secret-type': 'repo-creds' } }),
    ).not.toThrow();
  });
});

describe('checkSealedTargetsDistinct (SEAL002)', () => {
  const withSecrets = (name: string, secrets: string[]): ServiceDeclaration => ({
    ...backendWithDatabase,
    name,
    ingress: undefined,
    secrets: secrets.map((secret) => ({ name: secret, keys: [{ key: 'password', env: 'PASSWORD' }] })),
  });

  test('refuses two services whose secrets would be one Secret (backend + db-creds, backend-db + creds)', () => {
    const catalog = [withSecrets('backend', ['db-creds']), withSecrets('backend-db', ['creds'])];
    expect(() => checkSealedTargetsDistinct(sealedTargetsOf(catalog, [production]))).toThrow(
      '[SEAL002] charts/services.ts: secret "creds" of service "backend-db" in environment "prod" and secret "db-creds" of service "backend" in environment "prod" are both Secret "backend-db-creds" of namespace "production"',
    );
    expect(() =>
      checkSealedTargetsDistinct(sealedTargetsOf(catalog.slice(0, 1), [production])),
    ).not.toThrow();
    // and synth runs it before anything else
    expect(() => buildModel({ services: catalog, imagePins: imagePinsOf(catalog) })).toThrow(
      '[SEAL002] charts/services.ts: secret "creds" of service "backend-db"',
    );
  });

  test("refuses a declared secret that would be a service's Ingress certificate", () => {
    const api = { ...withSecrets('api', ['robson-tls']) };
    const catalog = [backendWithDatabase, api];
    expect(() => buildModel({ services: catalog, imagePins: imagePinsOf(catalog) })).toThrow(
      /\[SEAL002\] charts\/services\.ts: secret "robson-tls" of service "api" in environment "prod" and the Ingress certificate of service "backend" in environment "prod" are both Secret "api-robson-tls"/,
    );
  });

  test('the same name in two namespaces, or two clusters, is two Secrets', () => {
    expect(() =>
      checkSealedTargetsDistinct(sealedTargetsOf([backendWithDatabase], [production, prodEu])),
    ).not.toThrow();
  });

  test("a service may not be named argocd, nor an environment: those name ArgoCD's own Secrets", () => {
    const argocd = { ...backendWithDatabase, name: 'argocd' };
    expect(() => buildModel({ services: [argocd], imagePins: imagePinsOf([argocd]) })).toThrow(
      'service "argocd" (charts/services.ts): the name is taken by ArgoCD\'s own Secrets',
    );
    expect(() => buildModel({ environments: [{ ...production, name: 'argocd' }] })).toThrow(
      'environments (charts/environments.ts): the name "argocd" is taken',
    );
  });
});

describe('checkSealedValues', () => {
  test('refuses one sealed value under two keys (SEAL002): a value copied from one key to another', () => {
    const [target] = serviceTargetsOf(backendWithDatabase, production);
    const good = controller.seal('production', 'backend-database', { password: 'p', 'ca.crt': 'c' });
    const copied = {
      ...good,
      encryptedData: { ...good.encryptedData, 'ca.crt': good.encryptedData.password },
    };
    expect(
      checkSealedValues(target, sealedValuesInMemory({ 'prod/backend-database': copied }), true).problems,
    ).toEqual([
      expect.stringMatching(
        /^\[SEAL002\] charts\/sealed-secrets\/prod\/backend-database\.json: holds one sealed value under keys password and ca\.crt/,
      ),
    ]);
  });

  const [database, tls] = serviceTargetsOf(backendWithDatabase, production);
  const files = {
    'prod/backend-database': controller.seal('production', 'backend-database', {
      password: 'p',
      'ca.crt': 'c',
    }),
  };
  const source = sealedValuesInMemory(files);

  test('the values of a complete file, with no problem', () => {
    expect(checkSealedValues(database, source, true)).toEqual({
      values: files['prod/backend-database'],
      problems: [],
    });
  });

  test('no file is a problem only when required (a certificate not committed yet: nothing can be sealed)', () => {
    expect(checkSealedValues(tls, source, false)).toEqual({ problems: [] });
    expect(checkSealedValues(tls, source, true).problems).toEqual([
      '[SEAL003] charts/sealed-secrets/prod/api-robson-tls.json: key "tls.crt" of the Ingress certificate of service "backend" in environment "prod" has no sealed value (the file does not exist). Fix: npm run seal -- backend tls tls.crt --environment prod < <file holding the value>, commit charts/sealed-secrets/prod/api-robson-tls.json, then npm run synth',
      '[SEAL003] charts/sealed-secrets/prod/api-robson-tls.json: key "tls.key" of the Ingress certificate of service "backend" in environment "prod" has no sealed value (the file does not exist). Fix: npm run seal -- backend tls tls.key --environment prod < <file holding the value>, commit charts/sealed-secrets/prod/api-robson-tls.json, then npm run synth',
    ]);
  });

  test('a file there is checked even when not required: a half-sealed certificate is an error', () => {
    const half = sealedValuesInMemory({
      'prod/api-robson-tls': controller.seal('production', 'api-robson-tls', { 'tls.crt': 'c' }),
    });
    expect(checkSealedValues(tls, half, false).problems).toEqual([
      expect.stringMatching(/^\[SEAL003\] .*key "tls\.key" of the Ingress certificate/),
    ]);
  });
});
