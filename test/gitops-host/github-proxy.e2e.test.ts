import { ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { X509Certificate, createPrivateKey, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect as tlsConnect } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCgiHead } from '../gitops/support/git-host/git-http-backend';
import { createHostCertificate } from '../gitops/support/git-host/host-certificate';
import {
  ENV_FILE,
  GithubProxy,
  REPOSITORY_URL,
  isPush,
  renderEnvFile,
  repositorySubpath,
  startGithubProxy,
} from '../gitops/support/git-host/start-github-proxy';
import { GIT_ENV } from '../helpers/git-repo';
import { REPO_ROOT } from '../helpers/tools';

// The machine's own CA bundle, proxy and TLS settings must not decide the outcome: each test says what
// the client trusts and which proxy it uses. (GIT_SSL_CAINFO would override `http.sslCAInfo`.)
const CLIENT_ENV: NodeJS.ProcessEnv = Object.fromEntries(
  Object.entries({ ...process.env, ...GIT_ENV }).filter(
    ([name]) => !/^(GIT_SSL_\w+|https?_proxy|all_proxy|no_proxy)$/i.test(name),
  ),
);

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/** Runs git without blocking the event loop: the proxy answering it lives in this very process. */
function git(cwd: string, args: readonly string[]): Promise<Run> {
  const started = Date.now();
  return new Promise((done, fail) => {
    const child = spawn('git', args, { cwd, env: CLIENT_ENV, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', fail);
    child.on('close', (status) => done({ status, stdout, stderr, ms: Date.now() - started }));
  });
}

const gitSync = (cwd: string, ...args: string[]): string =>
  execFileSync('git', args, { cwd, env: CLIENT_ENV, encoding: 'utf8' }).trim();

/** The status line a proxy sends back to `CONNECT target`. */
function connectStatus(port: number, target: string): Promise<number | undefined> {
  return new Promise((done, fail) => {
    const req = request({ host: '127.0.0.1', port, method: 'CONNECT', path: target });
    req.on('connect', (res, socket) => {
      socket.destroy();
      done(res.statusCode);
    });
    req.on('error', fail);
    req.end();
  });
}

/** Status and body of a plain proxied request (`GET http://host/path`). */
function proxiedGet(port: number, url: string): Promise<{ status?: number; body: string }> {
  return new Promise((done, fail) => {
    const req = request({ host: '127.0.0.1', port, method: 'GET', path: url }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => done({ status: res.statusCode, body }));
    });
    req.on('error', fail);
    req.end();
  });
}

