import { KeyObject, generateKeyPairSync, randomBytes, sign } from 'node:crypto';

/**
 * A self-signed X.509 certificate made at test time, standing in for a Sealed Secrets controller's
 * (`kubeseal --fetch-cert`): node:crypto reads certificates but does not write them, so this writes the
 * DER itself. Never committed: each run makes its own key pair.
 */
export interface TestCertificate {
  /** The certificate, PEM: what charts/sealing-certificates/<cluster>.pem holds. */
  readonly certificatePem: string;
  /** The private key, PEM (PKCS#1 for RSA, which `kubeseal --recovery-private-key` reads). */
  readonly privateKeyPem: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

export interface TestCertificateOptions {
  /** @default 'rsa' */
  readonly keyType?: 'rsa' | 'ec';
  /** RSA modulus length. @default 2048 */
  readonly bits?: number;
  /** @default - an hour ago */
  readonly notBefore?: Date;
  /** @default - in ten years */
  readonly notAfter?: Date;
  /** @default 'sealed-secret' (the controller's) */
  readonly commonName?: string;
}

/** A DER element: tag, length, content. */
function der(tag: number, content: Buffer): Buffer {
  const length = content.length;
  if (length < 0x80) return Buffer.concat([Buffer.from([tag, length]), content]);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Buffer.concat([Buffer.from([tag, 0x80 | bytes.length, ...bytes]), content]);
}

const sequence = (...items: Buffer[]): Buffer => der(0x30, Buffer.concat(items));
const set = (...items: Buffer[]): Buffer => der(0x31, Buffer.concat(items));

function oid(dotted: string): Buffer {
  const [first, second, ...rest] = dotted.split('.').map(Number);
  const bytes = [40 * first + second];
  for (const arc of rest) {
    const chunk = [arc & 0x7f];
    for (let value = Math.floor(arc / 128); value > 0; value = Math.floor(value / 128))
      chunk.unshift(0x80 | (value & 0x7f));
    bytes.push(...chunk);
  }
  return der(0x06, Buffer.from(bytes));
}

/** UTCTime before 2050, GeneralizedTime from then on, as RFC 5280 asks. */
function time(date: Date): Buffer {
  const iso = date.toISOString().replace(/[-:T]/g, '').slice(0, 14); // YYYYMMDDHHMMSS
  return date.getUTCFullYear() < 2050
    ? der(0x17, Buffer.from(`${iso.slice(2)}Z`))
    : der(0x18, Buffer.from(`${iso}Z`));
}

const pem = (label: string, body: Buffer): string =>
  `-----BEGIN ${label}-----\n${body
    .toString('base64')
    .match(/.{1,64}/g)
    ?.join('\n')}\n-----END ${label}-----\n`;

/** Makes a key pair and a self-signed certificate of it. */
export function makeTestCertificate(options: TestCertificateOptions = {}): TestCertificate {
  const keyType = options.keyType ?? 'rsa';
  const { publicKey, privateKey } =
    keyType === 'rsa'
      ? generateKeyPairSync('rsa', { modulusLength: options.bits ?? 2048 })
      : generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const algorithm =
    keyType === 'rsa'
      ? sequence(oid('1.2.840.113549.1.1.11'), der(0x05, Buffer.alloc(0))) // sha256WithRSAEncryption
      : sequence(oid('1.2.840.10045.4.3.2')); // ecdsa-with-SHA256
  const name = sequence(
    set(sequence(oid('2.5.4.3'), der(0x0c, Buffer.from(options.commonName ?? 'sealed-secret')))),
  );
  const serial = randomBytes(8);
  serial[0] = (serial[0] & 0x7f) | 0x01; // positive, and minimal (no leading zero byte)
  const tbs = sequence(
    der(0xa0, der(0x02, Buffer.from([2]))), // v3
    der(0x02, serial),
    algorithm,
    name,
    sequence(
      time(options.notBefore ?? new Date(Date.now() - 3600_000)),
      time(options.notAfter ?? new Date(Date.now() + 10 * 365 * 24 * 3600_000)),
    ),
    name,
    publicKey.export({ type: 'spki', format: 'der' }),
  );
  const signature = sign('sha256', tbs, privateKey);
  const certificate = sequence(tbs, algorithm, der(0x03, Buffer.concat([Buffer.from([0]), signature])));
  return {
    certificatePem: pem('CERTIFICATE', certificate),
    privateKeyPem: privateKey
      .export({ type: keyType === 'rsa' ? 'pkcs1' : 'sec1', format: 'pem' })
      .toString(),
    privateKey,
    publicKey,
  };
}
