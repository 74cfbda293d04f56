import { KeyObject, X509Certificate, createHash } from 'node:crypto';
import { SEALING_CERTIFICATE_RULE, SealError } from './seal-error';

/** Below this, an RSA key is too weak to seal with (the controller makes 4096-bit keys). */
export const MIN_RSA_BITS = 2048;

/** The public half of a controller's key pair, as `npm run seal` uses it. */
export interface SealingCertificate {
  /** The RSA public key values are sealed with. */
  readonly publicKey: KeyObject;
  /** When the certificate expires: kubeseal refuses to seal with it after that. */
  readonly notAfter: Date;
  /** `sha256:<hex>` of the public key (its SubjectPublicKeyInfo): the same key gives the same fingerprint. */
  readonly fingerprint: string;
}

export interface SealingCertificateOptions {
  /** The file the PEM text comes from, as messages name it. */
  readonly file: string;
  /** How to get a good certificate for this cluster, e.g. the kubeseal command that fetches it. */
  readonly fix: string;
  /**
   * The time the certificate must be valid at.
   * @default - now
   */
  readonly now?: Date;
}

/**
 * Reads a controller's certificate (`kubeseal --fetch-cert`'s PEM) and checks it as kubeseal does before
 * sealing (ParseKey in `pkg/kubeseal`): the first certificate of the file, an RSA key, not expired; and
 * beyond kubeseal, a key of at least 2048 bits and no private key in the file. Throws a `SealError`
 * (SEAL001) naming the file and `options.fix`.
 */
export function parseSealingCertificate(
  pem: string | Buffer,
  options: SealingCertificateOptions,
): SealingCertificate {
  const refuse = (problem: string): never => {
    throw new SealError({ rule: SEALING_CERTIFICATE_RULE, file: options.file, problem, fix: options.fix });
  };
  const text = pem.toString();
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) {
    refuse(
      'holds a private key. The controller keeps its private keys; this folder holds public certificates only, ' +
        'and a private key must never be committed (remove it from Git history if it was)',
    );
  }
  const block = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/.exec(text);
  if (!block) refuse('is not a PEM certificate (no "-----BEGIN CERTIFICATE-----" block)');
  let certificate: X509Certificate | undefined;
  try {
    certificate = new X509Certificate((block as RegExpExecArray)[0]);
  } catch (error) {
    refuse(`is not a readable X.509 certificate (${(error as Error).message})`);
  }
  const { publicKey, validTo } = certificate as X509Certificate;
  if (publicKey.asymmetricKeyType !== 'rsa') {
    refuse(
      `holds a key of type ${publicKey.asymmetricKeyType ?? 'unknown'}, not RSA: Sealed Secrets seal with RSA-OAEP, so this is no controller's certificate`,
    );
  }
  const bits = publicKey.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_RSA_BITS) refuse(`holds an RSA key of ${bits} bits, fewer than ${MIN_RSA_BITS}`);
  const notAfter = new Date(validTo);
  const now = options.now ?? new Date();
  if (Number.isNaN(notAfter.getTime()) || now.getTime() > notAfter.getTime()) {
    refuse(
      `expired on ${Number.isNaN(notAfter.getTime()) ? validTo : notAfter.toISOString().slice(0, 10)}: the controller renews its certificate; fetch the current one`,
    );
  }
  return { publicKey, notAfter, fingerprint: fingerprintOf(publicKey) };
}

/** `sha256:<hex>` of a public key's SubjectPublicKeyInfo. */
const fingerprintOf = (publicKey: KeyObject): string =>
  `sha256:${createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex')}`;

/**
 * The fingerprint (as `SealingCertificate.fingerprint`) of the first certificate of a PEM text, whatever
 * its key or dates, or `undefined` when there is none: to tell whether two files hold one key.
 */
export function certificateFingerprintOf(pem: string | Buffer): string | undefined {
  const block = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/.exec(pem.toString());
  if (!block) return undefined;
  try {
    return fingerprintOf(new X509Certificate(block[0]).publicKey);
  } catch {
    return undefined;
  }
}
