import { ImageAdmissionPolicyProps, imageAdmissionPolicyObjects } from '../access';
import { KubeObjectsComponent, KubeObjectsOptions } from './kube-objects-component';

/**
 * Admission: images in a namespace come from one registry path, pinned to a sha- tag or a digest.
 * Props are plain values (not Inputs): the same objects are exported as YAML.
 */
export class ImageAdmissionPolicy extends KubeObjectsComponent {
  constructor(name: string, props: ImageAdmissionPolicyProps, opts: KubeObjectsOptions = {}) {
    super('gitops:access:ImageAdmissionPolicy', name, imageAdmissionPolicyObjects(props), opts);
  }
}
