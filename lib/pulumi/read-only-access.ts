import { ReadOnlyAccessProps, readOnlyAccessObjects } from '../access';
import { KubeObjectsComponent, KubeObjectsOptions } from './kube-objects-component';

/**
 * Read-only access to one namespace for identity-provider groups: no secrets, exec or port-forward.
 * Props are plain values (not Inputs): the same objects are exported as YAML.
 */
export class ReadOnlyAccess extends KubeObjectsComponent {
  constructor(name: string, props: ReadOnlyAccessProps, opts: KubeObjectsOptions = {}) {
    super('gitops:access:ReadOnlyAccess', name, readOnlyAccessObjects(props), opts);
  }
}
