import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments, parse } from 'yaml';
import { argocdSecrets } from '../../charts/argocd-secrets';
import { SEALED_SECRETS_DIR, sealingCertificateFile } from '../../charts/paths';
import { KubeObject, parseSealedValues, unsealValue } from '../../lib';
import { makeTestCertificate } from '../helpers/sealing-certificate';
import { copyRepo, runTs } from '../helpers/temp-repo';
import { kustomizeBuild } from '../helpers/tools';

/** What a team adds to the backend's entry in charts/services.ts to give it a secret. */
const DECLARATION = `
    secrets: [
      {
        name: 'database',
        keys: [
          { key: 'password', env: 'DATABASE_PASSWORD' },
          { key: 'ca.crt', file: '/etc/backend/database/ca.crt' },
        ],
      },
    ],`;
const FILE = `${SEALED_SECRETS_DIR}/prod/backend-database.json`;
const target = { namespace: 'production', name: 'backend-database' };

/** A copy of the repository whose backend declares a secret, with a controller's certificate made now. */
describe('npm run seal, end to end on a copy of the repository', () => {
  let root: string;
  const controller = makeTestCertificate();
  /** Runs `npm run seal -- <args>` as npm runs it (from its bundle), with `input` on standard input. */
  const seal = (args: readonly string[], input: string | Buffer) => {
    const result = spawnSync(
      process.execPath,
      [join(root, 'bin', 'run-bundled.mjs'), 'bin/seal.ts', ...args],
      {
        cwd: root,
        input,
        encoding: 'utf8',
      },
    );
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  };
  const mustSeal = (args: readonly string[], input: string): void => {
    const result = seal([...args, '--keep-newline'], input);
    if (result.status !== 0) throw new Error(`npm run seal -- ${args.join(' ')}: ${result.stderr}`);
  };
  const sealedFile = () => parseSealedValues(readFileSync(join(root, FILE), 'utf8'), FILE);
  const unsealed = (key: string) =>
    unsealValue(controller.privateKey, sealedFile().encryptedData[key], target).toString();
  /** The sealed files and their contents: a refusal leaves them as they were. */
  const sealedTree = (): Record<string, string> => {
    const dir = join(root, SEALED_SECRETS_DIR);
    if (!existsSync(dir)) return {};
    return Object.fromEntries(
      readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => [
          join(entry.parentPath, entry.name),
          readFileSync(join(entry.parentPath, entry.name), 'utf8'),
        ]),
    );
  };

  beforeAll(() => {
    root = copyRepo();
    const services = readFileSync(join(root, 'charts/services.ts'), 'utf8');
    const anchor = "    configMapName: 'app-config',";
    if (!services.includes(anchor))
      throw new Error('charts/services.ts no longer has the line the test adds after');
    writeFileSync(join(root, 'charts/services.ts'), services.replace(anchor, `${anchor}${DECLARATION}`));
    mkdirSync(join(root, 'charts/sealing-certificates'), { recursive: true });
    writeFileSync(join(root, sealingCertificateFile('in-cluster')), controller.certificatePem);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test('--help prints the usage, saying the value comes from standard input', () => {
    const help = seal(['--help'], '');
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^usage: npm run seal -- <service> <secret> <key> \[--environment <name>\]/);
    expect(help.stdout).toContain('read from standard input');
  });

  test('synth refuses while a declared key has no sealed value, naming the command (SEAL003)', () => {
    const synth = runTs(root, 'bin/synth.ts');
    expect(synth.status).toBe(1);
    expect(synth.stderr).toContain(
      '[SEAL003] charts/sealed-secrets/prod/backend-database.json: key "password" of secret "database" of service "backend" in environment "prod" has no sealed value',
    );
    expect(synth.stderr).toContain('npm run seal -- backend database password --environment prod');
    // and, the certificate being committed, what the platform declares: the Ingress certificate
    expect(synth.stderr).toContain('npm run seal -- backend tls tls.key --environment prod');
  });

  describe('refusals write nothing', () => {
    test.each<[string, string[], string, number, RegExp]>([
      [
        'a value on the command line',
        ['backend', 'database', 'password', 's3cret'],
        'x',
        2,
        /^seal: \[SEAL004\] command line: .*never from the command line/,
      ],
      [
        'a value starting with "-" on the command line (not quoted back: it may be the secret)',
        ['backend', 'database', 'password', '-Zq8vN2secretVALUE'],
        'x',
        2,
        /^seal: \[SEAL004\] command line: it holds an option or argument seal does not take, not repeated here(?![\s\S]*Zq8v)/,
      ],
      [
        'a value given to a flag that takes none (not quoted back)',
        ['backend', 'database', 'password', '--keep-newline=hunter2x'],
        'x',
        2,
        /^seal: \[SEAL004\] command line: it holds an option or argument seal does not take(?![\s\S]*hunter2x)/,
      ],
      [
        'an empty standard input',
        ['backend', 'database', 'password'],
        '',
        1,
        /\[SEAL004\] standard input: is empty/,
      ],
      [
        'a line end alone',
        ['backend', 'database', 'password'],
        '\n',
        1,
        /\[SEAL004\] standard input: holds nothing but a line end/,
      ],
      [
        'a missing certificate',
        ['backend', 'database', 'password', '--certificate', 'nowhere.pem'],
        'v',
        1,
        /\[SEAL001\] nowhere\.pem: does not exist: .*Fix: an administrator of cluster in-cluster fetches it: kubeseal --context <kube context of cluster in-cluster> --fetch-cert/,
      ],
      [
        'a key the secret does not declare',
        ['backend', 'database', 'user'],
        'v',
        2,
        /^seal: the key given is not one of secret "database" of service "backend" in environment "prod"; it has password, ca\.crt/,
      ],
      [
        'an unknown environment',
        ['backend', 'database', 'password', '--environment', 'staging'],
        'v',
        2,
        /^seal: the environment given is unknown; known: prod/,
      ],
    ])('%s', (_, args, input, status, message) => {
      const before = sealedTree();
      const result = seal(args, input);
      expect(result.stderr).toMatch(message);
      expect(result.status).toBe(status);
      expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
      expect(sealedTree()).toEqual(before);
    });

    test('a terminal as standard input: the value would be echoed on screen (run under a pseudo-terminal by script)', () => {
      const before = sealedTree();
      const command = `${process.execPath} bin/run-bundled.mjs bin/seal.ts backend database password`;
      const result = spawnSync('script', ['-qec', command, '/dev/null'], { cwd: root, encoding: 'utf8' });
      expect(result.stdout).toContain(
        '[SEAL004] standard input: it is a terminal, where the value would be echoed on screen',
      );
      expect(result.status).toBe(2);
      expect(sealedTree()).toEqual(before);
    });

    test('a certificate that is not RSA', () => {
      const ec = join(root, 'ec.pem');
      writeFileSync(ec, makeTestCertificate({ keyType: 'ec' }).certificatePem);
      const result = seal(['backend', 'database', 'password', '--certificate', ec], 'v');
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(
        /seal refused; nothing was written\.\n\[SEAL001\] .*ec\.pem: holds a key of type ec, not RSA/,
      );
      expect(existsSync(join(root, FILE))).toBe(false);
    });
  });

  test('echo s3cret | npm run seal: the trailing line end is removed and said so; the value unseals as production/backend-database', () => {
    const result = seal(['backend', 'database', 'password'], 's3cret\n');
    expect(result.stderr).toContain('seal: removed the one trailing line end of the value');
    expect(result.stdout).toMatch(
      /^seal: sealed key "password" of Secret production\/backend-database \(environment prod\) into charts\/sealed-secrets\/prod\/backend-database\.json, with charts\/sealing-certificates\/in-cluster\.pem \(sha256:[0-9a-f]{64}, valid until \d{4}-\d\d-\d\d\)\nnext: npm run synth/,
    );
    expect(result.status).toBe(0);
    expect(unsealed('password')).toBe('s3cret');
  });

  test('--keep-newline seals a file as it is, beside the first key', () => {
    const result = seal(
      ['backend', 'database', 'ca.crt', '--keep-newline'],
      '-----BEGIN CERTIFICATE-----\nCA\n',
    );
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('');
    expect(unsealed('ca.crt')).toBe('-----BEGIN CERTIFICATE-----\nCA\n');
    expect(unsealed('password')).toBe('s3cret');
  });

  describe('then npm run synth writes the SealedSecret into the overlay', () => {
    const overlay = 'infra/k8s/backend/overlays/prod';
    let rendered: KubeObject[];
    beforeAll(() => {
      // The certificate is committed: the Ingress certificate and ArgoCD's Secrets need their values too.
      for (const key of ['tls.crt', 'tls.key']) mustSeal(['backend', 'tls', key], `(test ${key})\n`);
      for (const secret of argocdSecrets)
        for (const key of secret.keys) mustSeal(['argocd', secret.name, key], `test ${secret.name} ${key}`);
      const synth = runTs(root, 'bin/synth.ts');
      if (synth.status !== 0) throw new Error(`synth failed: ${synth.stderr}`);
      rendered = parseAllDocuments(kustomizeBuild(join(root, overlay))).map(
        (document) => document.toJS() as KubeObject,
      );
    });

    test("ArgoCD's own Secrets in infra/argocd/secrets/, and the Ingress certificate of type kubernetes.io/tls", () => {
      for (const secret of argocdSecrets) {
        const object = parse(readFileSync(join(root, `infra/argocd/secrets/${secret.name}.yaml`), 'utf8'));
        expect(object).toMatchObject({
          kind: 'SealedSecret',
          metadata: { name: secret.name, namespace: 'argocd' },
        });
      }
      const tls = rendered.find(
        (object) => object.kind === 'SealedSecret' && object.metadata?.name === 'api-robson-tls',
      );
      expect((tls?.spec as { template: { type: string } }).template.type).toBe('kubernetes.io/tls');
    });

    test('listed in the kustomization like the disruption budget', () => {
      const kustomization = parse(readFileSync(join(root, overlay, 'kustomization.yaml'), 'utf8'));
      expect(kustomization.resources).toContain('resources/sealedsecret-backend-database.yaml');
    });

    test('rendered by the real kustomize: a SealedSecret of production, and a Deployment that requires its Secret', () => {
      const sealed = rendered.find(
        (object) => object.kind === 'SealedSecret' && object.metadata?.name === 'backend-database',
      );
      expect(sealed?.metadata).toMatchObject({ name: 'backend-database', namespace: 'production' });
      const { encryptedData } = sealed?.spec as { encryptedData: Record<string, string> };
      expect(unsealValue(controller.privateKey, encryptedData.password, target).toString()).toBe('s3cret');
      const deployment = rendered.find((object) => object.kind === 'Deployment');
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const container = (deployment?.spec as any).template.spec.containers[0];
      expect(container.env).toEqual([
        {
          name: 'DATABASE_PASSWORD',
          valueFrom: { secretKeyRef: { name: 'backend-database', key: 'password', optional: false } },
        },
      ]);
    });

    test('npm run policy passes the whole tree, and refuses it once a plaintext Secret is added (SEC001)', () => {
      expect(runTs(root, 'bin/policy.ts', ['infra']).status).toBe(0);
      writeFileSync(
        join(root, overlay, 'secret.yaml'),
        'apiVersion: v1\nkind: Secret\nmetadata:\n  name: backend-database\n  namespace: production\nstringData:\n  password: plain\n',
      );
      const policy = runTs(root, 'bin/policy.ts', ['infra']);
      expect(policy.status).toBe(1);
      expect(policy.stdout).toContain('[SEC001] Secret production/backend-database');
      rmSync(join(root, overlay, 'secret.yaml'));
    });
  });
});
