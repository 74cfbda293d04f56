import { SyncAccessProps, syncAccessObjects } from '../access';
import { KubeObjectsComponent, KubeObjectsOptions } from './kube-objects-component';

/**
 * A GitOps controller's right to make one namespace equal Git.
 * Props are plain values (not Inputs): the same objects are exported as YAML.
 */
export class SyncAccess extends KubeObjectsComponent {
  constructor(name: string, props: SyncAccessProps, opts: KubeObjectsOptions = {}) {
    super('gitops:access:SyncAccess', name, syncAccessObjects(props), opts);
  }
}
