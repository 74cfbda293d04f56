/**
 * Reads the "## Admins" section of the README as an admin would follow it, and says where it disagrees
 * with the program: settings written to the committed stack file that do not belong there, variables the
 * program never reads, files that do not exist, a settings table that puts a key in the wrong home.
 */
import { rejectWeakeningKeys } from '../../lib/github';
import { ADMIN_ENVIRONMENT } from '../../stacks/admin-environment';
import { PROJECT, STACK_FILE, STACK_FILE_KEYS, rejectPerAdminKeys } from '../../stacks/settings';

/** The stack the stack file configures: `Pulumi.<stack>.yaml`. */
const STACK = STACK_FILE.replace(/^Pulumi\.(.+)\.yaml$/, '$1');

/** The text from `## Admins` to the next second-level heading; throws when there is none. */
export function adminsSection(readme: string): string {
  const start = readme.search(/^## Admins\s*$/m);
  if (start < 0) throw new Error('README.md has no "## Admins" section');
  const rest = readme.slice(start + 1);
  const next = rest.search(/^## /m);
  return next < 0 ? rest : rest.slice(0, next);
}

/** One command of a code block (or a backticked `pulumi`/`export` in the prose), comments removed. */
export interface AdminCommand {
  readonly line: string;
  readonly words: readonly string[];
}

/** Shell words: split on blanks, single and double quotes removed (the section uses no escapes). */
const wordsOf = (line: string): string[] =>
  (line.match(/'[^']*'|"[^"]*"|\S+/g) ?? []).map((word) => word.replace(/^(['"])(.*)\1$/, '$2'));

/** Every command the section tells an admin to run. */
export function adminCommands(section: string): AdminCommand[] {
  const blocks = [...section.matchAll(/^```[a-z]*\n([\s\S]*?)^```/gm)].flatMap((m) => m[1].split('\n'));
  const inline = [...section.matchAll(/`((?:pulumi|export) [^`]+)`/g)].map((m) => m[1]);
  return [...blocks, ...inline]
    .map((line) => line.replace(/(^|\s)#.*$/, '').trim())
    .filter(Boolean)
    .flatMap((line) => line.split(/\s*&&\s*/))
    .map((line) => ({ line, words: wordsOf(line) }));
}

/** `releaseAppId` → `production-infra:releaseAppId`; `--path 'a[0]'` → `production-infra:a`. */
const fullKey = (key: string): string => {
  const bare = key.replace(/[[.].*$/, '');
  return bare.includes(':') ? bare : `${PROJECT}:${bare}`;
};

/** The key, the flags and the stack of `pulumi config set [flags] <key> [value]`. */
function configSet(words: readonly string[]): { key?: string; flags: string[]; stack?: string } {
  const flags: string[] = [];
  const positional: string[] = [];
  let stack: string | undefined;
  for (let i = 3; i < words.length; i += 1) {
    const word = words[i];
    if (word === '--stack' || word === '-s') stack = words[(i += 1)];
    else if (word.startsWith('--stack=')) stack = word.slice('--stack='.length);
    else if (word.startsWith('-')) flags.push(word);
    else positional.push(word);
  }
  return { key: positional[0], flags, stack };
}

/** Files a command names: repository-relative, with an extension (not a Git ref, a value or a URN). */
const FILE_WORD = /^(?![~/])[\w./-]+\.(?:json|ya?ml|md|ts|sh)$/;

/** Why the section's commands disagree with the program, one line each; empty when they agree. */
export function adminCommandProblems(section: string, exists: (path: string) => boolean): string[] {
  const problems: string[] = [];
  const exported = new Set<string>();
  for (const { line, words } of adminCommands(section)) {
    if (words[0] === 'export') {
      const name = (words[1] ?? '').split('=')[0];
      exported.add(name);
      if (!(name in ADMIN_ENVIRONMENT))
        problems.push(`\`${line}\`: ${name} is read by neither the program nor its providers`);
    }
    if (words[0] === 'pulumi' && words[1] === 'config' && words[2] === 'set') {
      const { key, flags, stack } = configSet(words);
      if (!key) {
        problems.push(`\`${line}\`: names no key`);
        continue;
      }
      const full = fullKey(key);
      if (flags.includes('--secret'))
        problems.push(`\`${line}\`: writes ciphertext into ${STACK_FILE}, which holds no secret`);
      try {
        rejectPerAdminKeys([full]);
        if (full.startsWith(`${PROJECT}:`)) rejectWeakeningKeys([full.slice(PROJECT.length + 1)], PROJECT);
        if (!STACK_FILE_KEYS.includes(full))
          problems.push(`\`${line}\`: ${full} is not a key the program reads from ${STACK_FILE}`);
      } catch (error) {
        problems.push(`\`${line}\`: ${(error as Error).message}`);
      }
      if (stack !== STACK)
        problems.push(
          `\`${line}\`: writes stack ${stack ?? '(the selected one)'}, not ${STACK} (${STACK_FILE})`,
        );
    }
    for (const word of words.slice(1)) {
      const path = word.replace(/^--[\w-]+=/, '');
      if (FILE_WORD.test(path) && !exists(path)) problems.push(`\`${line}\`: ${path} does not exist`);
    }
  }
  for (const [name, variable] of Object.entries(ADMIN_ENVIRONMENT)) {
    if (variable.required && !exported.has(name))
      problems.push(`${name} is required by the program, but the section never exports it`);
  }
  return problems;
}

/** Why the section's settings table disagrees with where the program reads each setting. */
export function settingsTableProblems(section: string): string[] {
  const lines = section.split('\n');
  const cellsOf = (line: string): string[] =>
    line
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim());
  const header = lines.findIndex((line) => {
    const [first, second] = cellsOf(line);
    return first === 'setting' && second === 'where it lives';
  });
  if (header < 0) return ['the section has no table with columns "setting" and "where it lives"'];
  const after = lines.slice(header + 2);
  const end = after.findIndex((line) => !line.startsWith('|'));
  const problems: string[] = [];
  const documented = new Set<string>();
  for (const [settings, home] of (end < 0 ? after : after.slice(0, end)).map(cellsOf)) {
    for (const [, name] of settings.matchAll(/`([^`]+)`/g)) {
      documented.add(name);
      const inShell = /\bshell\b/.test(home);
      const inStackFile = home.includes(`\`${STACK_FILE}\``);
      if (name in ADMIN_ENVIRONMENT) {
        if (!inShell || inStackFile) problems.push(`${name}: read from the shell, documented as "${home}"`);
      } else if (STACK_FILE_KEYS.includes(fullKey(name))) {
        if (!inStackFile || inShell)
          problems.push(`${name}: read from ${STACK_FILE}, documented as "${home}"`);
      } else problems.push(`${name}: neither a key of ${STACK_FILE} nor a variable the program reads`);
    }
  }
  const bare = (key: string): string => (key.startsWith(`${PROJECT}:`) ? key.slice(PROJECT.length + 1) : key);
  for (const name of [...STACK_FILE_KEYS.map(bare), ...Object.keys(ADMIN_ENVIRONMENT)]) {
    if (!documented.has(name)) problems.push(`${name}: the table does not say where it lives`);
  }
  return problems;
}
