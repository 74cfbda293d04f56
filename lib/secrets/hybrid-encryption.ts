import {
  KeyObject,
  constants,
  createCipheriv,
  createDecipheriv,
  privateDecrypt,
  publicEncrypt,
  randomBytes,
} from 'node:crypto';

/**
 * kubeseal's hybrid encryption, byte for byte (`pkg/crypto/crypto.go` of sealed-secrets: HybridEncrypt
 * and HybridDecrypt). A fresh 32-byte AES key per value is encrypted with RSA-OAEP (SHA-256, the scope's
 * label); the value with AES-256-GCM under that key and an all-zero 12-byte nonce (the key is used once).
 * The result: the RSA ciphertext's length as 2 bytes big-endian, the RSA ciphertext, then the AES
 * ciphertext with its 16-byte tag. A SealedSecret's `encryptedData` holds it in standard base64.
 */
const SESSION_KEY_BYTES = 32;
const ZERO_NONCE = Buffer.alloc(12);
const TAG_BYTES = 16;
const LENGTH_BYTES = 2;

/** The Secret a value is sealed for. */
export interface SealingTarget {
  readonly namespace: string;
  readonly name: string;
}

/**
 * The RSA-OAEP label of strict scope, `<namespace>/<name>` (EncryptionLabel in
 * `sealedsecret_expansion.go`): only a SealedSecret of that namespace and name decrypts the value.
 */
export const strictScopeLabel = (target: SealingTarget): Buffer =>
  Buffer.from(`${target.namespace}/${target.name}`, 'utf8');

const oaep = (key: KeyObject, label: Buffer) => ({
  key,
  padding: constants.RSA_PKCS1_OAEP_PADDING,
  oaepHash: 'sha256',
  oaepLabel: label,
});

/** kubeseal's HybridEncrypt: `plaintext` for the holder of the private key of `publicKey`, under `label`. */
export function hybridEncrypt(publicKey: KeyObject, plaintext: Buffer, label: Buffer): Buffer {
  const sessionKey = randomBytes(SESSION_KEY_BYTES);
  const rsaCiphertext = publicEncrypt(oaep(publicKey, label), sessionKey);
  const cipher = createCipheriv('aes-256-gcm', sessionKey, ZERO_NONCE);
  const aesCiphertext = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  const length = Buffer.alloc(LENGTH_BYTES);
  length.writeUInt16BE(rsaCiphertext.length);
  return Buffer.concat([length, rsaCiphertext, aesCiphertext]);
}

/** The parts of a hybrid ciphertext, or the reason it is none. */
/** The size of an RSA-OAEP ciphertext under the keys a controller makes (4096 bits) or could be given. */
const RSA_CIPHERTEXT_BYTES: readonly number[] = [256, 384, 512];

function partsOf(ciphertext: Buffer): { rsa: Buffer; aes: Buffer } | string {
  if (ciphertext.length < LENGTH_BYTES) return 'it is shorter than its 2-byte header';
  const rsaLength = ciphertext.readUInt16BE(0);
  if (!RSA_CIPHERTEXT_BYTES.includes(rsaLength)) {
    return `its header gives an RSA ciphertext of ${rsaLength} bytes, not the ${RSA_CIPHERTEXT_BYTES.join(', ')} of a 2048-, 3072- or 4096-bit key`;
  }
  if (ciphertext.length < LENGTH_BYTES + rsaLength + TAG_BYTES) {
    return `its header gives an RSA ciphertext of ${rsaLength} bytes, but it holds ${ciphertext.length} bytes in all`;
  }
  return {
    rsa: ciphertext.subarray(LENGTH_BYTES, LENGTH_BYTES + rsaLength),
    aes: ciphertext.subarray(LENGTH_BYTES + rsaLength),
  };
}

/**
 * kubeseal's HybridDecrypt with one key: the plaintext, or an error when the label differs from the
 * one sealed with (another namespace or name), the key is another, or the bytes were changed.
 */
export function hybridDecrypt(privateKey: KeyObject, ciphertext: Buffer, label: Buffer): Buffer {
  const parts = partsOf(ciphertext);
  if (typeof parts === 'string') throw new Error(`not a sealed value: ${parts}`);
  let sessionKey: Buffer;
  try {
    sessionKey = privateDecrypt(oaep(privateKey, label), parts.rsa);
  } catch {
    throw new Error('the key or the label (namespace/name) is not the one the value was sealed with');
  }
  const decipher = createDecipheriv('aes-256-gcm', sessionKey, ZERO_NONCE);
  decipher.setAuthTag(parts.aes.subarray(parts.aes.length - TAG_BYTES));
  try {
    return Buffer.concat([
      decipher.update(parts.aes.subarray(0, parts.aes.length - TAG_BYTES)),
      decipher.final(),
    ]);
  } catch {
    throw new Error('the sealed value was altered: its AES-GCM tag does not match');
  }
}

/** A value sealed with strict scope for `target`, as `encryptedData` holds it (standard base64). */
export const sealValue = (publicKey: KeyObject, value: Buffer, target: SealingTarget): string =>
  hybridEncrypt(publicKey, value, strictScopeLabel(target)).toString('base64');

/** The value of `sealed` (an `encryptedData` entry), sealed with strict scope for `target`. */
export const unsealValue = (privateKey: KeyObject, sealed: string, target: SealingTarget): Buffer =>
  hybridDecrypt(privateKey, Buffer.from(sealed, 'base64'), strictScopeLabel(target));

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Why `sealed` cannot be an `encryptedData` value (not standard base64, or not a hybrid ciphertext),
 * or `undefined` when its form is right. Whether it decrypts only the controller can tell.
 */
export function sealedValueProblem(sealed: string): string | undefined {
  if (sealed === '' || !BASE64.test(sealed)) return 'is not standard base64';
  const parts = partsOf(Buffer.from(sealed, 'base64'));
  return typeof parts === 'string' ? `is not a sealed value: ${parts}` : undefined;
}
