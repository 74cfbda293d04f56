/**
 * What each admin's own shell provides to `pulumi preview` / `pulumi up`: credentials and the local name
 * of the production cluster. None of it is committed: the stack file is shared, these are not.
 */
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

/** The per-admin values the program uses (the token is left to the GitHub provider, never copied). */
export interface AdminEnvironment {
  readonly kubeContext: string;
}

/** What the program declares, hence which variables it needs. */
export interface AdminEnvironmentNeeds {
  /**
   * The GitHub resources are declared (false in cluster-only mode).
   * @default true
   */
  readonly github?: boolean;
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
  const missing = Object.entries(ADMIN_ENVIRONMENT).filter(
    ([name, variable]) => variable.required && (github || !variable.githubOnly) && !(env[name] ?? '').trim(),
  );
  if (missing.length > 0) {
    const lines = missing.map(([name, variable]) => `  export ${name}=<${variable.holds}>`);
    throw new Error(
      `${missing.map(([name]) => name).join(' and ')} ${missing.length === 1 ? 'is' : 'are'} not set. ` +
        `They are per admin and never committed: set them in your shell, then run the command again:\n${lines.join('\n')}`,
    );
  }
  return { kubeContext: (env[KUBE_CONTEXT_VARIABLE] ?? '').trim() };
}
