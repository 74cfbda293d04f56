import { spawn } from 'node:child_process';
import { IncomingMessage, ServerResponse } from 'node:http';

/** Where `git http-backend` finds the repositories it serves. */
export interface GitHttpBackendProps {
  /** `GIT_PROJECT_ROOT`: the folder holding the bare repositories. */
  readonly projectRoot: string;
  /** Receives one line per problem the backend reports on stderr. @default - dropped */
  readonly log?: (line: string) => void;
}

/** The head of a CGI response: status, headers, and where the body starts in the bytes read so far. */
export interface CgiHead {
  readonly status: number;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly bodyStart: number;
}

/**
 * Parses a CGI response head (RFC 3875 §6): header lines up to an empty line, `Status: 403 Forbidden`
 * giving the status (200 without it). Undefined while the empty line has not arrived yet.
 */
export function parseCgiHead(bytes: Buffer): CgiHead | undefined {
  const crlf = bytes.indexOf('\r\n\r\n');
  const lf = bytes.indexOf('\n\n');
  const ends = [crlf >= 0 ? { at: crlf, length: 4 } : undefined, lf >= 0 ? { at: lf, length: 2 } : undefined]
    .filter((end) => end !== undefined)
    .sort((a, b) => a.at - b.at);
  const end = ends[0];
  if (!end) return undefined;
  let status = 200;
  const headers: Array<readonly [string, string]> = [];
  for (const line of bytes.subarray(0, end.at).toString('latin1').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10) || 500;
    else headers.push([name, value]);
  }
  return { status, headers, bodyStart: end.at + end.length };
}

/** The CGI variables of one request (RFC 3875 §4.1), plus the two request headers Git's protocol uses. */
export function cgiEnvironment(
  req: IncomingMessage,
  pathInfo: string,
  projectRoot: string,
): NodeJS.ProcessEnv {
  const query = req.url?.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '';
  const header = (name: string): Record<string, string> => {
    const value = req.headers[name];
    return typeof value === 'string' ? { [`HTTP_${name.toUpperCase().replace(/-/g, '_')}`]: value } : {};
  };
  return {
    PATH: process.env.PATH,
    // No user or system configuration: the backend behaves the same on every machine.
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_PROJECT_ROOT: projectRoot,
    GIT_HTTP_EXPORT_ALL: '1',
    GATEWAY_INTERFACE: 'CGI/1.1',
    SERVER_PROTOCOL: `HTTP/${req.httpVersion}`,
    REQUEST_METHOD: req.method ?? 'GET',
    PATH_INFO: pathInfo,
    QUERY_STRING: query,
    REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1',
    ...(req.headers['content-type'] ? { CONTENT_TYPE: req.headers['content-type'] } : {}),
    ...(req.headers['content-length'] ? { CONTENT_LENGTH: req.headers['content-length'] } : {}),
    // Protocol v2 (`Git-Protocol: version=2`) and gzip-compressed request bodies.
    ...header('git-protocol'),
    ...header('content-encoding'),
  };
}

/**
 * Serves one request with `git http-backend` as a CGI program: the request body goes to its stdin, its
 * stdout becomes the response. It runs with `http.receivepack=false`, so even a request that reaches it
 * cannot push; the caller refuses `git-receive-pack` before that, with a clearer message.
 */
export function serveWithGitHttpBackend(
  req: IncomingMessage,
  res: ServerResponse,
  pathInfo: string,
  props: GitHttpBackendProps,
): void {
  const log = props.log ?? (() => undefined);
  const child = spawn('git', ['-c', 'http.receivepack=false', 'http-backend'], {
    env: cgiEnvironment(req, pathInfo, props.projectRoot),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let pending: Buffer = Buffer.alloc(0);
  let headSent = false;
  let stderr = '';
  child.on('error', (error) => {
    log(`git http-backend did not start: ${error.message}`);
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
    res.end(`git http-backend did not start: ${error.message}\n`);
  });
  // A client that hangs up early closes stdin under the backend: not our error.
  child.stdin.on('error', () => undefined);
  req.pipe(child.stdin);
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.on('data', (chunk: Buffer) => {
    if (headSent) {
      if (!res.write(chunk)) {
        child.stdout.pause();
        res.once('drain', () => child.stdout.resume());
      }
      return;
    }
    pending = Buffer.concat([pending, chunk]);
    const head = parseCgiHead(pending);
    if (!head) return;
    headSent = true;
    res.writeHead(head.status, head.headers.flat());
    res.write(pending.subarray(head.bodyStart));
  });
  child.on('close', (code) => {
    for (const line of stderr.split('\n').filter(Boolean)) log(`git http-backend: ${line}`);
    if (res.writableEnded) return;
    if (!headSent && !res.headersSent) {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`git http-backend exited with ${code} before a response: ${stderr.trim()}\n`);
      return;
    }
    res.end();
  });
  res.on('close', () => child.kill());
}
