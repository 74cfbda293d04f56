/**
 * What each admin's own shell provides to `pulumi preview` / `pulumi up`: credentials and the local name
 * of the production cluster. None of it is committed: the stack file is shared, these are not.
 */
import { IN_CLUSTER } from '../charts/environment-declaration';

/** An environment variable of the admin's shell that the program or one of its providers reads. */
export interface AdminVariable {
  /** Who reads it. */
  readonly readBy: string;
  /** What it holds. */
  readonly holds: string;
  /** The program refuses to run while it is unset (in cluster-only mode, unless it is for GitHub). */
  readonly required: boolean;
  /** Read for the GitHub resources only: not needed in cluster-only mode. */
  readonly githubOnly: boolean;
}

/** The kubeconfig context of the production cluster, chosen per admin; the kubernetes Provider uses it. */
export const KUBE_CONTEXT_VARIABLE = 'PRODUCTION_KUBE_CONTEXT';

/** Every environment variable the Admins section of the README may tell an admin to set. */
export const ADMIN_ENVIRONMENT: Readonly<Record<string, AdminVariable>> = {
  GITHUB_TOKEN: {
    readBy: 'the GitHub provider (@pulumi/github reads it when github:token is unset)',
    holds: 'a GitHub token of an organisation admin',
    required: true,
    githubOnly: true,
  },
  [KUBE_CONTEXT_VARIABLE]: {
    readBy: 'stacks/production.ts (the `context` of the kubernetes Provider `production-cluster`)',
    holds:
      'the name of your kubeconfig context for the production cluster (see `kubectl config get-contexts`)',
    required: true,
    githubOnly: false,
  },
  KUBECONFIG: {
    readBy: 'the kubernetes Provider (@pulumi/kubernetes reads it when `kubeconfig` is not given)',
    holds: 'the path of the kubeconfig file holding that context (default ~/.kube/config)',
    required: false,
    githubOnly: false,
  },
};

/**
 * The variable holding the admin's kubeconfig context of cluster `name` (as ArgoCD names it): ArgoCD's
 * own cluster, production's, keeps `PRODUCTION_KUBE_CONTEXT`; another is `<NAME>_KUBE_CONTEXT`
 * (`prod-eu` → `PROD_EU_KUBE_CONTEXT`).
 */
export function kubeContextVariable(name: string): string {
  if (name === IN_CLUSTER.name) return KUBE_CONTEXT_VARIABLE;
  const variable = `${name.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}_KUBE_CONTEXT`;
  if (variable === KUBE_CONTEXT_VARIABLE) {
    throw new Error(
      `cluster "${name}" (charts/environments.ts) would read ${KUBE_CONTEXT_VARIABLE}, the context of ArgoCD's own cluster: rename the cluster`,
    );
  }
  return variable;
}

/** The per-admin values the program uses (the token is left to the GitHub provider, never copied). */
export interface AdminEnvironment {
  /** The context of ArgoCD's own cluster, production's (`''` when no environment runs there). */
  readonly kubeContext: string;
  /** The context of every cluster the program administers, by the cluster's name in ArgoCD. */
  readonly kubeContexts: Readonly<Record<string, string>>;
}

/** What the program declares, hence which variables it needs. */
export interface AdminEnvironmentNeeds {
  /**
   * The GitHub resources are declared (false in cluster-only mode).
   * @default true
   */
  readonly github?: boolean;
  /**
   * The clusters the program declares a Kubernetes provider for, by their name in ArgoCD.
   * @default - ArgoCD's own cluster only
   */
  readonly clusters?: readonly string[];
}

/**
 * Reads and checks the admin's environment: a required variable that is unset or empty throws, naming
 * the variable, what it holds and the `export` that fixes it.
 */
export function adminEnvironment(
  env: Readonly<Record<string, string | undefined>>,
  needs: AdminEnvironmentNeeds = {},
): AdminEnvironment {
  const github = needs.github ?? true;
  const clusters = needs.clusters ?? [IN_CLUSTER.name];
  const contexts = Object.fromEntries(clusters.map((cluster) => [cluster, kubeContextVariable(cluster)]));
  const clusterVariables: [string, AdminVariable][] = clusters
    .filter((cluster) => cluster !== IN_CLUSTER.name)
    .map((cluster) => [
      contexts[cluster],
      {
        readBy: `stacks/production.ts (the \`context\` of the kubernetes Provider of cluster ${cluster})`,
        holds: `the name of your kubeconfig context for cluster ${cluster}`,
        required: true,
        githubOnly: false,
      },
    ]);
  const missing = [...Object.entries(ADMIN_ENVIRONMENT), ...clusterVariables].filter(
    ([name, variable]) =>
      variable.required &&
      (github || !variable.githubOnly) &&
      (name !== KUBE_CONTEXT_VARIABLE || clusters.includes(IN_CLUSTER.name)) &&
      !(env[name] ?? '').trim(),
  );
  if (missing.length > 0) {
    const lines = missing.map(([name, variable]) => `  export ${name}=<${variable.holds}>`);
    throw new Error(
      `${missing.map(([name]) => name).join(' and ')} ${missing.length === 1 ? 'is' : 'are'} not set. ` +
        `They are per admin and never committed: set them in your shell, then run the command again:\n${lines.join('\n')}`,
    );
  }
  const contextOf = (variable: string): string => (env[variable] ?? '').trim();
  return {
    kubeContext: clusters.includes(IN_CLUSTER.name) ? contextOf(KUBE_CONTEXT_VARIABLE) : '',
    kubeContexts: Object.fromEntries(clusters.map((cluster) => [cluster, contextOf(contexts[cluster])])),
  };
}
