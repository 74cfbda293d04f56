import { checkRequiredApprovals, rejectWeakeningKeys } from '../lib/github';
import { ProjectConfig } from '../lib/pulumi/stack-config';
import { organisation, registry, repository, shaTagLength } from '../charts/config';
import {
  IDENTITY_DEFAULTS,
  Identities,
  PROD_STACK_FILE,
  PULUMI_PROJECT,
  committedStackValues,
  identitiesOf,
  identitySettings,
} from '../charts/identities';
import { EnvironmentDeclaration, IN_CLUSTER } from '../charts/environment-declaration';
import { environments as declaredEnvironments } from '../charts/environments';
import { PersonaDeclaration } from '../charts/persona-declaration';
import { PERSONAS } from '../charts/personas';
import { AdminEnvironment, KUBE_CONTEXT_VARIABLE, adminEnvironment } from './admin-environment';

/** The Pulumi project (`name:` in Pulumi.yaml), the namespace of its configuration keys. */
export const PROJECT = PULUMI_PROJECT;
/** The stack that protects main and administers production. */
export const PROD_STACK = 'prod';
/** The production stack's configuration, committed. */
export const STACK_FILE = PROD_STACK_FILE;
/**
 * The key that selects the cluster-only mode: the cluster objects without any GitHub resource, for a
 * cluster administered apart from this repository's GitHub settings (and for the engine tests).
 */
export const CLUSTER_ONLY_KEY = 'clusterOnly';

/**
 * Who may do what in the cluster: the persona table with the names the configuration gives it, and the
 * registry rules from charts/config.ts. Where (which namespaces, which clusters) comes from
 * charts/environments.ts, in stacks/cluster-access.ts.
 */
export interface ClusterAccessSettings {
  /** The persona table (charts/personas.ts) the identities were read with. */
  readonly personas: readonly PersonaDeclaration[];
  /** Every persona's names: the stack file's, or the table's defaults. */
  readonly identities: Identities;
  /** The only image repository prefix image admission allows, ending with `/`. */
  readonly allowedRepositoryPrefix: string;
  /** Hex digits of the `sha-` tags CI produces, which admission requires. */
  readonly shaTagLength: number;
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
  /** `undefined` in cluster-only mode (`clusterOnly: true`): no GitHub resource is declared. */
  readonly github: GitHubSettings | undefined;
  readonly cluster: ClusterAccessSettings;
  /** The environments whose cluster side the program declares (charts/environments.ts). */
  readonly environments: readonly EnvironmentDeclaration[];
  /** What this admin's shell provides. */
  readonly admin: AdminEnvironment;
}

export { IDENTITY_DEFAULTS };

const GITHUB_KEYS = ['organisation', 'repository', 'requiredChecks', 'requiredApprovals', 'releaseAppId'];
/** The project's keys a stack may set, with the identity keys of `personas`. */
const knownKeys = (personas: readonly PersonaDeclaration[]): string[] => [
  ...GITHUB_KEYS,
  CLUSTER_ONLY_KEY,
  ...identitySettings(personas).map((setting) => setting.key),
];
const KNOWN_KEYS = knownKeys(PERSONAS);

/**
 * Every key the committed stack file may hold: the project's keys, the GitHub provider's organisation
 * and the engine's list of disabled default providers. `pulumi config set` writes into that file, so
 * these are the only keys an admin may set with it. Not `clusterOnly`: that belongs to other stacks.
 */
export const STACK_FILE_KEYS: readonly string[] = [
  ...KNOWN_KEYS.filter((key) => key !== CLUSTER_ONLY_KEY).map((key) => `${PROJECT}:${key}`),
  'github:owner',
  'pulumi:disable-default-providers',
];

/**
 * Configuration that belongs to one admin's machine, never to the shared stack file, and what to use
 * instead. The kubernetes Provider is declared explicitly (its default provider is disabled), so a
 * `kubernetes:` key would also be silently ignored.
 */
const PER_ADMIN_CONFIG: readonly { readonly matches: (key: string) => boolean; readonly instead: string }[] =
  [
    {
      matches: (key) => key.startsWith('kubernetes:'),
      instead: `export ${KUBE_CONTEXT_VARIABLE}=<your kubeconfig context> (and KUBECONFIG if the context is not in ~/.kube/config)`,
    },
    { matches: (key) => key === 'github:token', instead: 'export GITHUB_TOKEN=<token>' },
  ];

/** Throws for a key that is one admin's (a kubeconfig context, a token): the stack file is everyone's. */
export function rejectPerAdminKeys(keys: readonly string[]): void {
  for (const key of keys) {
    const rule = PER_ADMIN_CONFIG.find((entry) => entry.matches(key));
    if (rule) {
      throw new Error(
        `${key} is set in ${STACK_FILE}, but it is per admin and must not be committed: remove it (pulumi config rm ${key} --stack prod) and ${rule.instead}`,
      );
    }
  }
}

