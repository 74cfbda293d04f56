import { CommandLine, CommandSpec, UsageError, asksForHelp, parseCommandLine, usageOf } from './command-line';

/** Where a command writes. @default - process.stdout and process.stderr */
export interface CommandOutput {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

const processOutput: CommandOutput = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/**
 * Runs `main` on a command line checked against `spec` and resolves to the exit status: `-h`/`--help`
 * prints the usage to stdout (0); a command line that does not fit, or a `UsageError` thrown by `main`
 * (a bad value, a missing variable), prints the problem and the usage to stderr (2); any other error
 * prints `<name> failed: <message>` to stderr (1), never a stack trace.
 */
export async function runCommandLine(
  spec: CommandSpec,
  argv: readonly string[],
  main: (commandLine: CommandLine) => number | Promise<number>,
  output: CommandOutput = processOutput,
): Promise<number> {
  if (asksForHelp(argv)) {
    output.stdout(usageOf(spec));
    return 0;
  }
  try {
    return await main(parseCommandLine(spec, argv));
  } catch (error) {
    if (error instanceof UsageError) {
      output.stderr(`${spec.name}: ${error.message}\n\n${usageOf(spec)}`);
      return 2;
    }
    output.stderr(`${spec.name} failed: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

/** The entry point of a `bin/` command: `runCommandLine` on the process's arguments, its result the exit code. */
export function runCommand(
  spec: CommandSpec,
  main: (commandLine: CommandLine) => number | Promise<number>,
): void {
  void runCommandLine(spec, process.argv.slice(2), main).then((status) => (process.exitCode = status));
}