/** Polls `check` every 50 ms until it holds; fails naming `what` after `deadlineMs`. */
async function waitFor(what: string, check: () => boolean, deadlineMs = 15000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${deadlineMs} ms waiting for ${what}`);
    await new Promise((tick) => setTimeout(tick, 50));
  }
}

describe('the loopback github.com (test/gitops/support/github-proxy.ts)', () => {
  const logs: string[] = [];
  let proxy: GithubProxy;
  let work: string;
  let first: string;
  let through: string[];

  beforeAll(async () => {
    proxy = await startGithubProxy({
      dir: mkdtempSync(join(tmpdir(), 'github-proxy-')),
      log: (line) => logs.push(line),
    });
    through = ['-c', `http.proxy=${proxy.env.HTTPS_PROXY}`, '-c', `http.sslCAInfo=${proxy.caFile}`];
    // The project's own files as content: a realistic size for the clone time.
    work = mkdtempSync(join(tmpdir(), 'github-proxy-work-'));
    execFileSync('sh', ['-c', `git -C "${REPO_ROOT}" archive HEAD | tar -x -C "${work}"`]);
    gitSync(work, 'init', '--quiet', '--initial-branch=main');
    gitSync(work, 'add', '--all');
    gitSync(work, 'commit', '--quiet', '--message', 'first');
    first = gitSync(work, 'rev-parse', 'HEAD');
    gitSync(work, 'push', '--quiet', proxy.remote, 'main');
  });
  afterAll(() => proxy?.close());

  test('ls-remote through the proxy shows main at the pushed commit, and at the next one once pushed', async () => {
    // when
    const before = await git(work, [...through, 'ls-remote', REPOSITORY_URL, 'refs/heads/main']);
    gitSync(work, 'commit', '--quiet', '--allow-empty', '--message', 'second');
    const second = gitSync(work, 'rev-parse', 'HEAD');
    gitSync(work, 'push', '--quiet', proxy.remote, 'main');
    const after = await git(work, [...through, 'ls-remote', REPOSITORY_URL, 'refs/heads/main']);
    // go-git, which resolves `main` in ArgoCD, speaks the original protocol, not v2.
    const v0 = await git(work, [...through, '-c', 'protocol.version=0', 'ls-remote', REPOSITORY_URL, 'main']);

    // then
    expect(before).toMatchObject({ status: 0, stdout: `${first}\trefs/heads/main\n` });
    expect(after).toMatchObject({ status: 0, stdout: `${second}\trefs/heads/main\n` });
    expect(v0).toMatchObject({ status: 0, stdout: `${second}\trefs/heads/main\n` });
    console.log(`ls-remote through the proxy: ${before.ms} ms, then ${after.ms} ms`);
  });

  test("clone works, and so does ArgoCD's fetch of a commit by id (`fetch origin <sha> --tags --force --prune`)", async () => {
    // given
    const clone = join(mkdtempSync(join(tmpdir(), 'github-proxy-clone-')), 'production-infra');

    // when
    const cloned = await git(tmpdir(), [...through, 'clone', '--quiet', REPOSITORY_URL, clone]);
    gitSync(work, 'commit', '--quiet', '--allow-empty', '--message', 'third');
    const third = gitSync(work, 'rev-parse', 'HEAD');
    gitSync(work, 'push', '--quiet', proxy.remote, 'main');
    const fetched = await git(clone, [...through, 'fetch', 'origin', third, '--tags', '--force', '--prune']);

    // then
    expect(cloned).toMatchObject({ status: 0, stderr: '' });
    expect(readFileSync(join(clone, 'package.json'), 'utf8')).toBe(
      readFileSync(join(work, 'package.json'), 'utf8'),
    );
    expect(fetched).toMatchObject({ status: 0 });
    expect(gitSync(clone, 'rev-parse', 'FETCH_HEAD')).toBe(third);
    console.log(
      `clone through the proxy (${execFileSync('du', ['-sh', clone]).toString().split('\t')[0]}): ${cloned.ms} ms`,
    );
  });

  test('takes a push from a shallow clone (CI checks out with depth 1) and serves it', async () => {
    // given
    const shallow = join(mkdtempSync(join(tmpdir(), 'github-proxy-shallow-')), 'checkout');
    gitSync(tmpdir(), 'clone', '--quiet', '--depth', '1', `file://${work}`, shallow);
    gitSync(shallow, 'commit', '--quiet', '--allow-empty', '--message', 'on a shallow checkout');
    const tip = gitSync(shallow, 'rev-parse', 'HEAD');

    // when
    gitSync(shallow, 'push', '--quiet', proxy.remote, 'HEAD:refs/heads/shallow');
    const listed = await git(work, [...through, 'ls-remote', REPOSITORY_URL, 'refs/heads/shallow']);

    // then
    expect(listed).toMatchObject({ status: 0, stdout: `${tip}\trefs/heads/shallow\n` });
  });

  test('fails to push through the proxy: the repository is read-only there', async () => {
    // when
    const pushed = await git(work, [...through, 'push', REPOSITORY_URL, 'main:refs/heads/sneaky']);

    // then
    expect(pushed.status).not.toBe(0);
    expect(pushed.stderr).toContain('is read-only here: push to GITOPS_GIT_REMOTE');
    expect(pushed.stderr).toContain('403');
    expect(gitSync(proxy.remote, 'branch', '--list', 'sneaky')).toBe('');
  });

  test('fails to serve any other repository of github.com: 404', async () => {
    // when
    const listed = await git(work, [...through, 'ls-remote', 'https://github.com/robson/other.git']);

    // then
    expect(listed.status).not.toBe(0);
    expect(listed.stderr).toContain('not found');
    expect(logs).toContainEqual(
      expect.stringMatching(/^GET https:\/\/github\.com\/robson\/other\.git\/info\/refs\S* 404 \d+ms$/),
    );
  });

  test('fails to CONNECT to any other host: 403, logged', async () => {
    // when
    const status = await connectStatus(proxy.port, 'example.com:443');
    const otherPort = await connectStatus(proxy.port, 'github.com:22');

    // then
    expect(status).toBe(403);
    expect(otherPort).toBe(403);
    expect(logs).toContain(
      'refused CONNECT example.com:443: only github.com:443, api.github.com:443, slack.com:443 is served',
    );
  });

  test('fails a plain GET through the proxy to another host: 403, logged', async () => {
    // when
    const response = await proxiedGet(proxy.port, 'http://example.com/');

    // then
    expect(response).toEqual({
      status: 403,
      body: 'github-proxy: only CONNECT github.com:443, api.github.com:443, slack.com:443 is served, refused GET http://example.com/\n',
    });
    expect(logs).toContain(
      'refused GET http://example.com/: only CONNECT github.com:443, api.github.com:443, slack.com:443 is served',
    );
  });

  test('fails TLS for a client that does not trust the throw-away CA', async () => {
    // when
    const listed = await git(work, [
      '-c',
      `http.proxy=${proxy.env.HTTPS_PROXY}`,
      'ls-remote',
      REPOSITORY_URL,
    ]);

    // then
    expect(listed.status).not.toBe(0);
    expect(listed.stderr).toMatch(/certificate/i);
  });

  test('gives ArgoCD its layout: <ARGOCD_TLS_DATA_PATH>/<host> holds the CA for each host, and proxy.env says where', () => {
    // when
    const envFile = readFileSync(join(proxy.remote, '..', ENV_FILE), 'utf8');

    // then
    for (const host of ['github.com', 'api.github.com', 'slack.com']) {
      expect(readFileSync(join(proxy.argocdTlsDataPath, host), 'utf8')).toBe(
        readFileSync(proxy.caFile, 'utf8'),
      );
    }
    const fakes = join(proxy.remote, '..', 'fakes');
    expect(envFile).toBe(renderEnvFile(proxy.env));
    expect(proxy.env).toEqual({
      HTTPS_PROXY: `http://127.0.0.1:${proxy.port}`,
      NO_PROXY: '127.0.0.1,localhost',
      GITHUB_PROXY_CA_FILE: proxy.caFile,
      ARGOCD_TLS_DATA_PATH: proxy.argocdTlsDataPath,
      GITOPS_GIT_REMOTE: proxy.remote,
      GITOPS_REPO_URL: 'https://github.com/robson/production-infra.git',
      FAKE_SLACK_TOKENS_DIR: join(fakes, 'slack-tokens'),
      FAKE_SLACK_MESSAGES: join(fakes, 'slack-messages.jsonl'),
      FAKE_GITHUB_TOKEN_FILE: join(fakes, 'github-token'),
      FAKE_GITHUB_PULL_REQUESTS: join(fakes, 'pull-requests.json'),
    });
  });

  test('the fake Slack records a chat.postMessage with a known token: channel, text, time, which token', async () => {
    // given: a token, made now, as run.sh makes them
    const token = `test-${randomBytes(8).toString('hex')}`;
    writeFileSync(join(proxy.env.FAKE_SLACK_TOKENS_DIR, 'settings-under-test'), token);
    const before = Date.now();

    // when: as slack-go posts (a form, the token as a field and as a bearer)
    const answer = await viaProxy('slack.com', 'POST', '/api/chat.postMessage', {
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token, channel: 'infra-alerts', text: 'hello\nworld' }).toString(),
    });

    // then
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ ok: true, channel: 'infra-alerts' });
    const recorded = readFileSync(proxy.env.FAKE_SLACK_MESSAGES, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(recorded.at(-1)).toMatchObject({
      channel: 'infra-alerts',
      text: 'hello\nworld',
      via: 'settings-under-test',
    });
    expect(new Date(recorded.at(-1).at).getTime()).toBeGreaterThanOrEqual(before - 1000);
  });

  test('fails a Slack message with an unknown token as Slack does (invalid_auth), recording nothing', async () => {
    // given
    const recorded = () =>
      existsSync(proxy.env.FAKE_SLACK_MESSAGES) ? readFileSync(proxy.env.FAKE_SLACK_MESSAGES, 'utf8') : '';
    const before = recorded();

    // when
    const answer = await viaProxy('slack.com', 'POST', '/api/chat.postMessage', {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: 'not-known', channel: 'x', text: 'y' }).toString(),
    });
    const other = await viaProxy('slack.com', 'POST', '/api/conversations.list', {});

    // then
    expect(JSON.parse(answer.body)).toEqual({ ok: false, error: 'invalid_auth' });
    expect(JSON.parse(other.body)).toEqual({ ok: false, error: 'unknown_method' });
    expect(recorded()).toBe(before);
  });

  test('the fake GitHub lists the open pull requests with the token, as go-github reads them; closed ones only for state=closed', async () => {
    // given
    const token = `test-${randomBytes(8).toString('hex')}`;
    writeFileSync(proxy.env.FAKE_GITHUB_TOKEN_FILE, token);
    writeFileSync(
      proxy.env.FAKE_GITHUB_PULL_REQUESTS,
      JSON.stringify([
        { number: 7, headSha: first, branch: 'feature/a', labels: ['preview'] },
        { number: 8, headSha: first, branch: 'feature/b', labels: [], state: 'closed' },
      ]),
    );
    const headers = { authorization: `Bearer ${token}` };

    // when
    const open = await viaProxy(
      'api.github.com',
      'GET',
      '/repos/robson/production-infra/pulls?per_page=100',
      { headers },
    );
    const closed = await viaProxy(
      'api.github.com',
      'GET',
      '/repos/robson/production-infra/pulls?state=closed',
      { headers },
    );

    // then
    expect(open.status).toBe(200);
    expect(JSON.parse(open.body)).toEqual([
      {
        number: 7,
        state: 'open',
        title: 'pull request 7',
        user: { login: 'gitops-suite' },
        labels: [{ id: 1, name: 'preview' }],
        head: { ref: 'feature/a', sha: first, repo: { full_name: 'robson/production-infra' } },
        base: { ref: 'main', repo: { full_name: 'robson/production-infra' } },
      },
    ]);
    expect(JSON.parse(closed.body).map((pull: { number: number }) => pull.number)).toEqual([8]);
  });

  test('fails the fake GitHub without the token (401 Bad credentials) and for another repository (404)', async () => {
    // when
    const anonymous = await viaProxy('api.github.com', 'GET', '/repos/robson/production-infra/pulls', {});
    const wrong = await viaProxy('api.github.com', 'GET', '/repos/robson/production-infra/pulls', {
      headers: { authorization: 'Bearer wrong' },
    });
    const other = await viaProxy('api.github.com', 'GET', '/repos/robson/other/pulls', {});

    // then
    expect([anonymous.status, JSON.parse(anonymous.body)]).toEqual([401, { message: 'Bad credentials' }]);
    expect(wrong.status).toBe(401);
    expect([other.status, JSON.parse(other.body)]).toEqual([404, { message: 'Not Found' }]);
  });

  /** One HTTPS request to `host` through the proxy's tunnel, trusting only its CA (HTTP/1.1 by hand). */
  function viaProxy(
    host: string,
    method: string,
    path: string,
    options: { headers?: Record<string, string>; body?: string },
  ): Promise<{ status?: number; body: string }> {
    return new Promise((done, fail) => {
      const connect = request({
        host: '127.0.0.1',
        port: proxy.port,
        method: 'CONNECT',
        path: `${host}:443`,
      });
      connect.on('connect', (_res, socket) => {
        const tls = tlsConnect({ socket, servername: host, ca: readFileSync(proxy.caFile) }, () => {
          const body = options.body ?? '';
          const headers = {
            ...options.headers,
            host,
            connection: 'close',
            'content-length': String(Buffer.byteLength(body)),
          };
          const head = Object.entries(headers)
            .map(([name, value]) => `${name}: ${value}\r\n`)
            .join('');
          tls.end(`${method} ${path} HTTP/1.1\r\n${head}\r\n${body}`);
        });
        let answer = '';
        tls.on('data', (chunk: Buffer) => (answer += chunk.toString()));
        tls.on('error', fail);
        tls.on('close', () => {
          const status = Number(/^HTTP\/1\.1 (\d+)/.exec(answer)?.[1]);
          done({ status, body: answer.slice(answer.indexOf('\r\n\r\n') + 4) });
        });
      });
      connect.on('error', fail);
      connect.end();
    });
  }
});

