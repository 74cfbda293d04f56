/** A positional argument of a command. */
export interface CommandArgument {
  /** Its name in the usage: `image` is shown as `<image>`. */
  readonly name: string;
  /** What to pass, one line. */
  readonly description: string;
  /** Takes one or more values (`<file>...`); only the last argument may. @default false */
  readonly variadic?: boolean;
}

/** An option of a command, always optional: `--name` (a switch) or `--name <value>`. */
export interface CommandOption {
  /** Long name without the dashes: `base` for `--base`. */
  readonly name: string;
  /** Name of its value in the usage: `git ref` is shown as `--base <git ref>`. @default - a switch, no value */
  readonly value?: string;
  /** What it does, one line. */
  readonly description: string;
}

/** An environment variable a command reads, shown before the invocation in the usage line. */
export interface CommandVariable {
  /** `ARGOCD_SERVER`. */
  readonly name: string;
  /** Name of its value in the usage: `host` is shown as `ARGOCD_SERVER=<host>`. */
  readonly value: string;
  readonly description: string;
  /** Shown in the usage line (the caller must set it), not only in the list. @default true */
  readonly required?: boolean;
}

/** What a command takes and does: the single source of its usage text and of its argument checks. */
export interface CommandSpec {
  /** The npm script (`release:publish`); every message of the command starts with it. */
  readonly name: string;
  /** The words that run it, first in the usage line. @default - `npm run <name>` */
  readonly invocation?: string;
  /** What it does, a short paragraph. */
  readonly description: string;
  /** Positional arguments, all required. @default - none */
  readonly arguments?: readonly CommandArgument[];
  /** Options besides `-h`/`--help`, which every command has. @default - none */
  readonly options?: readonly CommandOption[];
  /** Environment variables it reads. @default - none */
  readonly environment?: readonly CommandVariable[];
  /** Exit status → meaning, e.g. `{ 0: 'released', 1: 'refused or failed', 2: 'bad usage' }`. */
  readonly exitStatus: Readonly<Record<number, string>>;
  /** Example invocations. @default - none */
  readonly examples?: readonly string[];
}

/** A command line that does not fit the command's spec: exit 2 with the usage. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A command line checked against its spec. */
export class CommandLine {
  constructor(
    /** The positional arguments, in order. */
    public readonly args: readonly string[],
    private readonly given: ReadonlyMap<string, string | undefined>,
  ) {}

  /** True when the switch or option `--name` was given. */
  has(name: string): boolean {
    return this.given.has(name);
  }

  /** The value of `--name <value>`, when given. */
  value(name: string): string | undefined {
    return this.given.get(name);
  }
}

const HELP = ['-h', '--help'];

/** True when `-h` or `--help` comes before any `--`: help wins over every other check. */
export function asksForHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).some((arg) => HELP.includes(arg));
}

const shown = (argument: CommandArgument): string => `<${argument.name}>${argument.variadic ? '...' : ''}`;
const optionShown = (option: CommandOption): string =>
  `--${option.name}${option.value ? ` <${option.value}>` : ''}`;

/** `usage: npm run diff [-- --base <git ref>]`: the one-line synopsis. */
export function synopsisOf(spec: CommandSpec): string {
  const variables = (spec.environment ?? [])
    .filter((variable) => variable.required ?? true)
    .map((variable) => `${variable.name}=<${variable.value}> `)
    .join('');
  const invocation = spec.invocation ?? `npm run ${spec.name}`;
  const args = (spec.arguments ?? []).map(shown);
  const options = (spec.options ?? []).map(optionShown);
  let rest = '';
  if (args.length > 0) rest = ` -- ${[...args, ...options.map((option) => `[${option}]`)].join(' ')}`;
  else if (options.length === 1) rest = ` [-- ${options[0]}]`;
  else if (options.length > 1) rest = ` [-- ${options.map((option) => `[${option}]`).join(' ')}]`;
  return `usage: ${variables}${invocation}${rest}`;
}

