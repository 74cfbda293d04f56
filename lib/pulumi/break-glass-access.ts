import { BreakGlassAccessProps, breakGlassAccessObjects } from '../access';
import { KubeObjectsComponent, KubeObjectsOptions } from './kube-objects-component';

/**
 * Emergency edit rights reachable only by impersonation, so every use is attributable.
 * Props are plain values (not Inputs): the same objects are exported as YAML.
 */
export class BreakGlassAccess extends KubeObjectsComponent {
  constructor(name: string, props: BreakGlassAccessProps, opts: KubeObjectsOptions = {}) {
    super('gitops:access:BreakGlassAccess', name, breakGlassAccessObjects(props), opts);
  }
}
