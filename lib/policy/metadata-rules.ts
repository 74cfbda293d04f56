import { CLUSTER_SCOPED_KINDS } from './object-id';
import { PolicyRule } from './types';

export const EXPLICIT_NAMESPACE: PolicyRule = {
  id: 'META001',
  title: 'Namespaced objects name their namespace',
  fix: 'Set metadata.namespace explicitly; never rely on the namespace of whoever applies the file.',
  check: (object) =>
    CLUSTER_SCOPED_KINDS.has(object.kind) || object.metadata?.namespace
      ? []
      : [{ message: 'metadata.namespace is not set' }],
};
