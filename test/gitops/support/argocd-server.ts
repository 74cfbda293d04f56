import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { refresh } from './application';
import { gitopsEnv } from './gitops-env';
import { REPO_ROOT } from '../../helpers/tools';

/**
 * The `argocd` CLI against the stack's argocd-server, with its own config file (`--config <file>`) or a
 * token (`--auth-token <token> --server <server>`) in `session`; throws with its stderr.
 */
export function argocd(session: readonly string[], args: readonly string[]): string {
  const env = gitopsEnv();
  try {
    return execFileSync(`${env.toolsBin}/argocd`, [...args, ...session], {
      encoding: 'utf8',
      // The CLI verifies the server's certificate against the system roots: here, the suite's CA only.
      env: { ...process.env, SSL_CERT_FILE: env.argocdCaFile },
      stdio: ['ignore', 'pipe', 'pipe'],
    }).trim();
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? String(error);
    throw new Error(`argocd ${args.slice(0, 4).join(' ')}: ${stderr.trim()}`, { cause: error });
  }
}

/** A session of the local admin (`argocd login`), as the CLI's flags: `--config <its own file>`. */
export function adminSession(): string[] {
  const env = gitopsEnv();
  const config = ['--config', join(mkdtempSync(join(env.scratch, 'argocd-cli-')), 'config')];
  argocd(config, [
    'login',
    env.argocdServer,
    '--username',
    'admin',
    '--password',
    readFileSync(env.adminPasswordFile, 'utf8').trim(),
  ]);
  return config;
}

/**
 * Ends the running sync operation of Application `name`, if any, as the local admin, then asks for a
 * refresh: a sync that keeps failing retries its revision for minutes before it looks at a newer commit.
 * In the simulation root's syncs always fail on the settings ConfigMaps it may not write
 * (docs/gitops-tests.md), so a test that needs root on a new commit ends its operation first.
 */
export function terminateOperation(name: string): void {
  try {
    argocd(adminSession(), ['app', 'terminate-op', name]);
  } catch (error) {
    if (!/no operation is in progress/i.test(String(error))) throw error;
  }
  refresh(name);
}

/**
 * A token of `project`'s role `ci`, minted through ArgoCD itself as docs/argocd.md tells an
 * administrator: `argocd login` as the local admin, then `argocd proj role create-token <project> ci`.
 */
export function mintCiToken(project = 'production'): string {
  return argocd(adminSession(), [
    'proj',
    'role',
    'create-token',
    project,
    'ci',
    '--token-only',
    '--expires-in',
    '2h',
  ]);
}

/** Status and parsed body of one call of argocd-server's REST API. */
export interface ApiAnswer {
  readonly status: number;
  readonly body: { readonly message?: string; readonly items?: unknown[] | null } & Record<string, unknown>;
}

/** One call of argocd-server's REST API with `token` (none: anonymous), trusting only the suite's CA. */
export function argocdApi(method: string, path: string, token?: string): Promise<ApiAnswer> {
  const env = gitopsEnv();
  const [host, port] = env.argocdServer.split(':');
  return new Promise((done, fail) => {
    const req = request(
      {
        host,
        port: Number(port),
        method,
        path,
        ca: readFileSync(env.argocdCaFile),
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          let body: ApiAnswer['body'];
          try {
            body = JSON.parse(text) as ApiAnswer['body'];
          } catch {
            body = { message: text };
          }
          done({ status: res.statusCode ?? 0, body });
        });
      },
    );
    req.on('error', fail);
    req.end(method === 'GET' || method === 'DELETE' ? undefined : '{}');
  });
}

/** What one run of `release:verify` did. */
export interface VerifyRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly seconds: number;
}

/**
 * Runs `npm run --silent release:verify -- <image> <tag> --timeout <s>` as the release workflow does, with
 * ARGOCD_SERVER and ARGOCD_AUTH_TOKEN set as its step sets them; Node trusts the suite's CA
 * (NODE_EXTRA_CA_CERTS) as a runner trusts the public one of the real server. Asynchronous, so a test can
 * watch the cluster while it waits.
 */
export function releaseVerify(
  image: string,
  tag: string,
  timeoutSeconds: number,
  token: string,
): Promise<VerifyRun> {
  const env = gitopsEnv();
  const started = Date.now();
  return new Promise((done) => {
    execFile(
      'npm',
      ['run', '--silent', 'release:verify', '--', image, tag, '--timeout', String(timeoutSeconds)],
      {
        cwd: REPO_ROOT,
        encoding: 'utf8',
        env: {
          ...process.env,
          ARGOCD_SERVER: env.argocdServer,
          ARGOCD_AUTH_TOKEN: token,
          NODE_EXTRA_CA_CERTS: env.argocdCaFile,
        },
      },
      (error, stdout, stderr) =>
        done({
          status: error ? ((error as { code?: number }).code ?? 1) : 0,
          stdout,
          stderr,
          seconds: (Date.now() - started) / 1000,
        }),
    );
  });
}

/** True when output holds a JavaScript stack trace (a failure must be a message, never a stack). */
export function hasStackTrace(output: string): boolean {
  return /^\s+at \S+ \(|^\s+at \//m.test(output);
}
