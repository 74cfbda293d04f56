import { SyncAccessProps, argocdSecretsSyncObjects, syncAccessObjects } from '../access';
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

/** ArgoCD's right to sync its own Secrets, sealed, into its namespace (`argocdSecretsSyncObjects`). */
export class ArgoCdSecretsSyncAccess extends KubeObjectsComponent {
  constructor(name: string, props: SyncAccessProps, opts: KubeObjectsOptions = {}) {
    super('gitops:access:ArgoCdSecretsSyncAccess', name, argocdSecretsSyncObjects(props), opts);
  }
}
