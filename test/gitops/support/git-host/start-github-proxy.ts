import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { AddressInfo, Socket } from 'node:net';
import { isAbsolute, join, resolve } from 'node:path';
import { GITHUB_API_HOST, fakeGithubApi } from './fake-github-api';
import { SLACK_HOST, fakeSlack } from './fake-slack';
import { serveWithGitHttpBackend } from './git-http-backend';
import { createHostCertificate } from './host-certificate';

/** The host serving the repository. */
export const GITHUB_HOST = 'github.com';
/** The only hosts the proxy lets a client reach: the repository, and the fakes of two APIs. */
export const SERVED_HOSTS: readonly string[] = [GITHUB_HOST, GITHUB_API_HOST, SLACK_HOST];
const SERVED_TARGETS = SERVED_HOSTS.map((host) => `${host}:443`);
/** The only repository it serves, at its real URL: the generated objects name exactly this. */
export const REPOSITORY_PATH = '/robson/production-infra.git';
export const REPOSITORY_URL = `https://${GITHUB_HOST}${REPOSITORY_PATH}`;
/** The bare repository, inside the state folder: what the stack pushes to (`GITOPS_GIT_REMOTE`). */
export const REMOTE_DIR = 'remote.git';
/** The variables for clients, written once the proxy listens (so its existence means "ready"). */
export const ENV_FILE = 'proxy.env';
/**
 * The fakes' folder, inside the state folder: `slack-tokens/<name>` and `github-token` (the accepted
 * tokens, written by whoever creates the matching Secrets), `pull-requests.json` (what the fake GitHub
 * lists, written by the tests) and `slack-messages.jsonl` (what the fake Slack received).
 */
export const FAKES_DIR = 'fakes';

export interface GithubProxyProps {
  /** The state folder: certificates, the bare repository, `proxy.env`. Created when missing. */
  readonly dir: string;
  /** The loopback port to listen on. @default 0 - a free port */
  readonly port?: number;
  /** Receives one line per request and per refusal. @default - dropped */
  readonly log?: (line: string) => void;
}

export interface GithubProxy {
  readonly port: number;
  /** The bare repository (`<dir>/remote.git`): a `git push` target, no proxy needed. */
  readonly remote: string;
  /** The throw-away CA's certificate: `git -c http.sslCAInfo=<it>`. */
  readonly caFile: string;
  /** An `ARGOCD_TLS_DATA_PATH` folder: one file per served host, each the CA's PEM. */
  readonly argocdTlsDataPath: string;
  /** What a client needs, as written to `<dir>/proxy.env`. */
  readonly env: Readonly<Record<string, string>>;
  /** Stops listening, drops open tunnels and removes `proxy.env`. */
  close(): Promise<void>;
}

/**
 * The variables for clients. `HTTPS_PROXY` is for ArgoCD's components that call out (their Go clients
 * never proxy loopback addresses; `NO_PROXY` says the same to curl-based git).
 */
export function proxyEnv(dir: string, port: number): Record<string, string> {
  const fakes = join(dir, FAKES_DIR);
  return {
    HTTPS_PROXY: `http://127.0.0.1:${port}`,
    NO_PROXY: '127.0.0.1,localhost',
    GITHUB_PROXY_CA_FILE: join(dir, 'tls', 'ca.pem'),
    ARGOCD_TLS_DATA_PATH: join(dir, 'argocd-tls'),
    GITOPS_GIT_REMOTE: join(dir, REMOTE_DIR),
    GITOPS_REPO_URL: REPOSITORY_URL,
    FAKE_SLACK_TOKENS_DIR: join(fakes, 'slack-tokens'),
    FAKE_SLACK_MESSAGES: join(fakes, 'slack-messages.jsonl'),
    FAKE_GITHUB_TOKEN_FILE: join(fakes, 'github-token'),
    FAKE_GITHUB_PULL_REQUESTS: join(fakes, 'pull-requests.json'),
  };
}

/** `KEY=value` lines a shell can source (`set -a; . proxy.env`), values quoted only when they must be. */
export function renderEnvFile(env: Readonly<Record<string, string>>): string {
  const quote = (value: string): string =>
    /^[\w@%+=:,./-]*$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
  return Object.entries(env)
    .map(([key, value]) => `${key}=${quote(value)}\n`)
    .join('');
}

