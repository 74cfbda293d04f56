import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Who the API server sees: a user name and its groups, as an authenticator reports them. */
export interface Identity {
  readonly user: string;
  readonly groups: readonly string[];
}

/** PEM text of a client certificate and its key. */
export interface ClientCertificate {
  readonly cert: string;
  readonly key: string;
}

/** Groups the API server adds to every authenticated user by itself. */
const IMPLICIT_GROUPS = new Set(['system:authenticated']);

/** A value of an openssl `-subj` attribute: `/`, `+`, `=` and `\` need a backslash. */
const subjectValue = (value: string): string => value.replace(/[\\/+=]/g, (c) => `\\${c}`);

/**
 * A client certificate for `identity`, signed by the test CA: the API server's x509 authenticator takes
 * the user from CN and the groups from O. Service-account identities are not for certificates: their
 * requests carry tokens (or are impersonated).
 */
export function mintClientCertificate(
  caCert: string,
  caKey: string,
  dir: string,
  identity: Identity,
): ClientCertificate {
  if (identity.user.startsWith('system:serviceaccount:')) {
    throw new Error(`${identity.user} is a service account: impersonate it instead of minting a certificate`);
  }
  const work = mkdtempSync(join(dir, 'cert-'));
  const subject = [
    ...identity.groups.filter((g) => !IMPLICIT_GROUPS.has(g)).map((g) => `/O=${subjectValue(g)}`),
    `/CN=${subjectValue(identity.user)}`,
  ].join('');
  const file = (name: string): string => join(work, name);
  const openssl = (args: string[]): void => {
    execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  };
  openssl(
    ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'].concat([
      '-subj',
      subject,
      '-keyout',
      file('client.key'),
      '-out',
      file('client.csr'),
    ]),
  );
  openssl(
    ['x509', '-req', '-in', file('client.csr'), '-CA', caCert, '-CAkey', caKey, '-CAcreateserial'].concat([
      '-CAserial',
      file('ca.srl'),
      '-days',
      '1',
      '-out',
      file('client.crt'),
    ]),
  );
  return { cert: readFileSync(file('client.crt'), 'utf8'), key: readFileSync(file('client.key'), 'utf8') };
}
