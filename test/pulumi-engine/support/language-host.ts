/**
 * A minimal Node.js language host for the engine tests, started by the Pulumi CLI as the plugin
 * `pulumi-language-nodejs` (bin/pulumi-language-nodejs on PATH). Upstream's host
 * (github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3) is refused by the Go module proxy,
 * so this one does the part of its job that `preview`, `up` and `import` need, the same way: for each
 * Run it starts `node <runtime.options.nodeargs> @pulumi/pulumi/cmd/run ... <entry point>` in the
 * program directory, with the configuration in PULUMI_CONFIG. The program is therefore loaded by the
 * SDK's own launcher, under `--import tsx`, from the project's Pulumi.yaml, as on an admin's machine.
 *
 * Not implemented (the CLI answers these itself, or they are not used by the tests): dependency
 * installation, `pulumi about`, templates, code generation, policy packs. The SDK packages' plugins are
 * not listed either: the engine loads each provider when the program registers it.
 */
import * as grpc from '@grpc/grpc-js';
import { spawn } from 'node:child_process';
import { LanguageRuntimeService } from '@pulumi/pulumi/proto/language_grpc_pb';
import * as langproto from '@pulumi/pulumi/proto/language_pb';
import * as plugproto from '@pulumi/pulumi/proto/plugin_pb';
import { version as sdkVersion } from '@pulumi/pulumi/package.json';

/** The exit code by which @pulumi/pulumi/cmd/run says it has already reported the error to the engine. */
const ERROR_ALREADY_REPORTED = 32;

/** The engine's address: the last argument that is not a flag (`-root=…`, `-tracing …` come first). */
export function engineAddressOf(args: readonly string[]): string {
  const positional = args.filter((arg, index) => !arg.startsWith('-') && args[index - 1] !== '-tracing');
  const address = positional.at(-1);
  if (!address) throw new Error(`pulumi-language-nodejs: no engine address in arguments ${args.join(' ')}`);
  return address;
}

/** The runtime options of Pulumi.yaml (`runtime.options`), as the engine passes them. */
interface RuntimeOptions {
  readonly nodeargs?: string;
  readonly typescript?: boolean;
}

/** What to start for one Run: node's arguments, its working directory and the variables to add. */
export interface ProgramCommand {
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
}

/** The command upstream's host would start for this Run request. */
export function programCommand(request: langproto.RunRequest, engineAddress: string): ProgramCommand {
  const info = request.getInfo();
  const programDirectory = info?.getProgramDirectory() || request.getPwd();
  const options = (info?.getOptions()?.toJavaScript() ?? {}) as RuntimeOptions;
  const runner = require.resolve('@pulumi/pulumi/cmd/run', { paths: [programDirectory] });
  const flag = (name: string, value: string | number): string[] =>
    value === '' || value === 0 ? [] : [`--${name}=${value}`];
  const args = [
    ...(options.nodeargs ?? '').split(/\s+/).filter(Boolean),
    runner,
    ...flag('monitor', request.getMonitorAddress()),
    ...flag('engine', engineAddress),
    ...flag('organization', request.getOrganization()),
    ...flag('project', request.getProject()),
    ...flag('stack', request.getStack()),
    ...flag('pwd', programDirectory),
    ...flag('root-directory', info?.getRootDirectory() ?? ''),
    ...flag('parallel', request.getParallel()),
    ...(request.getDryrun() ? ['--dry-run'] : []),
    info?.getEntryPoint() || '.',
    ...request.getArgsList(),
  ];
  return {
    args,
    cwd: programDirectory,
    env: {
      PULUMI_CONFIG: JSON.stringify(Object.fromEntries(request.getConfigMap().toArray())),
      PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(request.getConfigsecretkeysList()),
      PULUMI_NODEJS_TYPESCRIPT: String(options.typescript ?? true),
    },
  };
}

function run(engineAddress: string): grpc.handleUnaryCall<langproto.RunRequest, langproto.RunResponse> {
  return (call, callback) => {
    const command = programCommand(call.request, engineAddress);
    // The program's output is the host's: the engine shows it as the program's.
    const child = spawn(process.execPath, command.args, {
      cwd: command.cwd,
      env: { ...process.env, ...command.env },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const response = new langproto.RunResponse();
    child.on('error', (error) => callback(null, response.setError(`could not start node: ${error.message}`)));
    child.on('exit', (code, signal) => {
      if (code === 0) callback(null, response);
      else if (code === ERROR_ALREADY_REPORTED) callback(null, response.setBail(true));
      else callback(null, response.setError(`the program exited with ${signal ?? `code ${code}`}`));
    });
  };
}

async function serve(args: readonly string[]): Promise<void> {
  const engineAddress = engineAddressOf(args);
  const server = new grpc.Server();
  server.addService(LanguageRuntimeService, {
    handshake: (_call: unknown, callback: grpc.sendUnaryData<langproto.LanguageHandshakeResponse>) =>
      callback(null, new langproto.LanguageHandshakeResponse()),
    getRequiredPlugins: (
      _call: unknown,
      callback: grpc.sendUnaryData<langproto.GetRequiredPluginsResponse>,
    ) => callback(null, new langproto.GetRequiredPluginsResponse()),
    getRequiredPackages: (
      _call: unknown,
      callback: grpc.sendUnaryData<langproto.GetRequiredPackagesResponse>,
    ) => callback(null, new langproto.GetRequiredPackagesResponse()),
    getPluginInfo: (_call: unknown, callback: grpc.sendUnaryData<plugproto.PluginInfo>) =>
      callback(null, new plugproto.PluginInfo().setVersion(sdkVersion)),
    run: run(engineAddress),
  } as grpc.UntypedServiceImplementation);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  // The engine reads the port from the first line of stdout.
  process.stdout.write(`${port}\n`);
}

if (require.main === module) {
  serve(process.argv.slice(2)).catch((error: unknown) => {
    console.error(`pulumi-language-nodejs: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
