import { PolicyRule } from './types';

/**
 * Refused rather than applied: go-yaml v2, which kubectl and the API server decode manifests with, lets
 * a merge override the keys written before it, while YAML 1.1 (and every JavaScript reader) lets written
 * keys win. A manifest whose meaning depends on the reader is not reviewable.
 */
export const NO_MERGE_KEYS: PolicyRule = {
  id: 'YAML001',
  title: 'Manifests use no YAML merge keys (<<)',
  fix: 'Write the fields out in full instead of merging an anchor with <<: readers disagree on which value wins.',
  check: (_object, _options, _all, origin) =>
    (origin?.mergeKeys ?? []).map((path) => ({
      message: `${path.length > 0 ? path.join('.') : 'the document'} merges a mapping with <<`,
      path: [...path, '<<'],
    })),
};
