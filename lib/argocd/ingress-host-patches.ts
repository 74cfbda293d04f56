import { KubeObject } from '../manifest/kube-object';
import { KustomizePatch } from '../argocd-api/argocd-types';

interface IngressSpec {
  readonly rules?: readonly { readonly host?: string }[];
  readonly tls?: readonly { readonly hosts?: readonly string[] }[];
}

/**
 * Kustomize JSON patches giving every Ingress of `objects` other host names, `hostFor(original)`, in
 * its rules and its TLS section: a copy of an environment (a preview) must not claim the hosts of
 * the original, or the Ingress controller would route their traffic to it.
 */
export function ingressHostPatches(
  objects: readonly KubeObject[],
  hostFor: (host: string) => string,
): KustomizePatch[] {
  return objects
    .filter((object) => object.kind === 'Ingress' && object.apiVersion === 'networking.k8s.io/v1')
    .flatMap((ingress) => {
      const spec = (ingress.spec ?? {}) as IngressSpec;
      const operations = [
        ...(spec.rules ?? []).flatMap((rule, index) =>
          rule.host ? [{ op: 'replace', path: `/spec/rules/${index}/host`, value: hostFor(rule.host) }] : [],
        ),
        ...(spec.tls ?? []).flatMap((tls, index) =>
          (tls.hosts ?? []).map((host, hostIndex) => ({
            op: 'replace',
            path: `/spec/tls/${index}/hosts/${hostIndex}`,
            value: hostFor(host),
          })),
        ),
      ];
      if (operations.length === 0) return [];
      return [
        {
          target: {
            group: 'networking.k8s.io',
            version: 'v1',
            kind: 'Ingress',
            name: ingress.metadata?.name,
          },
          patch: JSON.stringify(operations),
        },
      ];
    });
}
