import { generateKeyPairSync } from 'node:crypto';
import {
  hybridDecrypt,
  hybridEncrypt,
  sealValue,
  sealedValueProblem,
  strictScopeLabel,
  unsealValue,
} from '../../../lib/secrets/hybrid-encryption';

// A key pair made for this run (kubeseal's controller makes 4096 bits; 2048 is faster and the same scheme).
const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
const target = { namespace: 'production', name: 'backend-database' };

describe("kubeseal's hybrid encryption (pkg/crypto/crypto.go), strict scope", () => {
  test('round trip: what is sealed for production/backend-database unseals as it, bytes exactly', () => {
    // given
    const value = Buffer.from('s3cret\n\u00e9\u0000end', 'utf8');
    // when
    const sealed = sealValue(publicKey, value, target);
    // then
    expect(unsealValue(privateKey, sealed, target)).toEqual(value);
  });

  test('the label of strict scope is "<namespace>/<name>", as EncryptionLabel makes it', () => {
    expect(strictScopeLabel(target).toString()).toBe('production/backend-database');
  });

  test('the format: 2-byte big-endian RSA length, the RSA ciphertext (the key size), AES-GCM of the value with its 16-byte tag', () => {
    // given
    const value = Buffer.from('twelve bytes');
    // when
    const sealed = hybridEncrypt(publicKey, value, strictScopeLabel(target));
    // then
    expect(sealed.readUInt16BE(0)).toBe(256); // a 2048-bit key: 256 bytes of RSA-OAEP
    expect(sealed.length).toBe(2 + 256 + value.length + 16);
    expect(sealedValueProblem(sealed.toString('base64'))).toBeUndefined();
  });

  test('each sealing draws a new session key: the same value seals differently every time', () => {
    expect(sealValue(publicKey, Buffer.from('x'), target)).not.toBe(
      sealValue(publicKey, Buffer.from('x'), target),
    );
  });

  test.each([
    ['another name', { namespace: 'production', name: 'backend-other' }],
    ['another namespace', { namespace: 'staging', name: 'backend-database' }],
    ['a preview', { namespace: 'preview-42', name: 'backend-database' }],
  ])(
    'fails: a value sealed for production/backend-database does not unseal as %s (label mismatch)',
    (_, elsewhere) => {
      // given
      const sealed = sealValue(publicKey, Buffer.from('s3cret'), target);
      // when / then
      expect(() => unsealValue(privateKey, sealed, elsewhere)).toThrow(
        'the key or the label (namespace/name) is not the one the value was sealed with',
      );
    },
  );

  test("fails: another controller's key does not unseal it", () => {
    const sealed = sealValue(publicKey, Buffer.from('s3cret'), target);
    expect(() => unsealValue(other.privateKey, sealed, target)).toThrow(/the key or the label/);
  });

  test('fails: a changed byte of the AES part is caught by its tag', () => {
    // given
    const sealed = hybridEncrypt(publicKey, Buffer.from('s3cret'), strictScopeLabel(target));
    sealed[sealed.length - 20] ^= 0x01;
    // when / then
    expect(() => hybridDecrypt(privateKey, sealed, strictScopeLabel(target))).toThrow(/altered/);
  });

  test.each([
    ['', 'is not standard base64'],
    ['not base64!', 'is not standard base64'],
    ['AQ', 'is not standard base64'], // no padding: Go's StdEncoding refuses it
    ['AA==', 'is not a sealed value: it is shorter than its 2-byte header'],
    [
      'AAA=',
      'is not a sealed value: its header gives an RSA ciphertext of 0 bytes, not the 256, 384, 512 of a 2048-, 3072- or 4096-bit key',
    ],
    // plaintext whose first two bytes read as a small length: a Kerberos keytab starts 0x05 0x02 (1282)
    [
      Buffer.concat([Buffer.from([5, 2]), Buffer.alloc(1400, 7)]).toString('base64'),
      'is not a sealed value: its header gives an RSA ciphertext of 1282 bytes, not the 256, 384, 512 of a 2048-, 3072- or 4096-bit key',
    ],
    [
      Buffer.from([1, 0, 9, 9, 9]).toString('base64'),
      'is not a sealed value: its header gives an RSA ciphertext of 256 bytes, but it holds 5 bytes in all',
    ],
  ])('sealedValueProblem(%j): %s', (value, problem) => {
    expect(sealedValueProblem(value)).toBe(problem);
  });
});
