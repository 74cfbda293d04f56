import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A throw-away CA and a server certificate it signed for some hosts, as PEM files in one folder. */
export interface HostCertificate {
  /** The CA certificate: what a client trusts. */
  readonly caFile: string;
  /** The server certificate for the hosts (subjectAltName `DNS:<host>` for each, the first one first). */
  readonly certFile: string;
  /** The server's private key (mode 0600). The CA's key is deleted once it has signed. */
  readonly keyFile: string;
}

// Two days: enough for any run, and a leaked key is worthless soon after.
const VALID_DAYS = '2';
const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

function openssl(cwd: string, args: readonly string[]): void {
  try {
    execFileSync('openssl', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const failure = error as { code?: string; stderr?: Buffer };
    if (failure.code === 'ENOENT') {
      throw new Error('openssl is not on PATH: install it (Debian package `openssl`)', { cause: error });
    }
    throw new Error(`openssl ${args[0]} failed: ${failure.stderr?.toString().trim() ?? String(error)}`, {
      cause: error,
    });
  }
}

/**
 * Creates, in `dir` (mode 0700), a new CA and one certificate for `host` (and `otherHosts`) signed by it,
 * replacing any earlier pair: every start has fresh keys, so nothing outlives the run that made it. Go's
 * verifier (go-git in ArgoCD) reads only subjectAltName and wants `CA:TRUE` + `keyCertSign` on the CA, so
 * both are explicit. The files are named after `host`.
 */
export function createHostCertificate(
  dir: string,
  host: string,
  ...otherHosts: readonly string[]
): HostCertificate {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const caFile = join(dir, 'ca.pem');
  const caKey = join(dir, 'ca.key');
  const certFile = join(dir, `${host}.pem`);
  const keyFile = join(dir, `${host}.key`);
  const csr = join(dir, `${host}.csr`);
  const extensions = join(dir, `${host}.ext`);
  openssl(dir, [
    'req',
    '-x509',
    ...EC_KEY,
    '-keyout',
    caKey,
    '-out',
    caFile,
    '-days',
    VALID_DAYS,
    '-subj',
    `/CN=prod-gitops throw-away CA for ${host}${otherHosts.length > 0 ? ' and others' : ''}`,
    '-addext',
    'basicConstraints=critical,CA:TRUE,pathlen:0',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  openssl(dir, ['req', '-new', ...EC_KEY, '-keyout', keyFile, '-out', csr, '-subj', `/CN=${host}`]);
  writeFileSync(
    extensions,
    [
      `subjectAltName=${[host, ...otherHosts].map((name) => `DNS:${name}`).join(',')}`,
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature',
      'extendedKeyUsage=serverAuth',
      '',
    ].join('\n'),
  );
  openssl(dir, [
    'x509',
    '-req',
    '-in',
    csr,
    '-CA',
    caFile,
    '-CAkey',
    caKey,
    '-set_serial',
    `0x${randomBytes(16).toString('hex')}`,
    '-days',
    VALID_DAYS,
    '-extfile',
    extensions,
    '-out',
    certFile,
  ]);
  // The CA signs once: without its key nobody, not even a later leak, can mint another certificate.
  for (const file of [csr, extensions, caKey]) rmSync(file);
  chmodSync(keyFile, 0o600);
  return { caFile, certFile, keyFile };
}
