import { RestrictedNamespaceProps, restrictedNamespaceObject } from '../access';
import { KubeObjectsComponent, KubeObjectsOptions } from './kube-objects-component';

/**
 * A Namespace that enforces Pod Security "restricted", protected from deletion (removing it would delete
 * everything in it). Props are plain values (not Inputs): the same object is exported as YAML.
 */
export class RestrictedNamespace extends KubeObjectsComponent {
  constructor(
    name: string,
    props: RestrictedNamespaceProps,
    opts: Omit<KubeObjectsOptions, 'protectObjects'> = {},
  ) {
    super('gitops:kubernetes:RestrictedNamespace', name, [restrictedNamespaceObject(props)], {
      ...opts,
      protectObjects: true,
    });
  }
}
