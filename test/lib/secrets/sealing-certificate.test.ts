import { generateKeyPairSync } from 'node:crypto';
import { certificateFingerprintOf, parseSealingCertificate } from '../../../lib/secrets/sealing-certificate';
import { unsealValue, sealValue } from '../../../lib/secrets/hybrid-encryption';
import { makeTestCertificate } from '../../helpers/sealing-certificate';

const FILE = 'charts/sealing-certificates/in-cluster.pem';
const FIX = 'kubeseal --fetch-cert > charts/sealing-certificates/in-cluster.pem';
const options = { file: FILE, fix: FIX };
const good = makeTestCertificate();

describe("the sealing certificate, checked as kubeseal's ParseKey checks it (and a little more)", () => {
  test('gives the RSA public key, its expiry and its fingerprint; what it seals, the private key unseals', () => {
    // when
    const certificate = parseSealingCertificate(good.certificatePem, options);
    // then
    expect(certificate.publicKey.asymmetricKeyType).toBe('rsa');
    expect(certificate.notAfter.getTime()).toBeGreaterThan(Date.now());
    expect(certificate.fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
    const target = { namespace: 'production', name: 'backend-database' };
    const sealed = sealValue(certificate.publicKey, Buffer.from('v'), target);
    expect(unsealValue(good.privateKey, sealed, target).toString()).toBe('v');
  });

  test("the fingerprint is the key's: the same for the same key, whatever else the file holds", () => {
    expect(certificateFingerprintOf(`# fetched by an admin\n${good.certificatePem}`)).toBe(
      parseSealingCertificate(good.certificatePem, options).fingerprint,
    );
    expect(certificateFingerprintOf(makeTestCertificate().certificatePem)).not.toBe(
      certificateFingerprintOf(good.certificatePem),
    );
    expect(certificateFingerprintOf('no certificate')).toBeUndefined();
  });

  const refused = (pem: string, now?: Date): string => {
    try {
      parseSealingCertificate(pem, { ...options, now });
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error('accepted');
  };

  test('fails: an expired certificate, naming the date and the command that fetches the current one', () => {
    // given
    const expired = makeTestCertificate({
      notBefore: new Date('2020-01-01T00:00:00Z'),
      notAfter: new Date('2021-01-01T00:00:00Z'),
    });
    // then
    expect(refused(expired.certificatePem)).toBe(
      `[SEAL001] ${FILE}: expired on 2021-01-01: the controller renews its certificate; fetch the current one. Fix: ${FIX}`,
    );
    // and the same certificate, the day before it expired, was fine
    expect(() =>
      parseSealingCertificate(expired.certificatePem, { ...options, now: new Date('2020-12-31T00:00:00Z') }),
    ).not.toThrow();
  });

  test('fails: a certificate of an EC key, which no Sealed Secrets controller has', () => {
    expect(refused(makeTestCertificate({ keyType: 'ec' }).certificatePem)).toMatch(
      /^\[SEAL001\] .*: holds a key of type ec, not RSA: Sealed Secrets seal with RSA-OAEP/,
    );
  });

  test('fails: an RSA key below 2048 bits', () => {
    expect(refused(makeTestCertificate({ bits: 1024 }).certificatePem)).toMatch(
      /holds an RSA key of 1024 bits, fewer than 2048/,
    );
  });

  test.each([
    [
      'a public key, not a certificate',
      generateKeyPairSync('rsa', { modulusLength: 2048 })
        .publicKey.export({ type: 'spki', format: 'pem' })
        .toString(),
      /is not a PEM certificate/,
    ],
    ['an empty file', '', /is not a PEM certificate/],
    [
      'a damaged certificate',
      good.certificatePem.replace(/\n[A-Za-z0-9+/]{20}/, '\nAAAAAAAAAAAAAAAAAAAA'),
      /is not a readable X.509 certificate/,
    ],
  ])('fails: %s', (_, pem, message) => {
    expect(refused(pem)).toMatch(message);
  });

  test('fails: a private key in the file, even beside the certificate, and says never to commit it', () => {
    expect(refused(`${good.certificatePem}${good.privateKeyPem}`)).toMatch(
      /holds a private key\. .* a private key must never be committed/,
    );
  });
});
