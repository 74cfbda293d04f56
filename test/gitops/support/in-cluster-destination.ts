import { kubectl, kubectlGet } from './kubectl';

/** The data of ArgoCD's in-cluster destination (its cluster Secret), as a test found it. */
export type DestinationData = Record<string, string>;

/** The in-cluster destination's Secret data now: what `restoreDestination` puts back. */
export function destinationData(): DestinationData | undefined {
  return kubectlGet<{ data: DestinationData }>('secret', '-n', 'argocd', 'in-cluster')?.data;
}

/** Puts the in-cluster destination's Secret data back as `destinationData` read it. */
export function restoreDestination(data: DestinationData): void {
  kubectl('patch', 'secret', '-n', 'argocd', 'in-cluster', '--type=merge', '-p', JSON.stringify({ data }));
}
