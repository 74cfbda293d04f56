import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Chart, Testing } from 'cdk8s';
import { parse, stringify } from 'yaml';
import { sealValue, unsealValue } from '../../../lib/secrets/hybrid-encryption';
import { SealedSecret } from '../../../lib/secrets/sealed-secret';
import { makeTestCertificate } from '../../helpers/sealing-certificate';
import { toolPath } from '../../helpers/tools';

/**
 * Our sealing against the real kubeseal (built from the module tools/sealed-secrets pins), offline: its
 * recovery mode unseals with a private key file, and `--raw --cert` seals without a cluster. The key pair
 * is made for this run. A missing kubeseal fails the test (npm run tools builds it), never skips it.
 */
describe('interoperability with the real kubeseal, strict scope', () => {
  let dir: string;
  let kubeseal: string;
  const controller = makeTestCertificate({ bits: 4096 });
  const target = { namespace: 'production', name: 'backend-database' };
  const run = (args: readonly string[], input: string | Buffer) => {
    // No cluster: a kubeconfig that does not exist, so that nothing is read from this machine's.
    const result = spawnSync(kubeseal, args, {
      input,
      encoding: 'utf8',
      env: { ...process.env, KUBECONFIG: join(dir, 'no-kubeconfig') },
    });
    if (result.error) throw result.error;
    return result;
  };

  beforeAll(() => {
    kubeseal = toolPath('kubeseal');
    dir = mkdtempSync(join(tmpdir(), 'kubeseal-'));
    writeFileSync(join(dir, 'cert.pem'), controller.certificatePem);
    writeFileSync(join(dir, 'key.pem'), controller.privateKeyPem, { mode: 0o600 });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** A SealedSecret as synth writes it, its values sealed by us. */
  const sealedSecretYaml = (values: Record<string, Buffer>, sealedFor = target): string => {
    const chart = new Chart(Testing.app(), 'test');
    const sealed = new SealedSecret(chart, 'Database', {
      ...target,
      labels: { 'app.kubernetes.io/name': 'backend' },
      encryptedData: Object.fromEntries(
        Object.entries(values).map(([key, value]) => [
          key,
          sealValue(controller.publicKey, value, sealedFor),
        ]),
      ),
    });
    return stringify(sealed.apiObject.toJson());
  };

  test('kubeseal --recovery-unseal reads the SealedSecret we write: the Secret of its name, namespace and labels, every byte', () => {
    // given
    const binary = Buffer.from([0, 1, 2, 253, 254, 255, 10]);
    const yaml = sealedSecretYaml({ password: Buffer.from('s3cret'), 'ca.crt': binary });
    // when
    const result = run(
      ['--recovery-unseal', '--recovery-private-key', join(dir, 'key.pem'), '-o', 'yaml'],
      yaml,
    );
    // then
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const secret = parse(result.stdout);
    expect(secret).toMatchObject({
      kind: 'Secret',
      type: 'Opaque',
      metadata: {
        name: 'backend-database',
        namespace: 'production',
        labels: { 'app.kubernetes.io/name': 'backend' },
      },
    });
    expect(Buffer.from(secret.data.password, 'base64').toString()).toBe('s3cret');
    expect(Buffer.from(secret.data['ca.crt'], 'base64')).toEqual(binary);
  });

  test('fails: kubeseal refuses a value we sealed for another name, as the controller would (label mismatch)', () => {
    // given
    const yaml = sealedSecretYaml(
      { password: Buffer.from('s3cret') },
      { ...target, name: 'frontend-database' },
    );
    // when
    const result = run(['--recovery-unseal', '--recovery-private-key', join(dir, 'key.pem')], yaml);
    // then
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/no key could decrypt secret/);
  });

  test('what kubeseal --raw --scope strict seals with our test certificate, we unseal; another name we do not', () => {
    // when
    const result = run(
      [
        '--raw',
        '--cert',
        join(dir, 'cert.pem'),
        '--scope',
        'strict',
        '--namespace',
        target.namespace,
        '--name',
        target.name,
      ],
      'from kubeseal\n', // read from standard input (a pipe from node is a socket: /dev/stdin cannot be opened)
    );
    // then
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(unsealValue(controller.privateKey, result.stdout.trim(), target).toString()).toBe(
      'from kubeseal\n',
    );
    expect(() =>
      unsealValue(controller.privateKey, result.stdout.trim(), { ...target, name: 'other' }),
    ).toThrow();
  });

  test('kubeseal refuses to seal with an expired test certificate too (the check npm run seal mirrors)', () => {
    const expired = makeTestCertificate({
      notBefore: new Date('2020-01-01'),
      notAfter: new Date('2021-01-01'),
    });
    writeFileSync(join(dir, 'expired.pem'), expired.certificatePem);
    const result = run(
      [
        '--raw',
        '--cert',
        join(dir, 'expired.pem'),
        '--scope',
        'strict',
        '--namespace',
        'production',
        '--name',
        'x',
      ],
      'v',
    );
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/failed to encrypt using an expired certificate/);
  });
});
