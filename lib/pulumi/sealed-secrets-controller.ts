import * as pulumi from '@pulumi/pulumi';
import { SealedSecretsControllerProps, sealedSecretsControllerObjects } from '../access';
import { KubeObjectsComponent, KubeObjectsOptions } from './kube-objects-component';

/** Options of the controller's components; `servedAfter` is what the served namespaces' bindings wait for. */
export interface SealedSecretsControllerOptions extends Omit<
  KubeObjectsOptions,
  'protectObjects' | 'skipAwait'
> {
  /** The resources that create the served namespaces (their RoleBindings wait for them). */
  readonly servedAfter?: pulumi.Input<pulumi.Resource>[];
}

/**
 * The Sealed Secrets controller: its CRD and namespace (both protected: deleting the CRD deletes every
 * SealedSecret, deleting the namespace every sealing key), its identity, Service and Deployment (not
 * waited for: the rollout depends on pulling its image), and one RoleBinding per served namespace.
 * Props are plain values (not Inputs): the same objects are exported as YAML.
 */
export class SealedSecretsController extends pulumi.ComponentResource {
  public readonly definition: KubeObjectsComponent;
  public readonly namespace: KubeObjectsComponent;
  public readonly controller: KubeObjectsComponent;
  public readonly served: readonly KubeObjectsComponent[];

  constructor(name: string, props: SealedSecretsControllerProps, opts: SealedSecretsControllerOptions = {}) {
    const { servedAfter, ...rest } = opts;
    super('gitops:sealing:SealedSecretsController', name, {}, rest);
    const objects = sealedSecretsControllerObjects(props);
    const children = { ...rest, parent: this };
    const type = 'gitops:kubernetes:KubeObjects';
    this.definition = new KubeObjectsComponent(type, `${name}-definition`, [objects.definition], {
      ...children,
      protectObjects: true,
    });
    this.namespace = new KubeObjectsComponent(type, `${name}-namespace`, [objects.namespace], {
      ...children,
      protectObjects: true,
    });
    const afterBoth = [this.definition, this.namespace];
    this.controller = new KubeObjectsComponent(type, `${name}-controller`, objects.controller, {
      ...children,
      dependsOn: afterBoth,
      skipAwait: true,
    });
    this.served = objects.served.map(
      (entry) =>
        new KubeObjectsComponent(type, `${name}-unsealer-${entry.namespace}`, [entry.binding], {
          ...children,
          dependsOn: [...afterBoth, ...(servedAfter ?? [])],
        }),
    );
    this.registerOutputs({});
  }
}
