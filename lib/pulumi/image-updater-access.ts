import { ImageUpdaterAccessProps, imageUpdaterAccessObjects } from '../access';
import { KubeObjectsComponent, KubeObjectsOptions } from './kube-objects-component';

/**
 * CI's image updater: get and patch workloads, and an admission policy that allows image changes only.
 * Props are plain values (not Inputs): the same objects are exported as YAML.
 */
export class ImageUpdaterAccess extends KubeObjectsComponent {
  constructor(name: string, props: ImageUpdaterAccessProps, opts: KubeObjectsOptions = {}) {
    super('gitops:access:ImageUpdaterAccess', name, imageUpdaterAccessObjects(props), opts);
  }
}
