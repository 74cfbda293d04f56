import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { production } from '../../charts/environments';
import { sealingCertificateFile } from '../../charts/paths';
import {
  SealRequest,
  SealResult,
  fetchCertificateCommand,
  sealIntoRepository,
} from '../../charts/sealed-values';
import { parseSealedValues, unsealValue } from '../../lib';
import { prodEu } from '../helpers/extra-environments';
import { backendWithDatabase } from '../helpers/sealed-catalog';
import { makeTestCertificate } from '../helpers/sealing-certificate';

const FILE = 'charts/sealed-secrets/prod/backend-database.json';
const target = { namespace: 'production', name: 'backend-database' };
const controller = makeTestCertificate();

describe('npm run seal, in process: one key of a declared secret, sealed into the file synth reads', () => {
  let root: string;
  const write = (path: string, content: string) => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), content);
  };
  const seal = (value: string | Buffer, changes: Partial<SealRequest> = {}) =>
    sealIntoRepository({
      root,
      service: 'backend',
      secret: 'database',
      key: 'password',
      value: Buffer.from(value),
      services: [backendWithDatabase],
      ...changes,
    });
  const sealedFile = () => parseSealedValues(readFileSync(join(root, FILE), 'utf8'), FILE);
  /** The value of `key` in the file `result` names, unsealed as the Secret it was sealed for. */
  const unsealedAt = (result: SealResult, key: string): string => {
    const file = parseSealedValues(readFileSync(join(root, result.file), 'utf8'), result.file);
    const secret = { namespace: result.namespace, name: result.secretName };
    return unsealValue(controller.privateKey, file.encryptedData[key], secret).toString();
  };
  const unsealed = (key: string) =>
    unsealValue(controller.privateKey, sealedFile().encryptedData[key], target).toString();
  /** Every file below the root: a refusal must leave it as it was. */
  const files = (): string[] =>
    readdirSync(root, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name).slice(root.length + 1))
      .sort();

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'seal-'));
    write(sealingCertificateFile('in-cluster'), controller.certificatePem);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  test("seals for prod by default, with in-cluster's committed certificate, strict scope: the controller unseals it as production/backend-database", () => {
    // when
    const result = seal('s3cret');
    // then
    expect(result).toMatchObject({
      file: FILE,
      environment: 'prod',
      namespace: 'production',
      secretName: 'backend-database',
      certificate: 'charts/sealing-certificates/in-cluster.pem',
      removedLineEnd: false,
      replaced: false,
    });
    expect(sealedFile()).toMatchObject({ namespace: 'production', name: 'backend-database' });
    expect(unsealed('password')).toBe('s3cret');
  });

  test('keeps the other keys of the file, and replaces the key sealed again', () => {
    // given
    seal('first');
    seal('-----BEGIN CERTIFICATE-----\n', { key: 'ca.crt', keepNewline: true });
    const before = sealedFile().encryptedData['ca.crt'];
    // when
    const result = seal('second');
    // then
    expect(result.replaced).toBe(true);
    expect(unsealed('password')).toBe('second');
    expect(sealedFile().encryptedData['ca.crt']).toBe(before);
    expect(unsealed('ca.crt')).toBe('-----BEGIN CERTIFICATE-----\n');
  });

  test('removes exactly one trailing line end (echo adds one) and says so; --keep-newline keeps it', () => {
    expect(seal('s3cret\n').removedLineEnd).toBe(true);
    expect(unsealed('password')).toBe('s3cret');
    seal('s3cret\r\n');
    expect(unsealed('password')).toBe('s3cret');
    seal('two lines\n\n');
    expect(unsealed('password')).toBe('two lines\n');
    expect(seal('kept\n', { keepNewline: true }).removedLineEnd).toBe(false);
    expect(unsealed('password')).toBe('kept\n');
  });

  test('binary values go through byte for byte', () => {
    const bytes = Buffer.from([0, 255, 10, 13, 128, 7]);
    seal(bytes);
    expect(unsealValue(controller.privateKey, sealedFile().encryptedData.password, target)).toEqual(bytes);
  });

  test("another environment's cluster has its own certificate: prod-eu seals with prod-eu.pem", () => {
    // given
    const eu = makeTestCertificate();
    write(sealingCertificateFile('prod-eu'), eu.certificatePem);
    // when
    const result = seal('v', { environment: 'prod-eu', environments: [production, prodEu] });
    // then
    expect(result.certificate).toBe('charts/sealing-certificates/prod-eu.pem');
    const file = 'charts/sealed-secrets/prod-eu/backend-database.json';
    const sealed = parseSealedValues(readFileSync(join(root, file), 'utf8'), file);
    expect(unsealValue(eu.privateKey, sealed.encryptedData.password, target).toString()).toBe('v');
    expect(() => unsealValue(controller.privateKey, sealed.encryptedData.password, target)).toThrow();
  });

  describe('refuses, and writes nothing', () => {
    const refusal = (value: string, changes: Partial<SealRequest> = {}): string => {
      const before = files();
      let message: string | undefined;
      try {
        seal(value, changes);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(files()).toEqual(before);
      if (message === undefined) throw new Error('sealed');
      return message;
    };

    test.each([
      ['an empty value', ''],
      ['a value that is only a line end', '\n'],
    ])('%s (SEAL004)', (_, value) => {
      expect(refusal(value)).toMatch(/^\[SEAL004\] standard input: (is empty|holds nothing but a line end)/);
    });

    test('no certificate committed for the cluster (SEAL001), naming the command that fetches it', () => {
      rmSync(join(root, 'charts/sealing-certificates'), { recursive: true });
      expect(refusal('v')).toBe(
        '[SEAL001] charts/sealing-certificates/in-cluster.pem: does not exist: no certificate of cluster in-cluster (for secret "database" of service "backend" in environment "prod") is committed. ' +
          `Fix: an administrator of cluster in-cluster fetches it: ${fetchCertificateCommand('in-cluster')}, and commit it (it is public)`,
      );
      expect(fetchCertificateCommand('in-cluster')).toBe(
        'kubeseal --context <kube context of cluster in-cluster> --fetch-cert --controller-namespace sealed-secrets ' +
          '--controller-name sealed-secrets-controller > charts/sealing-certificates/in-cluster.pem',
      );
    });

    test('an expired certificate, or one that is not RSA (SEAL001)', () => {
      const expired = makeTestCertificate({
        notBefore: new Date('2020-01-01'),
        notAfter: new Date('2021-01-01'),
      });
      write(sealingCertificateFile('in-cluster'), expired.certificatePem);
      expect(refusal('v')).toMatch(
        /^\[SEAL001\] charts\/sealing-certificates\/in-cluster\.pem: expired on 2021-01-01/,
      );
      write(sealingCertificateFile('in-cluster'), makeTestCertificate({ keyType: 'ec' }).certificatePem);
      expect(refusal('v')).toMatch(/not RSA/);
    });

    test("another cluster's certificate: the same key as a file of another cluster (SEAL001)", () => {
      write(sealingCertificateFile('prod-eu'), controller.certificatePem);
      expect(refusal('v')).toMatch(
        /^\[SEAL001\] charts\/sealing-certificates\/in-cluster\.pem: holds the same key as charts\/sealing-certificates\/prod-eu\.pem: every cluster's controller has a key pair of its own/,
      );
    });

    test('a file there that is damaged, or sealed for another Secret (SEAL002)', () => {
      write(FILE, '{ not json');
      expect(refusal('v')).toMatch(
        /^\[SEAL002\] charts\/sealed-secrets\/prod\/backend-database\.json: is not valid JSON/,
      );
      write(
        FILE,
        JSON.stringify({
          namespace: 'staging',
          name: 'backend-database',
          encryptedData: { 'ca.crt': 'AgA=' },
        }),
      );
      expect(refusal('v')).toMatch(
        /was sealed for Secret staging\/backend-database, but secret "database" of service "backend" in environment "prod" is production\/backend-database/,
      );
    });

    test.each<[string, Partial<SealRequest>, string]>([
      ['an unknown service', { service: 'billing' }, 'the service given is unknown; known: backend'],
      [
        'a secret the service does not declare',
        { secret: 'cache' },
        'service "backend" declares no such secret; it has database, tls',
      ],
      [
        'a key the secret does not declare',
        { key: 'user' },
        'the key given is not one of secret "database" of service "backend" in environment "prod"; it has password, ca.crt',
      ],
      ['an unknown environment', { environment: 'staging' }, 'the environment given is unknown; known: prod'],
    ])('%s (a usage error)', (_, changes, message) => {
      expect(refusal('v', changes)).toBe(message);
    });

    test('a service without secrets', () => {
      expect(
        refusal('v', { services: [{ ...backendWithDatabase, secrets: undefined, ingress: undefined }] }),
      ).toBe(
        'service "backend" declares no such secret; it has none: add it to secrets in charts/services.ts first',
      );
    });
  });

  test("`tls` is the service's Ingress certificate, sealed for the Secret the Ingress names", () => {
    // when
    const result = seal('-----BEGIN CERTIFICATE-----\n', {
      secret: 'tls',
      key: 'tls.crt',
      keepNewline: true,
    });
    // then
    expect(result).toMatchObject({
      file: 'charts/sealed-secrets/prod/api-robson-tls.json',
      namespace: 'production',
      secretName: 'api-robson-tls',
    });
    expect(unsealedAt(result, 'tls.crt')).toBe('-----BEGIN CERTIFICATE-----\n');
  });

  test("`argocd` seals ArgoCD's own Secrets, for namespace argocd, with the certificate of ArgoCD's cluster", () => {
    // when
    const result = seal('xoxb-test', {
      service: 'argocd',
      secret: 'argocd-notifications-secret',
      key: 'slack-token',
    });
    // then
    expect(result).toMatchObject({
      file: 'charts/sealed-secrets/argocd/argocd-notifications-secret.json',
      namespace: 'argocd',
      secretName: 'argocd-notifications-secret',
      environment: undefined,
      certificate: 'charts/sealing-certificates/in-cluster.pem',
    });
    expect(unsealedAt(result, 'slack-token')).toBe('xoxb-test');
    // and ArgoCD's Secrets belong to no environment, and have only their own keys
    expect(() =>
      seal('v', {
        service: 'argocd',
        secret: 'argocd-notifications-secret',
        key: 'slack-token',
        environment: 'prod',
      }),
    ).toThrow(/belong to no environment/);
    expect(() =>
      seal('v', { service: 'argocd', secret: 'argocd-notifications-secret', key: 'token' }),
    ).toThrow(
      `the key given is not one of ArgoCD's Secret "argocd-notifications-secret"; it has slack-token`,
    );
  });

  test('the certificate option seals with another file, relative to the root or absolute', () => {
    const other = makeTestCertificate();
    write('elsewhere/cert.pem', other.certificatePem);
    expect(seal('v', { certificate: 'elsewhere/cert.pem' }).certificate).toBe('elsewhere/cert.pem');
    expect(unsealValue(other.privateKey, sealedFile().encryptedData.password, target).toString()).toBe('v');
    expect(seal('w', { certificate: join(root, 'elsewhere/cert.pem') }).replaced).toBe(true);
    expect(existsSync(join(root, FILE))).toBe(true);
  });
});
