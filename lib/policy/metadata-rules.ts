import { CLUSTER_SCOPED_KINDS } from '../manifest/object-id';
import { PolicyRule } from './types';

export const EXPLICIT_NAMESPACE: PolicyRule = {
  id: 'META001',
  title: 'Namespaced objects name their namespace',
  fix: 'Set metadata.namespace explicitly, or (a kustomize base) include the file only from kustomizations that set `namespace:`; never rely on the namespace of whoever applies the file.',
  check: (object, _options, _all, origin) =>
    CLUSTER_SCOPED_KINDS.has(object.kind) || object.metadata?.namespace || origin?.namespacedBy
      ? []
      : [{ message: 'metadata.namespace is not set' }],
};
