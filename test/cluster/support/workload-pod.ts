import { ApiObject } from './cluster-client';

type Template = {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: unknown;
};

/** A manifest the tests reach into field by field, as YAML would: any depth, any type. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- manifests are untyped data here
export type Nested = Record<string, any>;

/** The pod template of a workload (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob), or `undefined`. */
export function podTemplateOf(object: ApiObject): Template | undefined {
  const spec = object.spec as Nested | undefined;
  switch (object.kind) {
    case 'CronJob':
      return spec?.jobTemplate?.spec?.template;
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'ReplicaSet':
    case 'Job':
      return spec?.template;
    default:
      return undefined;
  }
}

/**
 * The Pod a controller would create from `workload`'s template, named `name`: Pod Security admission
 * enforces on pods, so this is how a workload's pods meet it without a controller-manager running.
 */
export function podFrom(workload: ApiObject, name: string): ApiObject {
  const template = podTemplateOf(workload);
  if (!template?.spec) throw new Error(`${workload.kind} ${workload.metadata?.name} has no pod template`);
  return structuredClone({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: workload.metadata?.namespace, labels: template.metadata?.labels ?? {} },
    spec: template.spec,
  });
}

/** A deep copy of `object` changed by `edit`. */
export function edited(object: ApiObject, edit: (copy: Nested) => void): ApiObject {
  const copy = structuredClone(object) as Nested;
  edit(copy);
  return copy as ApiObject;
}
