import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ProjectConfig, stackFileConfig } from '../lib/pulumi/stack-config';
import { Identities, IdentitySetting, PersonaDeclaration } from './persona-declaration';
import { PERSONAS } from './personas';

export type { Identities };

/** The Pulumi project (`name:` in Pulumi.yaml), the namespace of its configuration keys. */
export const PULUMI_PROJECT = 'production-infra';
/** The production stack's configuration, committed: where admins change who is who. */
export const PROD_STACK_FILE = 'Pulumi.prod.yaml';
/** The repository's root, whatever the working directory of the process. */
const REPOSITORY_ROOT = join(__dirname, '..');

/** Every identity setting of `personas`, in table order; throws when two personas claim one key. */
export function identitySettings(personas: readonly PersonaDeclaration[] = PERSONAS): IdentitySetting[] {
  const settings = personas.flatMap((persona) => persona.identities);
  const keys = settings.map((setting) => setting.key);
  const twice = keys.find((key, index) => keys.indexOf(key) !== index);
  if (twice !== undefined) {
    throw new Error(
      `identity key "${twice}" is declared by two personas in charts/personas.ts; give each name one key`,
    );
  }
  return settings;
}

/** The names used when the stack file sets none, by key. */
export function identityDefaults(personas: readonly PersonaDeclaration[] = PERSONAS): Identities {
  return Object.fromEntries(identitySettings(personas).map((setting) => [setting.key, setting.default]));
}

/** The defaults of the real table; Pulumi.prod.yaml writes them out as the example. */
export const IDENTITY_DEFAULTS: Identities = identityDefaults();

/**
 * The identities of stack configuration `values` (`<project>:<key>` → value): each key of the table,
 * its default when unset; an empty value, or one a setting's check refuses, throws naming the key.
 */
export function identitiesOf(
  values: Readonly<Record<string, string>>,
  personas: readonly PersonaDeclaration[] = PERSONAS,
): Identities {
  const config = new ProjectConfig(values, PULUMI_PROJECT);
  return Object.fromEntries(
    identitySettings(personas).map((setting) => {
      const value = config.string(setting.key, setting.default);
      setting.check?.(value, `${PULUMI_PROJECT}:${setting.key}`);
      return [setting.key, value];
    }),
  );
}

const read = new Map<string, Record<string, string>>();

/**
 * THE reader of the committed stack file: its configuration as the engine would pass it
 * (`<namespace>:<key>` → value), read from the repository at `root` (by default this one, whatever the
 * working directory) once per process. Every caller outside the Pulumi engine comes through here.
 */
export function committedStackValues(root: string = REPOSITORY_ROOT): Record<string, string> {
  const path = join(root, PROD_STACK_FILE);
  let values = read.get(path);
  if (values === undefined) {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      throw new Error(
        `cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): the committed stack file holds who is who; restore it from Git`,
        { cause: error },
      );
    }
    values = stackFileConfig(text, PROD_STACK_FILE);
    read.set(path, values);
  }
  return { ...values };
}

/** The identities of the committed production stack file of the repository at `root`. */
export function committedIdentities(root: string = REPOSITORY_ROOT): Identities {
  return identitiesOf(committedStackValues(root));
}
