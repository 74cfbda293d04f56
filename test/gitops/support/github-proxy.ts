import { resolve } from 'node:path';
import { CommandSpec, UsageError, runCommand } from '../../../lib';
import {
  ENV_FILE,
  FAKES_DIR,
  REPOSITORY_URL,
  renderEnvFile,
  startGithubProxy,
} from './git-host/start-github-proxy';

const SPEC: CommandSpec = {
  name: 'github-proxy',
  invocation: 'tsx test/gitops/support/github-proxy.ts',
  description:
    `A loopback github.com for the GitOps suite: an HTTP proxy that accepts CONNECT to github.com, api.github.com and slack.com (port 443) only ` +
    `and serves ${REPOSITORY_URL} read-only from <dir>/remote.git (push there directly), a FAKE of GitHub's ` +
    `pull-request list and a FAKE of Slack's chat.postMessage (files in <dir>/${FAKES_DIR}), with a ` +
    `throw-away CA. Once it listens it writes <dir>/${ENV_FILE} (and prints it): HTTPS_PROXY, the CA file, ` +
    "ARGOCD_TLS_DATA_PATH, GITOPS_GIT_REMOTE and the fakes' files. Logs go to stderr. SIGTERM or Ctrl-C stops it (exit 0).",
  options: [
    { name: 'dir', value: 'state dir', description: 'folder for keys, the repository and proxy.env' },
    { name: 'port', value: 'port', description: 'loopback port to listen on (default: a free one)' },
  ],
  exitStatus: { 0: 'stopped by SIGTERM/SIGINT', 1: 'failed to start', 2: 'bad usage' },
  examples: ['tsx test/gitops/support/github-proxy.ts --dir "$(mktemp -d)"'],
};

function portOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`--port must be a number from 0 to 65535, got "${value}"`);
  }
  return port;
}

runCommand(SPEC, async (commandLine) => {
  const dir = commandLine.value('dir');
  if (!dir) throw new UsageError('--dir <state dir> is required');
  const stopped = new Promise<string>((done) => {
    process.once('SIGTERM', () => done('SIGTERM'));
    process.once('SIGINT', () => done('SIGINT'));
  });
  const proxy = await startGithubProxy({
    dir: resolve(dir),
    port: portOf(commandLine.value('port')),
    log: (line) => process.stderr.write(`[github-proxy] ${line}\n`),
  });
  process.stdout.write(renderEnvFile(proxy.env));
  const signal = await stopped;
  await proxy.close();
  process.stderr.write(`[github-proxy] stopped by ${signal}\n`);
  return 0;
});
