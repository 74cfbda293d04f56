import { Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { previews } from './environments';

/** The namespace the preview kustomization names; each preview's Application replaces it with its own. */
export const PREVIEW_NAMESPACE = previews.namespacePrefix.replace(/-$/, '');

/**
 * What a preview adds to the base: its Namespace, so that the namespace belongs to the preview's
 * Application and is deleted with it. ArgoCD's kustomize renames it `preview-<number>`.
 */
export class PreviewOverlayChart extends Chart {
  constructor(scope: Construct, id: string) {
    super(scope, id, { disableResourceNameHashes: true });
    new k8s.KubeNamespace(this, 'Namespace', {
      metadata: {
        name: PREVIEW_NAMESPACE,
        labels: {
          'pod-security.kubernetes.io/enforce': 'restricted',
          'pod-security.kubernetes.io/enforce-version': 'latest',
        },
      },
    });
  }
}
