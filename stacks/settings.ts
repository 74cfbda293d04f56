import { readFileSync } from 'node:fs';
import { ServiceAccountRef, parseServiceAccountRef } from '../lib/access';
import { checkRequiredApprovals, rejectWeakeningKeys } from '../lib/github';
import { ProjectConfig, stackFileConfig } from '../lib/pulumi/stack-config';
import { organisation, production, registry, repository } from '../charts/config';

/** The Pulumi project (`name:` in Pulumi.yaml), the namespace of its configuration keys. */
export const PROJECT = 'production-infra';
/** The production stack's configuration, committed. */
export const STACK_FILE = 'Pulumi.prod.yaml';

/** Who may do what in the cluster: identity names from configuration, places from charts/config.ts. */
export interface ClusterAccessSettings {
  readonly namespace: string;
  readonly allowedRepositoryPrefix: string;
  readonly developersGroup: string;
  readonly oncallGroup: string;
  readonly breakGlassGroup: string;
  readonly breakGlassUser: string;
  readonly ciServiceAccount: ServiceAccountRef;
  readonly argocdServiceAccount: ServiceAccountRef;
}

export interface GitHubSettings {
  readonly owner: string;
  readonly repository: string;
  readonly branch: string;
  readonly requiredChecks: readonly string[];
  readonly requiredApprovals: number;
  readonly releaseAppId: number;
}

export interface StackSettings {
  readonly github: GitHubSettings;
  readonly cluster: ClusterAccessSettings;
}

/** Defaults of the identity keys; Pulumi.prod.yaml writes them out as the example. */
export const IDENTITY_DEFAULTS = {
  developersGroup: `${organisation}:developers`,
  oncallGroup: `${organisation}:oncall`,
  breakGlassGroup: `${organisation}:break-glass`,
  breakGlassUser: `${organisation}:break-glass-user`,
  ciServiceAccount: 'ci/ci-image-updater',
  argocdServiceAccount: 'argocd/argocd-application-controller',
} as const;

const GITHUB_KEYS = ['organisation', 'repository', 'requiredChecks', 'requiredApprovals', 'releaseAppId'];
const KNOWN_KEYS = [...GITHUB_KEYS, ...Object.keys(IDENTITY_DEFAULTS)];

/** The cluster part of the configuration; GitHub keys are not read (the export needs no GitHub App). */
export function clusterSettings(all: Readonly<Record<string, string>>): ClusterAccessSettings {
  const config = new ProjectConfig(all, PROJECT);
  config.rejectUnknownKeys(KNOWN_KEYS);
  const account = (key: 'ciServiceAccount' | 'argocdServiceAccount'): ServiceAccountRef =>
    parseServiceAccountRef(config.string(key, IDENTITY_DEFAULTS[key]), `${PROJECT}:${key}`);
  return {
    namespace: production.namespace,
    allowedRepositoryPrefix: `${registry}/`,
    developersGroup: config.string('developersGroup', IDENTITY_DEFAULTS.developersGroup),
    oncallGroup: config.string('oncallGroup', IDENTITY_DEFAULTS.oncallGroup),
    breakGlassGroup: config.string('breakGlassGroup', IDENTITY_DEFAULTS.breakGlassGroup),
    breakGlassUser: config.string('breakGlassUser', IDENTITY_DEFAULTS.breakGlassUser),
    ciServiceAccount: account('ciServiceAccount'),
    argocdServiceAccount: account('argocdServiceAccount'),
  };
}

/**
 * Everything the program needs, validated before any resource is declared: unknown keys, keys that would
 * weaken the protection of main, fewer than one approval, a missing release app or `github:owner`
 * pointing elsewhere than the organisation all throw.
 */
export function stackSettings(all: Readonly<Record<string, string>>): StackSettings {
  const config = new ProjectConfig(all, PROJECT);
  rejectWeakeningKeys(config.keys(), PROJECT);
  const cluster = clusterSettings(all);
  const owner = config.string('organisation', organisation);
  if (all['github:owner'] !== owner) {
    throw new Error(
      `github:owner is ${JSON.stringify(all['github:owner'] ?? null)} but ${PROJECT}:organisation is "${owner}"; the GitHub provider must act on the organisation: pulumi config set github:owner ${owner}`,
    );
  }
  return {
    github: {
      owner,
      repository: config.string('repository', repository.name),
      branch: repository.productionBranch,
      requiredChecks: config.stringList('requiredChecks'),
      requiredApprovals: checkRequiredApprovals(
        config.integer('requiredApprovals', 1),
        `${PROJECT}:requiredApprovals`,
      ),
      releaseAppId: config.integer('releaseAppId'),
    },
    cluster,
  };
}

/** The configuration in the committed stack file, as the engine would pass it. */
export function stackFileValues(path: string = STACK_FILE): Record<string, string> {
  return stackFileConfig(readFileSync(path, 'utf8'), path);
}