/** The release app's id: committed, because it is the one bypass actor of main's review ruleset. */
function releaseAppId(config: ProjectConfig): number {
  const key = `${PROJECT}:releaseAppId`;
  const fix =
    `set it in a pull request: pulumi config set releaseAppId <numeric App ID> --stack prod ` +
    `writes it into ${STACK_FILE}; commit that file, and it applies once the change is reviewed and merged`;
  if (!config.keys().includes('releaseAppId')) {
    throw new Error(
      `${key} is not set in ${STACK_FILE}: it is the numeric App ID of the release GitHub App, the only bypass actor of main's review ruleset; fix: ${fix}`,
    );
  }
  const id = config.integer('releaseAppId');
  if (id <= 0) throw new Error(`${key} is ${id} in ${STACK_FILE}, not a GitHub App ID; fix: ${fix}`);
  return id;
}

/**
 * The cluster part of the configuration; GitHub keys are not read (the export needs no GitHub App).
 * Per-admin and unknown keys throw, so `npm run rbac:export` (and CI) refuses them in the stack file too.
 */
export function clusterSettings(
  all: Readonly<Record<string, string>>,
  personas: readonly PersonaDeclaration[] = PERSONAS,
): ClusterAccessSettings {
  rejectPerAdminKeys(Object.keys(all));
  const config = new ProjectConfig(all, PROJECT);
  config.rejectUnknownKeys(knownKeys(personas));
  return {
    personas,
    identities: identitiesOf(all, personas),
    allowedRepositoryPrefix: `${registry}/`,
    shaTagLength,
  };
}

/**
 * Everything the program needs, validated before any resource is declared: keys that would weaken the
 * protection of main, per-admin keys in the stack file, unknown keys, fewer than one approval, a missing
 * release app, `github:owner` pointing elsewhere than the organisation, and a missing per-admin
 * environment variable (`env`, the admin's shell) all throw. With `clusterOnly: true` (never on the
 * `prod` stack, see `clusterOnlyMode`) no GitHub setting is read, and any that is set throws.
 */
export function stackSettings(
  all: Readonly<Record<string, string>>,
  env: Readonly<Record<string, string | undefined>>,
  stack: string = PROD_STACK,
  environments: readonly EnvironmentDeclaration[] = declaredEnvironments,
): StackSettings {
  const config = new ProjectConfig(all, PROJECT);
  rejectWeakeningKeys(config.keys(), PROJECT);
  const cluster = clusterSettings(all);
  const clusterOnly = clusterOnlyMode(all, stack);
  const clusters = [...new Set(environments.map((environment) => (environment.cluster ?? IN_CLUSTER).name))];
  return {
    github: clusterOnly ? undefined : githubSettings(all, config),
    cluster,
    environments,
    admin: adminEnvironment(env, { github: !clusterOnly, clusters }),
  };
}

/**
 * Whether the stack runs in cluster-only mode. Refused on the `prod` stack: it holds main's rulesets,
 * and a `pulumi up` that no longer declares them would delete them. Refused too while GitHub settings
 * are set, which that mode would silently ignore.
 */
export function clusterOnlyMode(all: Readonly<Record<string, string>>, stack: string): boolean {
  const key = `${PROJECT}:${CLUSTER_ONLY_KEY}`;
  if (!new ProjectConfig(all, PROJECT).boolean(CLUSTER_ONLY_KEY, false)) return false;
  if (stack === PROD_STACK) {
    throw new Error(
      `${key} is true on stack "${PROD_STACK}", which protects main: without its GitHub resources \`pulumi up\` would delete main's rulesets. Use cluster-only mode on a stack of its own (pulumi stack init <name>), and remove it here: pulumi config rm ${CLUSTER_ONLY_KEY} --stack ${PROD_STACK}`,
    );
  }
  const github = Object.keys(all).filter(
    (name) => name.startsWith('github:') || GITHUB_KEYS.some((known) => name === `${PROJECT}:${known}`),
  );
  if (github.length > 0) {
    throw new Error(
      `${key} is true, so no GitHub resource is declared, but ${github.join(', ')} ${github.length === 1 ? 'is' : 'are'} set and would be ignored: remove ${github.length === 1 ? 'it' : 'them'} (pulumi config rm <key>) or set ${CLUSTER_ONLY_KEY} to false`,
    );
  }
  return true;
}

/** The GitHub part of the configuration (full mode only). */
function githubSettings(all: Readonly<Record<string, string>>, config: ProjectConfig): GitHubSettings {
  const owner = config.string('organisation', organisation);
  if (all['github:owner'] !== owner) {
    throw new Error(
      `github:owner is ${JSON.stringify(all['github:owner'] ?? null)} but ${PROJECT}:organisation is "${owner}"; the GitHub provider must act on the organisation: pulumi config set github:owner ${owner}`,
    );
  }
  return {
    owner,
    repository: config.string('repository', repository.name),
    branch: repository.productionBranch,
    requiredChecks: config.stringList('requiredChecks'),
    requiredApprovals: checkRequiredApprovals(
      config.integer('requiredApprovals', 1),
      `${PROJECT}:requiredApprovals`,
    ),
    releaseAppId: releaseAppId(config),
  };
}

/**
 * The configuration in the committed stack file, as the engine would pass it: read once, by
 * charts/identities.ts, from this repository whatever the working directory.
 */
export function stackFileValues(): Record<string, string> {
  return committedStackValues();
}

/** The cluster settings of the committed stack file: what `npm run rbac:export` writes to infra/cluster/. */
export function committedClusterSettings(): ClusterAccessSettings {
  return clusterSettings(stackFileValues());
}
