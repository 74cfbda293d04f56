import * as pulumi from '@pulumi/pulumi';
import * as k8s from '@pulumi/kubernetes';
import { KubeObject } from '../manifest/kube-object';

type KubeResourceClass = new (
  name: string,
  args: Record<string, unknown>,
  opts?: pulumi.CustomResourceOptions,
) => pulumi.CustomResource;

/** `apiVersion/kind` → the @pulumi/kubernetes class that declares it. Other kinds are refused. */
const CLASSES: Readonly<Record<string, () => KubeResourceClass>> = {
  'v1/Namespace': () => k8s.core.v1.Namespace as unknown as KubeResourceClass,
  'v1/ServiceAccount': () => k8s.core.v1.ServiceAccount as unknown as KubeResourceClass,
  'v1/Service': () => k8s.core.v1.Service as unknown as KubeResourceClass,
  'apps/v1/Deployment': () => k8s.apps.v1.Deployment as unknown as KubeResourceClass,
  'apiextensions.k8s.io/v1/CustomResourceDefinition': () =>
    k8s.apiextensions.v1.CustomResourceDefinition as unknown as KubeResourceClass,
  'rbac.authorization.k8s.io/v1/Role': () => k8s.rbac.v1.Role as unknown as KubeResourceClass,
  'rbac.authorization.k8s.io/v1/RoleBinding': () => k8s.rbac.v1.RoleBinding as unknown as KubeResourceClass,
  'rbac.authorization.k8s.io/v1/ClusterRole': () => k8s.rbac.v1.ClusterRole as unknown as KubeResourceClass,
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': () =>
    k8s.rbac.v1.ClusterRoleBinding as unknown as KubeResourceClass,
  'admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy': () =>
    k8s.admissionregistration.v1.ValidatingAdmissionPolicy as unknown as KubeResourceClass,
  'admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding': () =>
    k8s.admissionregistration.v1.ValidatingAdmissionPolicyBinding as unknown as KubeResourceClass,
};

/**
 * pulumi-kubernetes' per-object switch for a forced server-side apply: fields of the object that another
 * field manager holds are taken over instead of failing the apply with a conflict. Read by every
 * provider release (the provider-level `enablePatchForce` is not in every provider build).
 */
export const PATCH_FORCE_ANNOTATION = 'pulumi.com/patchForce';

/**
 * pulumi-kubernetes' per-object switch that returns as soon as the API server accepted the object,
 * instead of waiting for a Deployment's rollout or a Service's endpoints.
 */
export const SKIP_AWAIT_ANNOTATION = 'pulumi.com/skipAwait';

/** Options for the Kubernetes objects a component declares. */
export interface KubeObjectsOptions extends pulumi.ComponentResourceOptions {
  /**
   * Refuse to delete the objects (`pulumi destroy` fails until they are unprotected).
   * @default false
   */
  readonly protectObjects?: boolean;
  /**
   * The objects are owned by this program alone: take over the fields another field manager holds
   * (`kubectl apply --server-side`, a hand edit), by the `pulumi.com/patchForce` annotation. Fields the
   * objects do not declare keep their manager and their value.
   * @default false
   */
  readonly takeOverFields?: boolean;
  /**
   * Do not wait for the objects to become ready (a Deployment's rollout, a Service's endpoints), by the
   * `pulumi.com/skipAwait` annotation: for a workload whose image pull and start are not the program's
   * to wait for. The rollout is checked apart (`kubectl rollout status`).
   * @default false
   */
  readonly skipAwait?: boolean;
}

/** The object with `annotation` set to `'true'`. */
function withTrueAnnotation(object: KubeObject, annotation: string): KubeObject {
  const metadata = object.metadata ?? {};
  return {
    ...object,
    metadata: { ...metadata, annotations: { ...metadata.annotations, [annotation]: 'true' } },
  };
}

/** The object with the annotation that makes pulumi-kubernetes force its server-side apply. */
export function withPatchForce(object: KubeObject): KubeObject {
  return withTrueAnnotation(object, PATCH_FORCE_ANNOTATION);
}

/** The object with the annotation that makes pulumi-kubernetes not wait for it to become ready. */
export function withSkipAwait(object: KubeObject): KubeObject {
  return withTrueAnnotation(object, SKIP_AWAIT_ANNOTATION);
}

/**
 * A component made of plain Kubernetes objects computed by a pure function: each becomes a typed
 * @pulumi/kubernetes resource named `${name}-${kind}` (lower case), with the objects' own names, so
 * what Pulumi applies is what `npm run rbac:export` writes (with `takeOverFields`, plus the
 * `pulumi.com/patchForce` annotation; with `skipAwait`, plus `pulumi.com/skipAwait`). Children wait for `dependsOn`.
 */
export class KubeObjectsComponent extends pulumi.ComponentResource {
  /** The objects, as plain data. */
  public readonly objects: readonly KubeObject[];
  /** The declared resources, in the order of `objects`. */
  public readonly resources: readonly pulumi.CustomResource[];

  constructor(type: string, name: string, objects: readonly KubeObject[], opts: KubeObjectsOptions = {}) {
    const { protectObjects, takeOverFields, skipAwait, ...componentOptions } = opts;
    super(type, name, {}, componentOptions);
    const kinds = objects.map((object) => object.kind.toLowerCase());
    const twice = kinds.find((kind, index) => kinds.indexOf(kind) !== index);
    if (twice)
      throw new pulumi.ResourceError(
        `${type} ${name}: two objects of kind ${twice}; split the component`,
        this,
      );
    this.objects = objects;
    this.resources = objects.map((object) => {
      const key = `${object.apiVersion}/${object.kind}`;
      const resourceClass = CLASSES[key];
      if (!resourceClass) {
        throw new pulumi.ResourceError(
          `${type} ${name}: ${key} is not a kind this component declares; add it to CLASSES in lib/pulumi/kube-objects-component.ts`,
          this,
        );
      }
      const ResourceClass = resourceClass();
      const forced = takeOverFields ? withPatchForce(object) : { ...object };
      return new ResourceClass(
        `${name}-${object.kind.toLowerCase()}`,
        skipAwait ? withSkipAwait(forced) : forced,
        {
          parent: this,
          dependsOn: opts.dependsOn,
          protect: protectObjects ?? false,
        },
      );
    });
    this.registerOutputs({ objects: this.objects });
  }
}
