import { argocdSecrets } from '../../charts/argocd-secrets';
import { ServiceDeclaration } from '../../charts/service-declaration';
import { services } from '../../charts/services';
import { SealedValueSource, SealedValues, sealValue } from '../../lib';
import { TestCertificate, makeTestCertificate } from './sealing-certificate';

/**
 * The catalog with one secret more, as a team would declare it: the backend's database password as an
 * environment variable and its CA certificate as a file. The committed catalog has no secret, since no
 * cluster certificate is committed to seal one with; tests prove the path on this copy.
 */
export const [committedBackend] = services as readonly ServiceDeclaration[];
export const backendWithDatabase: ServiceDeclaration = {
  ...committedBackend,
  secrets: [
    {
      name: 'database',
      keys: [
        { key: 'password', env: 'DATABASE_PASSWORD' },
        { key: 'ca.crt', file: '/etc/backend/database/ca.crt' },
      ],
    },
  ],
};

export const imagePinsOf = (catalog: readonly ServiceDeclaration[]): Record<string, string> =>
  Object.fromEntries(catalog.map((service) => [service.name, 'sha-0a1b2c3']));

/** Sealed values kept in memory, by `<environment>/<secret name>`, read as synth reads the files. */
export function sealedValuesInMemory(files: Readonly<Record<string, SealedValues>>): SealedValueSource {
  const fileOf = (environment: string, secretName: string): string =>
    `charts/sealed-secrets/${environment}/${secretName}.json`;
  return { fileOf, valuesOf: (environment, secretName) => files[`${environment}/${secretName}`] };
}

/** A controller's key pair for this run, and values sealed with it. */
export class TestController {
  public readonly certificate: TestCertificate = makeTestCertificate();

  /** `values` (key → plaintext) sealed for `namespace`/`name`, as `npm run seal` writes them. */
  seal(namespace: string, name: string, values: Readonly<Record<string, string>>): SealedValues {
    return {
      namespace,
      name,
      encryptedData: Object.fromEntries(
        Object.entries(values).map(([key, value]) => [
          key,
          sealValue(this.certificate.publicKey, Buffer.from(value), { namespace, name }),
        ]),
      ),
    };
  }
}

/**
 * A sealed value of every key of what the platform declares once a cluster's certificate is committed:
 * ArgoCD's own Secrets (charts/argocd-secrets.ts, by `argocd/<name>`) and the backend's Ingress
 * certificate in prod (`prod/api-robson-tls`).
 */
export function sealedPlatformSecrets(controller: TestController): Record<string, SealedValues> {
  return {
    ...Object.fromEntries(
      argocdSecrets.map((secret) => [
        `argocd/${secret.name}`,
        controller.seal(
          'argocd',
          secret.name,
          Object.fromEntries(secret.keys.map((key) => [key, `test value of ${secret.name} ${key}`])),
        ),
      ]),
    ),
    'prod/api-robson-tls': controller.seal('production', 'api-robson-tls', {
      'tls.crt': '-----BEGIN CERTIFICATE-----\n(test)\n',
      'tls.key': '-----BEGIN PRIVATE KEY-----\n(test)\n',
    }),
  };
}
