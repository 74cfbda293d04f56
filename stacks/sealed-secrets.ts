import { SEALED_SECRETS_IMAGE_REPOSITORY } from '../lib/access';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { KubeObject } from '../lib/manifest/kube-object';

/** The pinned Sealed Secrets release: its module (tools/sealed-secrets/go.mod) and its CRD, copied beside. */
export const SEALED_SECRETS_TOOL_DIR = 'tools/sealed-secrets';
export const SEALED_SECRETS_GO_MOD = `${SEALED_SECRETS_TOOL_DIR}/go.mod`;
/** The release's SealedSecret CRD, written by tools/sealed-secrets/update.sh. */
export const SEALED_SECRETS_CRD_FILE = `${SEALED_SECRETS_TOOL_DIR}/crd.yaml`;

/** What the cluster side installs of the pinned release. */
export interface SealedSecretsRelease {
  /** The module version, e.g. `v0.40.0`: the same as `kubeseal` and the test stack's controller. */
  readonly version: string;
  /** The controller's image of that release. */
  readonly image: string;
  /** The release's SealedSecret CustomResourceDefinition. */
  readonly customResourceDefinition: KubeObject;
}

const MODULE = /^\s*(?:require\s+)?github\.com\/bitnami(?:-labs)?\/sealed-secrets\s+(v\d+\.\d+\.\d+)\b/m;

/** The version of Sealed Secrets a go.mod requires; throws, naming the file, when it requires none. */
export function sealedSecretsVersion(goMod: string, source = SEALED_SECRETS_GO_MOD): string {
  const match = MODULE.exec(goMod);
  if (!match) {
    throw new Error(
      `${source} requires no release of github.com/bitnami/sealed-secrets: regenerate it with tools/sealed-secrets/update.sh <version>`,
    );
  }
  return match[1];
}

/** The controller's image of release `version` (`v0.40.0` → `…/sealed-secrets-controller:0.40.0`). */
export function sealedSecretsImage(version: string): string {
  return `${SEALED_SECRETS_IMAGE_REPOSITORY}:${version.replace(/^v/, '')}`;
}

/** The one CRD of `text`; throws, naming `source`, unless it is the SealedSecret CRD. */
export function sealedSecretCrd(text: string, source = SEALED_SECRETS_CRD_FILE): KubeObject {
  const documents = parseAllDocuments(text)
    .map((document) => document.toJS() as KubeObject | null)
    .filter((object): object is KubeObject => object !== null);
  const [crd] = documents;
  if (
    documents.length !== 1 ||
    crd.kind !== 'CustomResourceDefinition' ||
    crd.metadata?.name !== 'sealedsecrets.bitnami.com'
  ) {
    throw new Error(
      `${source} must hold exactly the CustomResourceDefinition sealedsecrets.bitnami.com: regenerate it with tools/sealed-secrets/update.sh <version>`,
    );
  }
  return crd;
}

/** This repository, whatever the working directory (a bundle of bin/ sits one folder below it too). */
const REPOSITORY_ROOT = join(__dirname, '..');

let pinned: SealedSecretsRelease | undefined;

/** The release pinned in tools/sealed-secrets/ of this repository, read once. */
export function pinnedSealedSecretsRelease(): SealedSecretsRelease {
  if (pinned === undefined) {
    const version = sealedSecretsVersion(readFileSync(join(REPOSITORY_ROOT, SEALED_SECRETS_GO_MOD), 'utf8'));
    pinned = {
      version,
      image: sealedSecretsImage(version),
      customResourceDefinition: sealedSecretCrd(
        readFileSync(join(REPOSITORY_ROOT, SEALED_SECRETS_CRD_FILE), 'utf8'),
      ),
    };
  }
  return pinned;
}
