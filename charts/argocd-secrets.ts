import { argocd, repository } from './config';
import { previews } from './environments';

/** A Secret ArgoCD itself reads, in its namespace: its values sealed in Git like a service's. */
export interface ArgoCdSecretDeclaration {
  /** The Secret's name, which ArgoCD looks up: `npm run seal -- argocd <name> <key>`. */
  readonly name: string;
  /** Its keys, each sealed on its own. */
  readonly keys: readonly string[];
  /**
   * Labels of the Secret, by which ArgoCD finds it.
   * @default - none
   */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Keys that are not secret, written into the Secret as given and readable in review: only the
   * repository's `url` and `type` of repository credentials (rule SEC001). A sealed URL could be pointed
   * elsewhere unseen, and ArgoCD would send the sealed password there.
   * @default - none
   */
  readonly plainData?: Readonly<Record<string, string>>;
  /** What ArgoCD does with it. */
  readonly purpose: string;
}

/**
 * The Secrets ArgoCD reads in namespace `argocd`, delivered sealed through Git (ADR 0005): root syncs
 * their SealedSecrets from infra/argocd/secrets/ and the Sealed Secrets controller writes each Secret.
 * Once the certificate of ArgoCD's cluster is committed, synth requires a sealed value of every key.
 * The webhook secret joins this list with the webhook (issue 22); it lives in `argocd-secret`, which
 * argocd-server also writes, so it will be referenced from there rather than replaced.
 */
export const argocdSecrets: readonly ArgoCdSecretDeclaration[] = [
  {
    name: 'argocd-notifications-secret',
    keys: ['slack-token'],
    purpose: `the Slack bot token the notifications controller posts to ${argocd.alertChannel} with`,
  },
  {
    name: previews.githubToken.secretName,
    keys: [previews.githubToken.key],
    purpose: 'the GitHub token the previews ApplicationSet lists labelled pull requests with (read-only)',
  },
  {
    name: `repository-${repository.name}`,
    keys: ['username', 'password'],
    plainData: { url: repository.url, type: 'git' },
    labels: { 'argocd.argoproj.io/secret-type': 'repository' },
    purpose: `the credentials ArgoCD reads ${repository.url} with (a read-only token); the URL is in plain sight`,
  },
];
