import { readFileSync } from 'node:fs';
import {
  CommandSpec,
  SEAL_INPUT_RULE,
  SealError,
  UsageError,
  asksForHelp,
  parseCommandLine,
  runCommand,
  usageOf,
} from '../lib';
import { SEALED_SECRETS_DIR, SEALING_CERTIFICATES_DIR } from '../charts/paths';

const SPEC: CommandSpec = {
  name: 'seal',
  description:
    "Seals the value of one key of a service's secret for one environment, read from standard input " +
    "(never from the command line), with the certificate of that environment's cluster " +
    `(${SEALING_CERTIFICATES_DIR}/<cluster>.pem), as kubeseal does with strict scope: only the ` +
    `controller of that cluster can decrypt it, and only as the Secret <service>-<secret> of the ` +
    `environment's namespace. Writes it into ${SEALED_SECRETS_DIR}/<environment>/<service>-<secret>.json, ` +
    'keeping the other keys, atomically; on any error nothing is written. The secret "tls" of a service ' +
    'with an ingress is its certificate (keys tls.crt and tls.key, the Secret the Ingress names); the ' +
    'service "argocd" names ArgoCD\'s own Secrets (charts/argocd-secrets.ts, no environment), sealed ' +
    `into ${SEALED_SECRETS_DIR}/argocd/<name>.json. One trailing line end of the ` +
    'value (echo adds one) is removed, and said so, unless --keep-newline. Then run npm run synth: it writes ' +
    "the SealedSecret into the environment's overlay (ArgoCD's into infra/argocd/secrets/).",
  arguments: [
    { name: 'service', description: "a service of charts/services.ts, or argocd for ArgoCD's own Secrets" },
    {
      name: 'secret',
      description: "one of its secrets (secrets[].name, or tls), or one of ArgoCD's by name",
    },
    { name: 'key', description: "one of that secret's keys" },
  ],
  options: [
    { name: 'environment', value: 'name', description: 'the environment the value is for (default: prod)' },
    { name: 'keep-newline', description: 'keep a trailing line end of the value' },
    {
      name: 'certificate',
      value: 'pem file',
      description: "seal with this certificate instead of the committed one of the environment's cluster",
    },
  ],
  exitStatus: { 0: 'sealed and written', 1: 'refused, nothing written', 2: 'bad usage, nothing written' },
  examples: [
    'printf \'%s\' "$DATABASE_PASSWORD" | npm run seal -- backend database password --environment prod',
    'npm run seal -- backend database ca.crt --keep-newline < ca.crt',
    'npm run seal -- backend tls tls.key --keep-newline < api.key',
    'printf \'%s\' "$SLACK_BOT_TOKEN" | npm run seal -- argocd argocd-notifications-secret slack-token',
  ],
};

/** The spec with room for more arguments: to tell a value given on the command line from a miscount. */
const WITH_EXTRA: CommandSpec = {
  ...SPEC,
  arguments: [...(SPEC.arguments ?? []), { name: 'value', description: '', variadic: true }],
};

const argv = process.argv.slice(2);
/**
 * What is wrong with the command line, said without repeating it: `extra` when it holds more than the
 * three arguments (a value typed there), `unreadable` when a word that starts with "-" is not an option's
 * name (a value such as "-Zq8v...", or `--keep-newline=<value>`): the parser's own message would quote it,
 * and it may be the secret. An unknown option that is a plain name (`--no-such-option`) is the parser's.
 */
const OPTION_NAME = /^--?[a-z][a-z-]*$/;
const problem = ((): 'extra' | 'unreadable' | undefined => {
  if (asksForHelp(argv)) return undefined;
  try {
    parseCommandLine(SPEC, argv);
    return undefined;
  } catch {
    if (argv.some((word) => word.startsWith('-') && !OPTION_NAME.test(word))) return 'unreadable';
    try {
      return parseCommandLine(WITH_EXTRA, argv).args.length > (SPEC.arguments ?? []).length
        ? 'extra'
        : undefined;
    } catch {
      return undefined;
    }
  }
})();

if (problem !== undefined) {
  process.stderr.write(
    `seal: [${SEAL_INPUT_RULE.id}] command line: ` +
      (problem === 'extra'
        ? 'it holds more than <service> <secret> <key>, and a value is read from standard input only, never from the command line (it would stay in your shell history and in the process list); '
        : 'it holds an option or argument seal does not take, not repeated here since it may be a value; ') +
      'nothing was written. ' +
      `Fix: pipe the value in, e.g. printf '%s' "$VALUE" | npm run seal -- <service> <secret> <key>\n\n${usageOf(SPEC)}`,
  );
  process.exitCode = 2;
} else {
  runCommand(SPEC, async (commandLine) => {
    const [service, secret, key] = commandLine.args;
    if (process.stdin.isTTY) {
      throw new UsageError(
        `[${SEAL_INPUT_RULE.id}] standard input: it is a terminal, where the value would be echoed on screen. ` +
          'Fix: pipe it in (printf \'%s\' "$VALUE" | npm run seal -- ...) or redirect a file (< file)',
      );
    }
    try {
      // Loaded here, not at import: --help works, and an error in the charts is reported like any other.
      const { sealIntoRepository } = await import('../charts/sealed-values');
      const result = sealIntoRepository({
        root: process.cwd(),
        service,
        secret,
        key,
        environment: commandLine.value('environment'),
        value: readFileSync(0),
        keepNewline: commandLine.has('keep-newline'),
        certificate: commandLine.value('certificate'),
      });
      if (result.removedLineEnd) {
        console.error(
          'seal: removed the one trailing line end of the value (echo and most editors add one); ' +
            'pass --keep-newline to keep it',
        );
      }
      console.log(
        `seal: ${result.replaced ? 'replaced' : 'sealed'} key "${key}" of Secret ${result.namespace}/${result.secretName} ` +
          `(${result.environment === undefined ? "ArgoCD's" : `environment ${result.environment}`}) into ${result.file}, with ${result.certificate} ` +
          `(${result.fingerprint}, valid until ${result.notAfter.toISOString().slice(0, 10)})`,
      );
      console.log(`next: npm run synth, then commit ${result.file} with the files synth changes`);
      return 0;
    } catch (error) {
      if (error instanceof UsageError) throw error;
      const reason = error instanceof SealError ? error.message : `unexpected error: ${String(error)}`;
      console.error(`seal refused; nothing was written.\n${reason}`);
      return 1;
    }
  });
}