/** Key material must never be committed: a state folder inside a working tree must be ignored by it. */
function refuseTrackedDir(dir: string): void {
  const inTree = spawnSync('git', ['-C', dir, 'rev-parse', '--show-toplevel'], { encoding: 'utf8' });
  if (inTree.status !== 0) return;
  const ignored = spawnSync('git', ['-C', dir, 'check-ignore', '-q', `${dir}/`]);
  if (ignored.status !== 0) {
    throw new Error(
      `--dir ${dir} is inside the Git working tree ${inTree.stdout.trim()} and not ignored: the keys ` +
        'written there could be committed; use a folder outside it (e.g. `mktemp -d`)',
    );
  }
}

/**
 * A bare repository on `main` that serves fetches of any reachable commit, as GitHub does, and takes
 * pushes from a shallow clone (CI checks out with `fetch-depth: 1`; git refuses that push by default).
 */
function initRemote(remote: string): void {
  const git = (...args: string[]): void => {
    const run = spawnSync('git', args, {
      encoding: 'utf8',
      env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1' },
    });
    if (run.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${run.stderr.trim()}`);
  };
  if (!existsSync(join(remote, 'HEAD'))) git('init', '--quiet', '--bare', '--initial-branch=main', remote);
  git('-C', remote, 'config', 'uploadpack.allowReachableSHA1InWant', 'true');
  git('-C', remote, 'config', 'http.receivepack', 'false');
  git('-C', remote, 'config', 'receive.shallowUpdate', 'true');
}

const refuse = (res: ServerResponse, status: number, message: string): void => {
  res.writeHead(status, { 'content-type': 'text/plain', connection: 'close' });
  res.end(`github-proxy: ${message}\n`);
};

/** The repository's part of a path (`/info/refs`), or undefined for any other path. */
export function repositorySubpath(pathname: string): string | undefined {
  if (pathname === REPOSITORY_PATH) return '';
  return pathname.startsWith(`${REPOSITORY_PATH}/`) ? pathname.slice(REPOSITORY_PATH.length) : undefined;
}

/** Whether a request asks to push: refused, ArgoCD only ever fetches. */
export function isPush(pathname: string, query: URLSearchParams): boolean {
  return pathname.endsWith('/git-receive-pack') || query.get('service') === 'git-receive-pack';
}

/**
 * Starts a loopback HTTP proxy that lets clients CONNECT to the `SERVED_HOSTS` only (port 443), terminates
 * TLS there with one certificate from a throw-away CA, and serves
 * `https://github.com/robson/production-infra.git` (read-only, smart HTTP by `git http-backend`) from
 * `<dir>/remote.git`, a FAKE of GitHub's pull-request list on `api.github.com` and a FAKE of Slack's
 * `chat.postMessage` on `slack.com` (files in `<dir>/fakes`). Nothing is rewritten: the clients keep the
 * real URLs and only need the proxy and the CA.
 */
export async function startGithubProxy(props: GithubProxyProps): Promise<GithubProxy> {
  if (!isAbsolute(props.dir)) throw new Error(`--dir must be an absolute path, got "${props.dir}"`);
  const dir = resolve(props.dir);
  const log = props.log ?? (() => undefined);
  mkdirSync(dir, { recursive: true });
  refuseTrackedDir(dir);
  const remote = join(dir, REMOTE_DIR);
  initRemote(remote);
  const certificate = createHostCertificate(join(dir, 'tls'), GITHUB_HOST, ...SERVED_HOSTS.slice(1));
  // ArgoCD looks for `<ARGOCD_TLS_DATA_PATH>/<host>` and trusts the PEM certificates in it.
  const argocdTlsDataPath = join(dir, 'argocd-tls');
  mkdirSync(argocdTlsDataPath, { recursive: true });
  for (const host of SERVED_HOSTS)
    writeFileSync(join(argocdTlsDataPath, host), readFileSync(certificate.caFile));
  const fakes = proxyEnv(dir, 0);
  mkdirSync(fakes.FAKE_SLACK_TOKENS_DIR, { recursive: true, mode: 0o700 });
  const byHost: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {
    [GITHUB_API_HOST]: fakeGithubApi({
      repository: REPOSITORY_PATH.replace(/^\/|\.git$/g, ''),
      tokenFile: fakes.FAKE_GITHUB_TOKEN_FILE,
      pullRequestsFile: fakes.FAKE_GITHUB_PULL_REQUESTS,
      log,
    }),
    [SLACK_HOST]: fakeSlack({
      tokensDir: fakes.FAKE_SLACK_TOKENS_DIR,
      messagesFile: fakes.FAKE_SLACK_MESSAGES,
      log,
    }),
  };

  const github = createTlsServer(
    { key: readFileSync(certificate.keyFile), cert: readFileSync(certificate.certFile) },
    (req: IncomingMessage, res: ServerResponse) => {
      const started = Date.now();
      const url = new URL(req.url ?? '/', REPOSITORY_URL);
      const host = (req.headers.host ?? '').toLowerCase().replace(/:443$/, '');
      res.on('finish', () =>
        log(`${req.method} https://${host}${req.url} ${res.statusCode} ${Date.now() - started}ms`),
      );
      const fake = byHost[host];
      if (fake) return fake(req, res);
      if (host !== GITHUB_HOST)
        return refuse(res, 421, `this tunnel serves ${SERVED_HOSTS.join(', ')} only, not "${host}"`);
      const subpath = repositorySubpath(url.pathname);
      if (subpath === undefined)
        return refuse(res, 404, `only ${REPOSITORY_URL} is served, not ${url.pathname}`);
      if (isPush(url.pathname, url.searchParams)) {
        return refuse(res, 403, `${REPOSITORY_URL} is read-only here: push to GITOPS_GIT_REMOTE (${remote})`);
      }
      serveWithGitHttpBackend(req, res, `/${REMOTE_DIR}${subpath}`, { projectRoot: dir, log });
    },
  );
  github.on('tlsClientError', (error) => log(`TLS handshake with a client failed: ${error.message}`));

  const sockets = new Set<Socket>();
  const proxy: Server = createServer((req, res) => {
    log(`refused ${req.method} ${req.url}: only CONNECT ${SERVED_TARGETS.join(', ')} is served`);
    refuse(res, 403, `only CONNECT ${SERVED_TARGETS.join(', ')} is served, refused ${req.method} ${req.url}`);
  });
  proxy.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  proxy.on('connect', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    socket.on('error', (error) => log(`tunnel to ${req.url}: ${error.message}`));
    if (!SERVED_TARGETS.includes((req.url ?? '').toLowerCase())) {
      log(`refused CONNECT ${req.url}: only ${SERVED_TARGETS.join(', ')} is served`);
      const body = `github-proxy: only CONNECT ${SERVED_TARGETS.join(', ')} is served, refused ${req.url}\n`;
      socket.end(
        `HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\n` +
          `Connection: close\r\n\r\n${body}`,
      );
      return;
    }
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    if (head.length > 0) socket.unshift(head);
    // The TLS server never listens: it takes over the tunnel's socket as if it had accepted it.
    github.emit('connection', socket);
  });
  proxy.on('clientError', (error, socket) => {
    log(`bad request from a client: ${error.message}`);
    socket.destroy();
  });

  const port = await new Promise<number>((done, fail) => {
    proxy.once('error', fail);
    proxy.listen(props.port ?? 0, '127.0.0.1', () => done((proxy.address() as AddressInfo).port));
  });
  const env = proxyEnv(dir, port);
  const envFile = join(dir, ENV_FILE);
  // Written whole, then renamed: a caller polling for the file never reads half of it.
  writeFileSync(`${envFile}.tmp`, renderEnvFile(env));
  renameSync(`${envFile}.tmp`, envFile);
  log(`serving ${REPOSITORY_URL} from ${remote} through http://127.0.0.1:${port}`);

  return {
    port,
    remote,
    caFile: certificate.caFile,
    argocdTlsDataPath,
    env,
    close: () =>
      new Promise<void>((done) => {
        rmSync(envFile, { force: true });
        proxy.close(() => done());
        for (const socket of sockets) socket.destroy();
      }),
  };
}
