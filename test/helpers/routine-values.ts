import { parseAllDocuments, stringify } from 'yaml';

/**
 * What an ordinary change legitimately rewrites in a generated manifest: a release (image tags), a
 * scaling pull request (replicas), a resources or config hotfix (quantities, ConfigMap values and the
 * checksum that rolls the pods on a config change). Snapshots record the shape around these values;
 * the tests assert the values as properties, so such a change never needs `jest -u`.
 */
export const ROUTINE = {
  tag: '<pinned sha tag>',
  replicas: '<replicas>',
  quantity: '<quantity>',
  configValue: '<config value>',
  checksum: '<config checksum>',
} as const;

const SHA_TAG_SUFFIX = /:sha-[0-9a-f]+$/;
const CHECKSUM_ANNOTATION = 'checksum/config';

type Node = unknown;

function maskNode(node: Node, key: string | undefined, parentKey: string | undefined): Node {
  if (typeof node === 'string') {
    if (key === 'newTag' || /^sha-[0-9a-f]+$/.test(node)) return ROUTINE.tag;
    if (key === CHECKSUM_ANNOTATION) return ROUTINE.checksum;
    if (parentKey === 'limits' || parentKey === 'requests') return ROUTINE.quantity;
    return node.replace(SHA_TAG_SUFFIX, `:${ROUTINE.tag}`);
  }
  if (typeof node === 'number') {
    if (key === 'replicas') return ROUTINE.replicas;
    if (parentKey === 'limits' || parentKey === 'requests') return ROUTINE.quantity;
    return node;
  }
  if (Array.isArray(node)) return node.map((item) => maskNode(item, undefined, key));
  if (node && typeof node === 'object') {
    const object = node as Record<string, unknown>;
    const isConfigMap = object.kind === 'ConfigMap' && key === undefined;
    return Object.fromEntries(
      Object.entries(object).map(([childKey, value]) => {
        if (isConfigMap && childKey === 'data') return [childKey, maskConfigData(value)];
        return [childKey, maskNode(value, childKey, key)];
      }),
    );
  }
  return node;
}

/** Keys stay (adding or removing a setting is a reviewed change of shape); values are masked. */
function maskConfigData(data: unknown): unknown {
  if (!data || typeof data !== 'object') return data;
  return Object.fromEntries(Object.keys(data).map((name) => [name, ROUTINE.configValue]));
}

/**
 * `text` with every routine value masked: YAML files document by document (comments dropped, the
 * header is asserted separately), anything else as it is.
 */
export function maskRoutineValues(path: string, text: string): string {
  if (!path.endsWith('.yaml')) return text;
  return parseAllDocuments(text)
    .map((document) => stringify(maskNode(document.toJS(), undefined, undefined)))
    .join('---\n');
}
