import {
  CommandSpec,
  UsageError,
  asksForHelp,
  parseCommandLine,
  runCommandLine,
  synopsisOf,
  usageOf,
} from '../../../lib';

const release: CommandSpec = {
  name: 'release',
  description: 'Pins an image.',
  arguments: [
    { name: 'image', description: 'a catalog image' },
    { name: 'tag', description: 'a sha- tag' },
  ],
  options: [{ name: 'timeout', value: 'seconds', description: 'how long' }],
  environment: [{ name: 'TOKEN', value: 'token', description: 'a token' }],
  exitStatus: { 0: 'released', 1: 'failed', 2: 'bad usage' },
  examples: ['npm run release -- backend sha-0a1b2c3'],
};
const synth: CommandSpec = {
  name: 'synth',
  description: 'Writes infra/.',
  options: [{ name: 'check', description: 'write nothing' }],
  exitStatus: { 0: 'written', 2: 'bad usage' },
};
const policy: CommandSpec = {
  name: 'policy',
  description: 'Checks files.',
  arguments: [{ name: 'file', description: 'a file', variadic: true }],
  exitStatus: { 0: 'clean' },
};

/** Runs `spec` in process and collects what it prints. */
async function run(spec: CommandSpec, argv: string[], main: () => number = () => 0) {
  let stdout = '';
  let stderr = '';
  const status = await runCommandLine(spec, argv, main, {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
  });
  return { status, stdout, stderr };
}

describe('parseCommandLine', () => {
  test('takes positional arguments and options, as --name value or --name=value', () => {
    // when
    const spaced = parseCommandLine(release, ['backend', '--timeout', '30', 'sha-0a1b2c3']);
    const joined = parseCommandLine(release, ['--timeout=30', 'backend', 'sha-0a1b2c3']);
    // then
    for (const line of [spaced, joined]) {
      expect(line.args).toEqual(['backend', 'sha-0a1b2c3']);
      expect(line.value('timeout')).toBe('30');
    }
    expect(parseCommandLine(synth, ['--check']).has('check')).toBe(true);
    expect(parseCommandLine(synth, []).has('check')).toBe(false);
  });

  test('takes everything after -- as positional, even what looks like an option', () => {
    expect(parseCommandLine(policy, ['--', '--odd-name.yaml', '-h']).args).toEqual(['--odd-name.yaml', '-h']);
  });

  test.each<[string, CommandSpec, string[], RegExp]>([
    [
      'fails on an unknown option, naming the known ones',
      synth,
      ['--chek'],
      /unknown option --chek; it takes --check/,
    ],
    ['fails on an unknown short option', release, ['-x', 'a', 'b'], /unknown option -x/],
    ['fails on a value given to a switch', synth, ['--check=yes'], /--check takes no value, got "yes"/],
    [
      'fails on an option without its value',
      release,
      ['a', 'b', '--timeout'],
      /--timeout needs a value: --timeout <seconds>/,
    ],
    [
      'fails on an option followed by another option',
      release,
      ['a', 'b', '--timeout', '--x'],
      /--timeout needs a value/,
    ],
    [
      'fails on an option given twice',
      release,
      ['a', 'b', '--timeout=1', '--timeout=2'],
      /--timeout is given twice/,
    ],
    ['fails on too few arguments', release, ['backend'], /expected 2 arguments \(<image> <tag>\), got 1/],
    [
      'fails on too many arguments',
      release,
      ['a', 'b', 'c'],
      /expected 2 arguments \(<image> <tag>\), got 3/,
    ],
    [
      'fails on an argument to a command that takes none',
      synth,
      ['infra'],
      /takes no arguments, got "infra"/,
    ],
    [
      'fails on no value for a variadic argument',
      policy,
      [],
      /expected at least 1 argument \(<file>\.\.\.\), got 0/,
    ],
    [
      'fails on an option of a command that takes none',
      policy,
      ['--x', 'f'],
      /unknown option --x; it takes no option besides --help/,
    ],
  ])('%s', (_name, spec, argv, message) => {
    expect(() => parseCommandLine(spec, argv)).toThrow(UsageError);
    expect(() => parseCommandLine(spec, argv)).toThrow(message);
  });
});

describe('usage', () => {
  test('writes the synopsis from the spec: variables, arguments, options', () => {
    expect(synopsisOf(release)).toBe(
      'usage: TOKEN=<token> npm run release -- <image> <tag> [--timeout <seconds>]',
    );
    expect(synopsisOf(synth)).toBe('usage: npm run synth [-- --check]');
    expect(synopsisOf(policy)).toBe('usage: npm run policy -- <file>...');
    expect(
      synopsisOf({ ...synth, options: [...(synth.options ?? []), { name: 'x', description: 'x' }] }),
    ).toBe('usage: npm run synth [-- [--check] [--x]]');
    expect(synopsisOf({ ...synth, options: [], invocation: 'npm run --silent synth' })).toBe(
      'usage: npm run --silent synth',
    );
  });

  test('lists arguments, options with --help, environment, exit status and examples', () => {
    // when
    const usage = usageOf(release);
    // then
    expect(usage).toContain('\n  <image>  a catalog image\n');
    expect(usage).toContain(
      '\n  --timeout <seconds>  how long\n  -h, --help           print this help and exit\n',
    );
    expect(usage).toContain('\nenvironment:\n  TOKEN  a token\n');
    expect(usage).toContain('\nexit status: 0 released; 1 failed; 2 bad usage\n');
    expect(usage).toContain('\nexamples:\n  npm run release -- backend sha-0a1b2c3\n');
  });
});

describe('runCommandLine', () => {
  test('prints the usage to stdout and exits 0 for -h or --help, whatever else is given, without running', async () => {
    let ran = false;
    for (const argv of [['--help'], ['-h'], ['backend', '--bogus', '--help']]) {
      // when
      const result = await run(release, argv, () => {
        ran = true;
        return 0;
      });
      // then
      expect(result).toEqual({ status: 0, stdout: usageOf(release), stderr: '' });
    }
    expect(ran).toBe(false);
    expect(asksForHelp(['--', '--help'])).toBe(false);
  });

  test('fails with exit 2, the problem and the usage on stderr for a command line that does not fit', async () => {
    // when
    const result = await run(synth, ['--bogus']);
    // then
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`synth: unknown option --bogus; it takes --check\n\n${usageOf(synth)}`);
  });

  test('fails with exit 2 and the usage when the command throws a UsageError', async () => {
    // when
    const result = await run(synth, [], () => {
      throw new UsageError('TOKEN must be set');
    });
    // then
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^synth: TOKEN must be set\n\nusage: npm run synth/);
  });

  test('fails with exit 1 and one line, no stack trace, when the command throws anything else', async () => {
    // when
    const result = await run(synth, [], () => {
      throw new Error('cannot read charts/image-pins.json');
    });
    // then
    expect(result).toEqual({
      status: 1,
      stdout: '',
      stderr: 'synth failed: cannot read charts/image-pins.json\n',
    });
  });

  test('returns the status of the command, also an asynchronous one', async () => {
    expect((await run(synth, ['--check'], () => 1)).status).toBe(1);
    const status = await runCommandLine(synth, [], async () => 3, { stdout: () => {}, stderr: () => {} });
    expect(status).toBe(3);
  });
});