/** Two columns, the first padded to the widest entry. */
function table(rows: readonly (readonly [string, string])[]): string[] {
  const width = Math.max(...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`);
}

/** The full help: synopsis, description, arguments, options, environment, exit status, examples. */
export function usageOf(spec: CommandSpec): string {
  const lines = [synopsisOf(spec), '', spec.description];
  const args = spec.arguments ?? [];
  if (args.length > 0) {
    lines.push('', 'arguments:', ...table(args.map((argument) => [shown(argument), argument.description])));
  }
  const options: [string, string][] = [
    ...(spec.options ?? []).map((option) => [optionShown(option), option.description] as [string, string]),
    ['-h, --help', 'print this help and exit'],
  ];
  lines.push('', 'options:', ...table(options));
  const environment = spec.environment ?? [];
  if (environment.length > 0) {
    lines.push(
      '',
      'environment:',
      ...table(environment.map((variable) => [variable.name, variable.description])),
    );
  }
  const statuses = Object.entries(spec.exitStatus).map(([status, meaning]) => `${status} ${meaning}`);
  lines.push('', `exit status: ${statuses.join('; ')}`);
  const examples = spec.examples ?? [];
  if (examples.length > 0) lines.push('', 'examples:', ...examples.map((example) => `  ${example}`));
  return `${lines.join('\n')}\n`;
}

/** The option `arg` (`--name` or `--name=value`) names, or a usage error for one the spec lacks. */
function optionOf(spec: CommandSpec, arg: string): { option: CommandOption; inline?: string } {
  const equals = arg.indexOf('=');
  const name = arg.slice(2, equals < 0 ? undefined : equals);
  const option = arg.startsWith('--') ? (spec.options ?? []).find((known) => known.name === name) : undefined;
  if (!option) {
    const known = (spec.options ?? []).map(optionShown);
    throw new UsageError(
      `unknown option ${equals < 0 ? arg : arg.slice(0, equals)}` +
        (known.length > 0 ? `; it takes ${known.join(', ')}` : '; it takes no option besides --help'),
    );
  }
  return equals < 0 ? { option } : { option, inline: arg.slice(equals + 1) };
}

/** Checks the number of positional arguments against the spec. */
function checkArgumentCount(spec: CommandSpec, args: readonly string[]): void {
  const wanted = spec.arguments ?? [];
  const variadic = wanted.length > 0 && wanted[wanted.length - 1].variadic === true;
  const names = wanted.map(shown).join(' ');
  if (wanted.length === 0 && args.length > 0) {
    throw new UsageError(`takes no arguments, got ${args.map((arg) => JSON.stringify(arg)).join(' ')}`);
  }
  if (variadic ? args.length < wanted.length : args.length !== wanted.length) {
    const count = variadic ? `at least ${wanted.length}` : `${wanted.length}`;
    throw new UsageError(
      `expected ${count} argument${wanted.length === 1 ? '' : 's'} (${names}), got ${args.length}`,
    );
  }
}

/**
 * Checks `argv` against `spec`: known options only (`--name value` or `--name=value`, each at most
 * once), `--` ends the options, and the exact number of positional arguments. Throws a `UsageError`
 * naming the first problem. `-h`/`--help` is not handled here: see `asksForHelp`.
 */
export function parseCommandLine(spec: CommandSpec, argv: readonly string[]): CommandLine {
  const args: string[] = [];
  const given = new Map<string, string | undefined>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      args.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      args.push(arg);
      continue;
    }
    const { option, inline } = optionOf(spec, arg);
    if (given.has(option.name)) throw new UsageError(`--${option.name} is given twice`);
    if (!option.value) {
      if (inline !== undefined) throw new UsageError(`--${option.name} takes no value, got "${inline}"`);
      given.set(option.name, undefined);
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined || value === '' || (inline === undefined && value.startsWith('--'))) {
      throw new UsageError(`--${option.name} needs a value: --${option.name} <${option.value}>`);
    }
    given.set(option.name, value);
  }
  checkArgumentCount(spec, args);
  return new CommandLine(args, given);
}
