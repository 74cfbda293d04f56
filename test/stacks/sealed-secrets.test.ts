import { readFileSync } from 'node:fs';
import {
  SEALED_SECRETS_CRD_FILE,
  SEALED_SECRETS_GO_MOD,
  pinnedSealedSecretsRelease,
  sealedSecretCrd,
  sealedSecretsImage,
  sealedSecretsVersion,
} from '../../stacks/sealed-secrets';

describe('the pinned Sealed Secrets release (tools/sealed-secrets/)', () => {
  test("installs the module's version: the image tag is the version kubeseal and the test stack's controller are built from", () => {
    // given
    const goMod = readFileSync(SEALED_SECRETS_GO_MOD, 'utf8');
    // when
    const release = pinnedSealedSecretsRelease();
    // then
    expect(release.version).toBe(sealedSecretsVersion(goMod));
    expect(release.version).toMatch(/^v\d+\.\d+\.\d+$/);
    expect(release.image).toBe(`docker.io/bitnami/sealed-secrets-controller:${release.version.slice(1)}`);
  });

  test("installs the release's CRD as written: SealedSecret, bitnami.com/v1alpha1, namespaced, with the status subresource", () => {
    // given / when
    const crd = pinnedSealedSecretsRelease().customResourceDefinition;
    // then
    expect(crd).toEqual(sealedSecretCrd(readFileSync(SEALED_SECRETS_CRD_FILE, 'utf8')));
    expect(crd.spec).toMatchObject({
      group: 'bitnami.com',
      scope: 'Namespaced',
      names: { kind: 'SealedSecret', plural: 'sealedsecrets' },
    });
    expect((crd.spec as { versions: unknown[] }).versions).toEqual([
      expect.objectContaining({
        name: 'v1alpha1',
        served: true,
        storage: true,
        subresources: { status: {} },
      }),
    ]);
  });

  test('reads the version from either module path, and names the script to run when go.mod has none', () => {
    // given / when / then
    expect(
      sealedSecretsVersion('require (\n\tgithub.com/bitnami/sealed-secrets v0.40.0 // indirect\n)'),
    ).toBe('v0.40.0');
    expect(sealedSecretsVersion('require github.com/bitnami-labs/sealed-secrets v0.34.0\n')).toBe('v0.34.0');
    expect(() => sealedSecretsVersion('module x\n', 'go.mod')).toThrow(
      'go.mod requires no release of github.com/bitnami/sealed-secrets: regenerate it with tools/sealed-secrets/update.sh <version>',
    );
    expect(sealedSecretsImage('v1.2.3')).toBe('docker.io/bitnami/sealed-secrets-controller:1.2.3');
  });

  test('refuses a CRD file that holds anything but the one SealedSecret CRD', () => {
    // given
    const other =
      'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: x.example.com}\n';
    // when / then
    for (const text of [other, `${other}---\n${other}`, ''])
      expect(() => sealedSecretCrd(text, 'crd.yaml')).toThrow(
        'crd.yaml must hold exactly the CustomResourceDefinition sealedsecrets.bitnami.com',
      );
  });
});
