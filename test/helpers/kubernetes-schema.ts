import { KubeObject } from '../../lib';

interface Validatable {
  validate(): void;
}
type ModelClass = new (data: unknown) => Validatable;

/**
 * Validates `object` against the Kubernetes OpenAPI schema with the `kubernetes-models` class of its
 * apiVersion and kind. Throws on a schema error or on a kind the package does not know.
 */
export function validateKubernetesSchema(object: KubeObject): void {
  const [group, version] = object.apiVersion.includes('/')
    ? object.apiVersion.split('/')
    : [undefined, object.apiVersion];
  const modulePath = ['kubernetes-models', group, version, object.kind].filter(Boolean).join('/');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const module = require(modulePath) as Record<string, ModelClass>;
  new module[object.kind](object).validate();
}
