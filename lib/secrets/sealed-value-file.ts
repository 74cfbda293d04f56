import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SEALED_VALUES_FILE_RULE, SealError } from './seal-error';

/**
 * The sealed values of one Secret in one environment: what `npm run seal` writes and synth reads. The
 * namespace and name it was sealed for are recorded beside the values: a value sealed with strict scope
 * decrypts as that Secret only, so synth refuses a file whose Secret has moved.
 */
export interface SealedValues {
  /** Namespace of the Secret the values were sealed for. */
  readonly namespace: string;
  /** Name of the Secret the values were sealed for. */
  readonly name: string;
  /** Key → sealed value (standard base64 of kubeseal's hybrid ciphertext). */
  readonly encryptedData: Readonly<Record<string, string>>;
}

/** Where synth finds the sealed values of each Secret of each environment. */
export interface SealedValueSource {
  /**
   * The sealed values of Secret `secretName` in `environment`, or `undefined` when none were sealed.
   * Throws a `SealError` (SEAL002) for a file that is there but unreadable.
   */
  valuesOf(environment: string, secretName: string): SealedValues | undefined;
  /** The file holding them, as messages name it (relative to the repository root). */
  fileOf(environment: string, secretName: string): string;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Reads the JSON text of a sealed values file; throws a `SealError` (SEAL002) naming `file` for any other shape. */
export function parseSealedValues(text: string, file: string): SealedValues {
  const refuse = (problem: string): never => {
    throw new SealError({
      rule: SEALED_VALUES_FILE_RULE,
      file,
      problem,
      fix: `restore it from Git (git checkout -- ${file}), or delete it and seal each key again with npm run seal`,
    });
  };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    refuse(`is not valid JSON (${(error as Error).message})`);
  }
  if (!isRecord(parsed)) return refuse('is not a JSON object');
  const { namespace, name, encryptedData, ...rest } = parsed;
  const extra = Object.keys(rest);
  if (extra.length > 0)
    refuse(`has fields ${extra.join(', ')}; it holds only namespace, name and encryptedData`);
  if (typeof namespace !== 'string' || namespace === '') refuse('has no "namespace" string');
  if (typeof name !== 'string' || name === '') refuse('has no "name" string');
  if (!isRecord(encryptedData)) return refuse('has no "encryptedData" object of key → sealed value');
  const notText = Object.keys(encryptedData).filter((key) => typeof encryptedData[key] !== 'string');
  if (notText.length > 0) refuse(`encryptedData.${notText[0]} is not a string`);
  return {
    namespace: namespace as string,
    name: name as string,
    encryptedData: encryptedData as Record<string, string>,
  };
}

/** The file's text: keys sorted, two-space indentation, a final newline, so a change shows as one line. */
export function formatSealedValues(values: SealedValues): string {
  const encryptedData = Object.fromEntries(
    Object.keys(values.encryptedData)
      .sort()
      .map((key) => [key, values.encryptedData[key]]),
  );
  return `${JSON.stringify({ namespace: values.namespace, name: values.name, encryptedData }, null, 2)}\n`;
}

/**
 * The sealed values kept as files below `folder` of the repository at `root`:
 * `<folder>/<environment>/<secret name>.json`.
 */
export function sealedValueFolder(root: string, folder: string): SealedValueSource {
  const fileOf = (environment: string, secretName: string): string =>
    `${folder}/${environment}/${secretName}.json`;
  return {
    fileOf,
    valuesOf: (environment, secretName) => {
      const file = fileOf(environment, secretName);
      const path = join(root, file);
      if (!existsSync(path)) return undefined;
      return parseSealedValues(readFileSync(path, 'utf8'), file);
    },
  };
}

/**
 * Writes `content` to `path` so that a reader sees the old file or the new one, never a part: a
 * temporary file beside it, then a rename. Folders it had to create are removed again if it fails.
 */
export function writeFileAtomically(path: string, content: string): void {
  const created: string[] = [];
  for (let dir = dirname(path); !existsSync(dir); dir = dirname(dir)) created.unshift(dir);
  const temporary = join(dirname(path), `.${process.pid}.${Date.now()}.tmp`);
  try {
    if (created.length > 0) mkdirSync(dirname(path), { recursive: true });
    writeFileSync(temporary, content, { flag: 'wx' });
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    if (created.length > 0) rmSync(created[0], { recursive: true, force: true });
    throw error;
  }
}
