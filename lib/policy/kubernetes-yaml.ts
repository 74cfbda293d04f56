import { FAILSAFE_SCHEMA, Type, YAMLException, load } from 'js-yaml';
import { Document, Node, isMap, isPair, isScalar, isSeq, parseDocument } from 'yaml';

/*
 * YAML as kubectl and the API server read it. Both decode manifests with sigs.k8s.io/yaml, which is
 * go-yaml v2 (go.yaml.in/yaml/v2, pinned by tools/cluster/go.mod): YAML 1.1 plain scalars, so
 * `hostNetwork: yes` is `true` and `017` is 15, where a YAML 1.2 reader sees a string and 17. The
 * scalar types below follow go-yaml v2's resolve.go, table for table.
 */

// A Map, not an object: `constructor` or `toString` must stay strings.
const GO_YAML_BOOLEANS: ReadonlyMap<string, boolean> = new Map([
  ...['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'].map(
    (word) => [word, true] as const,
  ),
  ...['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'].map(
    (word) => [word, false] as const,
  ),
]);
const GO_YAML_NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);
const GO_YAML_SPECIAL_FLOATS: ReadonlyMap<string, number> = new Map([
  ...['.nan', '.NaN', '.NAN'].map((word) => [word, NaN] as const),
  ...['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF'].map((word) => [word, Infinity] as const),
  ...['-.inf', '-.Inf', '-.INF'].map((word) => [word, -Infinity] as const),
]);
/** strconv.ParseInt(s, 0, 64) after go-yaml drops underscores: 0x hex, 0o or 0 octal, 0b binary. */
const GO_INT = /^[-+]?(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[0-7]*|0[bB][01]+|[1-9][0-9]*)$/;
const GO_YAML_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

function goInt(text: string): number {
  const sign = text.startsWith('-') ? -1 : 1;
  const digits = text.replace(/^[-+]/, '');
  if (/^0[xX]/.test(digits)) return sign * parseInt(digits.slice(2), 16);
  if (/^0[bB]/.test(digits)) return sign * parseInt(digits.slice(2), 2);
  if (/^0[oO]/.test(digits)) return sign * parseInt(digits.slice(2), 8);
  if (/^0[0-7]+$/.test(digits)) return sign * parseInt(digits.slice(1), 8);
  return sign * parseInt(digits, 10);
}

/** A plain scalar as go-yaml v2 resolves it, or `undefined` when it stays a string. */
function resolveNumber(text: string): number | undefined {
  const special = GO_YAML_SPECIAL_FLOATS.get(text);
  if (special !== undefined) return special;
  // go-yaml's hint: only a sign, a dot or a digit can start a number.
  const first = text.charCodeAt(0);
  if (!(first === 43 || first === 45 || first === 46 || (first >= 48 && first <= 57))) return undefined;
  if (text.startsWith('.')) return /^\.[0-9]+([eE][-+]?[0-9]+)?$/.test(text) ? Number(text) : undefined;
  const plain = text.replace(/_/g, '');
  if (GO_INT.test(plain)) return goInt(plain);
  return GO_YAML_FLOAT.test(plain) ? Number(plain) : undefined;
}

/** Merge keys js-yaml resolved during the current `load` (one thread loads one document at a time). */
let mergeKeysSeen = 0;

/** The longest null or boolean word (`false`): a longer word is looked up in neither table. */
const LONGEST_WORD = Math.max(...[...GO_YAML_NULLS, ...GO_YAML_BOOLEANS.keys()].map((word) => word.length));

/** A plain scalar starting with a letter can only be a null or a boolean word, else it is a string. */
const isPlainWord = (data: string | null): boolean => {
  const first = data?.charCodeAt(0) ?? 0;
  const letter = (first >= 65 && first <= 90) || (first >= 97 && first <= 122);
  if (!letter) return false;
  const word = data as string;
  return word.length > LONGEST_WORD || (!GO_YAML_NULLS.has(word) && !GO_YAML_BOOLEANS.has(word));
};