describe('createHostCertificate', () => {
  test('signs a github.com server certificate with a new CA, then deletes the CA key', () => {
    // given
    const dir = join(mkdtempSync(join(tmpdir(), 'host-cert-')), 'tls');

    // when
    const made = createHostCertificate(dir, 'github.com');
    const both = createHostCertificate(`${dir}-both`, 'github.com', 'slack.com');

    // then
    const ca = new X509Certificate(readFileSync(made.caFile));
    const server = new X509Certificate(readFileSync(made.certFile));
    expect(ca.ca).toBe(true);
    expect(server.ca).toBe(false);
    expect(server.subjectAltName).toBe('DNS:github.com');
    expect(server.checkIssued(ca)).toBe(true);
    expect(server.verify(ca.publicKey)).toBe(true);
    expect(server.checkPrivateKey(createPrivateKey(readFileSync(made.keyFile)))).toBe(true);
    expect(statSync(made.keyFile).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(existsSync(join(dir, 'ca.key'))).toBe(false);
    expect(new X509Certificate(readFileSync(both.certFile)).subjectAltName).toBe(
      'DNS:github.com, DNS:slack.com',
    );
  });
});

describe('parseCgiHead', () => {
  test('reads the status and headers of a CGI response, and where its body starts', () => {
    // given
    const bytes = Buffer.from('Status: 403 Forbidden\r\nContent-Type: text/plain\r\n\r\nno');

    // when
    const head = parseCgiHead(bytes);

    // then
    expect(head).toEqual({
      status: 403,
      headers: [['Content-Type', 'text/plain']],
      bodyStart: bytes.length - 2,
    });
  });

  test('is 200 without a Status header, with bare LF line ends too', () => {
    const head = 'Content-Type: a/b\n\n';
    expect(parseCgiHead(Buffer.from(`${head}body`))).toEqual({
      status: 200,
      headers: [['Content-Type', 'a/b']],
      bodyStart: head.length,
    });
  });

  test('is undefined until the empty line arrives', () => {
    expect(parseCgiHead(Buffer.from('Content-Type: a/b\r\n'))).toBeUndefined();
  });
});

describe('what the proxy serves', () => {
  test.each([
    ['/robson/production-infra.git/info/refs', '/info/refs'],
    ['/robson/production-infra.git', ''],
    ['/robson/production-infra.git-other/info/refs', undefined],
    ['/robson/production-infra/info/refs', undefined],
    ['/robson/other.git/info/refs', undefined],
  ])('%s is served as %p', (path, subpath) => {
    expect(repositorySubpath(path)).toBe(subpath);
  });

  test.each([
    ['/robson/production-infra.git/info/refs', 'service=git-receive-pack', true],
    ['/robson/production-infra.git/git-receive-pack', '', true],
    ['/robson/production-infra.git/info/refs', 'service=git-upload-pack', false],
    ['/robson/production-infra.git/git-upload-pack', '', false],
  ])('%s?%s is a push: %p', (path, query, push) => {
    expect(isPush(path, new URLSearchParams(query))).toBe(push);
  });

  test('renders proxy.env for a shell, quoting only what needs it', () => {
    expect(renderEnvFile({ A: '/tmp/x.pem', B: "it's here" })).toBe(`A=/tmp/x.pem\nB='it'\\''s here'\n`);
  });

  test('fails to start with a state folder inside a Git working tree that does not ignore it', async () => {
    // given
    const tree = mkdtempSync(join(tmpdir(), 'github-proxy-tree-'));
    gitSync(tree, 'init', '--quiet');
    mkdirSync(join(tree, 'state'));

    // when
    const started = startGithubProxy({ dir: join(tree, 'state') });

    // then
    await expect(started).rejects.toThrow(
      `--dir ${join(tree, 'state')} is inside the Git working tree ${tree} and not ignored`,
    );
  });
});

describe('the github-proxy command', () => {
  const tsx = join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
  const script = join(REPO_ROOT, 'test', 'gitops', 'support', 'github-proxy.ts');

  test('writes proxy.env once it listens, prints it, and on SIGTERM exits 0 and removes it', async () => {
    // given
    const dir = mkdtempSync(join(tmpdir(), 'github-proxy-cli-'));
    // One process, tsx as node's loader: the tsx command would be a second process relaying the
    // signal, which a loaded machine showed exiting 143 instead of the command's 0.
    const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', script, '--dir', dir], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));

    // when
    // tsx compiles the command before it listens: seconds on a machine busy with Go builds.
    await waitFor(`${dir}/proxy.env`, () => existsSync(join(dir, ENV_FILE)), 60_000).catch((error: Error) => {
      throw new Error(`${error.message} (stderr: ${stderr})`);
    });
    const envFile = readFileSync(join(dir, ENV_FILE), 'utf8');
    const port = /^HTTPS_PROXY=http:\/\/127\.0\.0\.1:(\d+)$/m.exec(envFile)?.[1];
    const refused = await connectStatus(Number(port), 'example.com:443');
    await waitFor('the printed variables', () => stdout === envFile);
    child.kill('SIGTERM');
    const code = await exited;

    // then
    expect(refused).toBe(403);
    expect(code).toBe(0);
    expect(stderr).toContain('[github-proxy] stopped by SIGTERM');
    expect(existsSync(join(dir, ENV_FILE))).toBe(false);
  }, 90_000);

  test('fails without --dir, saying so, with exit status 2', () => {
    // when
    const run = spawnSync(tsx, [script], { encoding: 'utf8' });

    // then
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('github-proxy: --dir <state dir> is required');
  });
});
