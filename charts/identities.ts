import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ProjectConfig, stackFileConfig } from '../lib/pulumi/stack-config';
import { organisation } from './config';

/** The Pulumi project (`name:` in Pulumi.yaml), the namespace of its configuration keys. */
export const PULUMI_PROJECT = 'production-infra';
/** The production stack's configuration, committed: where admins change who is who. */
export const PROD_STACK_FILE = 'Pulumi.prod.yaml';

/**
 * Who is who, in every system that grants access: ArgoCD's RBAC, the cluster RBAC and the access matrix
 * all take these names from here, so they cannot drift apart.
 */
export interface Identities {
  /** GitHub team of the developers (`<org>:<team>`, as Dex and the API server's OIDC report it): read-only. */
  readonly developersGroup: string;
  /** GitHub team of on-call: may sync and roll back in ArgoCD, may request break-glass in the cluster. */
  readonly oncallGroup: string;
  /** Group a break-glass session impersonates. */
  readonly breakGlassGroup: string;
  /** User a break-glass session impersonates. */
  readonly breakGlassUser: string;
  /** ArgoCD's application controller, `<namespace>/<name>`: the only writer of production. */
  readonly argocdServiceAccount: string;
}

/** The names used when the stack file sets none; Pulumi.prod.yaml writes them out as the example. */
export const IDENTITY_DEFAULTS: Identities = {
  developersGroup: `${organisation}:developers`,
  oncallGroup: `${organisation}:oncall`,
  breakGlassGroup: `${organisation}:break-glass`,
  breakGlassUser: `${organisation}:break-glass-user`,
  argocdServiceAccount: 'argocd/argocd-application-controller',
};

/** The identities of stack configuration `values` (`<project>:<key>` → value). */
export function identitiesOf(values: Readonly<Record<string, string>>): Identities {
  const config = new ProjectConfig(values, PULUMI_PROJECT);
  const pick = (key: keyof Identities): string => config.string(key, IDENTITY_DEFAULTS[key]);
  return {
    developersGroup: pick('developersGroup'),
    oncallGroup: pick('oncallGroup'),
    breakGlassGroup: pick('breakGlassGroup'),
    breakGlassUser: pick('breakGlassUser'),
    argocdServiceAccount: pick('argocdServiceAccount'),
  };
}

/** The identities of the committed production stack file of the repository at `root`. */
export function committedIdentities(root: string = join(__dirname, '..')): Identities {
  return identitiesOf(stackFileConfig(readFileSync(join(root, PROD_STACK_FILE), 'utf8'), PROD_STACK_FILE));
}