const GO_YAML_SCHEMA = FAILSAFE_SCHEMA.extend({
  implicit: [
    // First, since most scalars are such words (names, kinds, keys): js-yaml asks the types in order
    // and stops at the first that takes the scalar, so the others are not asked at all.
    new Type('tag:yaml.org,2002:str', { kind: 'scalar', resolve: isPlainWord }),
    new Type('tag:yaml.org,2002:null', {
      kind: 'scalar',
      resolve: (data: string | null) => data === null || GO_YAML_NULLS.has(data),
      construct: () => null,
    }),
    new Type('tag:yaml.org,2002:bool', {
      kind: 'scalar',
      resolve: (data: string | null) => data !== null && GO_YAML_BOOLEANS.has(data),
      construct: (data: string) => GO_YAML_BOOLEANS.get(data),
    }),
    new Type('tag:yaml.org,2002:float', {
      kind: 'scalar',
      resolve: (data: string | null) => data !== null && resolveNumber(data) !== undefined,
      construct: (data: string) => resolveNumber(data),
    }),
    // js-yaml merges the mapping of a key resolved to this tag (rule YAML001 refuses such keys), a
    // plain `<<` or one tagged `!!merge` however it is quoted: every one is counted, so none is missed.
    new Type('tag:yaml.org,2002:merge', {
      kind: 'scalar',
      resolve: (data: string | null) => data === '<<',
      construct: (data: string) => {
        mergeKeysSeen++;
        return data;
      },
    }),
  ],
  // Tags go-yaml knows that no plain scalar resolves to here: an integer is a float above.
  explicit: [
    new Type('tag:yaml.org,2002:int', {
      kind: 'scalar',
      resolve: (data: string | null) => data !== null && GO_INT.test(data.replace(/_/g, '')),
      construct: (data: string) => goInt(data.replace(/_/g, '')),
    }),
    // go-yaml decodes the bytes into the string they spell.
    new Type('tag:yaml.org,2002:binary', {
      kind: 'scalar',
      resolve: (data: string | null) => data !== null && /^[A-Za-z0-9+/=\s]*$/.test(data),
      construct: (data: string) => Buffer.from(data.replace(/\s/g, ''), 'base64').toString('utf8'),
    }),
  ],
});

/** One document of a YAML stream. */
export interface YamlDocument {
  /** The decoded value. */
  readonly value: unknown;
  /** 1-based line where its content starts. */
  readonly line: number;
  /** 0-based line of the stream where the document's text starts. */
  readonly firstLine: number;
  /** The document's own text (from its `---` to the next). */
  readonly text: string;
  /** Paths of the merge keys (`<<`) it uses. */
  readonly mergeKeys: readonly (readonly (string | number)[])[];
}

export interface YamlError {
  /** 1-based line. */
  readonly line: number;
  readonly message: string;
}

