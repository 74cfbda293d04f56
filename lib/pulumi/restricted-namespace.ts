import * as pulumi from '@pulumi/pulumi';
import { RestrictedNamespaceProps, restrictedNamespaceObject } from '../access';
import { KubeObjectsComponent } from './kube-objects-component';

/**
 * A Namespace that enforces Pod Security "restricted", protected from deletion (removing it would delete
 * everything in it). Props are plain values (not Inputs): the same object is exported as YAML.
 */
export class RestrictedNamespace extends KubeObjectsComponent {
  constructor(name: string, props: RestrictedNamespaceProps, opts: pulumi.ComponentResourceOptions = {}) {
    super('gitops:kubernetes:RestrictedNamespace', name, [restrictedNamespaceObject(props)], {
      ...opts,
      protectObjects: true,
    });
  }
}
