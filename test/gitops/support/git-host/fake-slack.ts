import { appendFileSync, existsSync, readFileSync, readdirSync } from 'node:fs';
import { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';

/** The host of Slack's Web API, as ArgoCD's notifications (slack-go) call it. */
export const SLACK_HOST = 'slack.com';
/** The one method the fake answers: ArgoCD posts every message with it. */
export const POST_MESSAGE_PATH = '/api/chat.postMessage';

/** One message the fake Slack accepted, as recorded (one JSON object a line). */
export interface FakeSlackMessage {
  /** The `channel` form field: what the subscription annotation names, e.g. `infra-alerts`. */
  readonly channel: string;
  /** The `text` form field: the rendered template. */
  readonly text: string;
  /** When the fake received it (ISO 8601). */
  readonly at: string;
  /** The name of the token file whose token the caller sent (which settings sent it). */
  readonly via: string;
}

export interface FakeSlackProps {
  /**
   * A folder of accepted tokens: each file holds one token, and its name is recorded as `via`. Read at
   * every request, so tokens may be written after the fake started.
   */
  readonly tokensDir: string;
  /** Where accepted messages are appended, one JSON object a line. */
  readonly messagesFile: string;
  /** @default - dropped */
  readonly log?: (line: string) => void;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((done, fail) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => done(body));
    req.on('error', fail);
  });
}

/** The name of the token file holding `token`, or undefined. */
export function tokenName(tokensDir: string, token: string): string | undefined {
  if (!token || !existsSync(tokensDir)) return undefined;
  return readdirSync(tokensDir).find((name) => readFileSync(join(tokensDir, name), 'utf8').trim() === token);
}

/** The bearer token of a request, else its `token` form field (slack-go sends both). */
export function requestToken(authorization: string | undefined, form: URLSearchParams): string {
  const bearer = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  return bearer ? bearer[1] : (form.get('token') ?? '');
}

const answer = (res: ServerResponse, status: number, body: Record<string, unknown>): void => {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
};

/**
 * A FAKE of Slack's `chat.postMessage` (no Slack exists here): it accepts a form-encoded post carrying
 * one of the known tokens, records channel, text, time and which token sent it, and answers as Slack does
 * (`ok`, `channel`, `ts`). A wrong token gets Slack's `invalid_auth`, any other method `unknown_method`.
 */
export function fakeSlack(props: FakeSlackProps): (req: IncomingMessage, res: ServerResponse) => void {
  const log = props.log ?? (() => undefined);
  return (req, res) => {
    const path = new URL(req.url ?? '/', `https://${SLACK_HOST}`).pathname;
    if (req.method !== 'POST' || path !== POST_MESSAGE_PATH) {
      answer(res, 404, { ok: false, error: 'unknown_method' });
      return;
    }
    readBody(req).then(
      (body) => {
        const form = new URLSearchParams(body);
        const via = tokenName(props.tokensDir, requestToken(req.headers.authorization, form));
        if (!via) {
          log('fake slack: refused a message with an unknown token');
          answer(res, 200, { ok: false, error: 'invalid_auth' });
          return;
        }
        const message: FakeSlackMessage = {
          channel: form.get('channel') ?? '',
          text: form.get('text') ?? '',
          at: new Date().toISOString(),
          via,
        };
        appendFileSync(props.messagesFile, `${JSON.stringify(message)}\n`);
        log(`fake slack: #${message.channel} (${via}): ${message.text.split('\n')[0]}`);
        answer(res, 200, { ok: true, channel: message.channel, ts: (Date.now() / 1000).toFixed(6) });
      },
      (error: Error) => answer(res, 400, { ok: false, error: error.message }),
    );
  };
}