const MARKER = /^(---|\.\.\.)(\s|$)/;
const CONTENT = /^\s*([^\s#]|$)/;

/** A line that holds YAML content: not blank, not only a comment, not a bare document marker. */
const isContent = (line: string): boolean =>
  !/^\s*(#.*)?$/.test(line) && !/^(---|\.\.\.)\s*(#.*)?$/.test(line) && CONTENT.test(line);

/** The 0-based index of the first content line of `text`, or -1; the lines are not split out. */
function firstContentLine(text: string): number {
  for (let start = 0, index = 0; start <= text.length; index++) {
    const end = text.indexOf('\n', start);
    if (isContent(text.slice(start, end < 0 ? text.length : end))) return index;
    if (end < 0) break;
    start = end + 1;
  }
  return -1;
}

/** One document's text: where it starts in the stream (0-based line) and its first content line in it. */
interface Chunk {
  readonly first: number;
  readonly text: string;
  readonly contentAt: number;
}

/** The documents of `text`, split at their `---` lines. */
function chunksOf(text: string): Chunk[] {
  // Most files hold one document: no marker after the first line, no need to split it into lines.
  if (!text.includes('\n---')) return [{ first: 0, text, contentAt: firstContentLine(text) }];
  const lines = text.split('\n');
  const starts = [0];
  lines.forEach((line, index) => {
    if (index > 0 && line.startsWith('---') && MARKER.test(line)) starts.push(index);
  });
  if (starts.length === 1) return [{ first: 0, text, contentAt: lines.findIndex(isContent) }];
  return starts.map((first, index) => {
    const chunkLines = lines.slice(first, starts[index + 1] ?? lines.length);
    return { first, text: chunkLines.join('\n'), contentAt: chunkLines.findIndex(isContent) };
  });
}

/**
 * Every document of `text`, decoded as go-yaml v2 decodes it, with where each starts; or the first
 * error of each document that cannot be read (duplicate keys included, as the API server's strict
 * decoding refuses them). Documents are split at their `---` lines, so one bad document does not hide
 * the next.
 */
export function loadYamlDocuments(text: string): { documents: YamlDocument[]; errors: YamlError[] } {
  const documents: YamlDocument[] = [];
  const errors: YamlError[] = [];
  for (const { first, text: chunk, contentAt } of chunksOf(text)) {
    if (contentAt < 0) continue;
    let value: unknown;
    mergeKeysSeen = 0;
    try {
      value = load(chunk, { schema: GO_YAML_SCHEMA });
    } catch (error) {
      if (!(error instanceof YAMLException)) throw error;
      errors.push({ line: first + (error.mark?.line ?? 0) + 1, message: error.reason });
      continue;
    }
    if (value === null || value === undefined) continue;
    const merges =
      mergeKeysSeen > 0 ? mergeScalarsOf(parseDocument(chunk, { uniqueKeys: false })) : undefined;
    const mergeKeys = merges?.keys ?? [];
    // The second reader must find what the first resolved as merges; if it does not, the document is marked.
    if (merges && mergeKeysSeen > merges.keys.length + merges.values) mergeKeys.push([]);
    documents.push({ value, line: first + contentAt + 1, firstLine: first, text: chunk, mergeKeys });
  }
  return { documents, errors };
}

const MERGE_TAG = 'tag:yaml.org,2002:merge';

/**
 * The `<<` scalars of a document, read without merging: the paths of the maps whose keys they are, and
 * how many are values instead (`marker: <<`), which js-yaml resolves alike but nobody merges.
 */
function mergeScalarsOf(document: Document): { keys: (string | number)[][]; values: number } {
  const keys: (string | number)[][] = [];
  let values = 0;
  // A plain `<<`, or any scalar tagged !!merge (the yaml package then reads its value as a symbol).
  const isMerge = (node: unknown): boolean =>
    isScalar(node) && (node.tag === MERGE_TAG || (node.value === '<<' && node.type === 'PLAIN'));
  const walk = (node: unknown, path: (string | number)[]): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        if (isMerge(pair.key)) keys.push(path);
        walk(pair.value, [...path, String(isScalar(pair.key) ? pair.key.value : undefined)]);
      }
    } else if (isSeq(node)) node.items.forEach((item, index) => walk(item, [...path, index]));
    else if (isMerge(node)) values++;
  };
  walk(document.contents, []);
  return { keys, values };
}

/**
 * The 1-based line and column of the node at a path in a document's text (the deepest part that exists).
 * The text is parsed once, on the first question, however many are asked: a List of n items asks n.
 */
export function positionFinder(
  text: string,
): (path: readonly (string | number)[]) => { line: number; column: number } {
  let document: Document | undefined;
  let lineStarts: number[] | undefined;
  return (path) => {
    document ??= parseDocument(text, { uniqueKeys: false });
    lineStarts ??= [0, ...[...text.matchAll(/\n/g)].map((match) => (match.index ?? 0) + 1)];
    const offset = offsetOf(document, path);
    // The last line that starts at or before the offset, by binary search.
    let [low, high] = [0, lineStarts.length - 1];
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (lineStarts[middle] <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: offset - lineStarts[low] + 1 };
  };
}

/** Offset in the text of the node at `path` (of the deepest part that exists). */
function offsetOf(document: Document, path: readonly (string | number)[]): number {
  let node: unknown = document.contents;
  let offset = (node as Node | null)?.range?.[0] ?? 0;
  for (const part of path) {
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(part),
      );
      if (!pair) break;
      offset = (pair.key as Node).range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof part === 'number' && node.items[part]) {
      node = node.items[part];
      offset = (node as Node).range?.[0] ?? offset;
    } else break;
  }
  return offset;
}
