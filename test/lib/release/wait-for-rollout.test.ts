import { AddressInfo } from 'node:net';
import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import { ArgoCdClient, RolloutSnapshot, waitForRollout } from '../../../lib';
import { OLD, REPOSITORY, snapshot } from './rollout-fixture';

const APP = 'robson-backend-prod';
const TOKEN = 'test-token';
const expected = { repository: REPOSITORY, tag: 'sha-0a1b2c3' };

/** A stand-in for ArgoCD's REST API (mocked: no ArgoCD server exists here), answering from `states`. */
async function mockedArgoCd(states: RolloutSnapshot[]) {
  const requests: string[] = [];
  let polls = 0;
  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    requests.push(request.url ?? '');
    if (request.headers.authorization !== `Bearer ${TOKEN}`) {
      response.writeHead(403).end('{"error":"permission denied"}');
      return;
    }
    const state = states[Math.min(polls, states.length - 1)];
    const path = (request.url ?? '').split('?')[0];
    const routes: Record<string, unknown> = {
      [`/api/v1/applications/${APP}`]: state.application,
      [`/api/v1/applications/${APP}/resource-tree`]: state.tree,
      [`/api/v1/applications/${APP}/managed-resources`]: state.managed,
    };
    if (!(path in routes)) {
      response.writeHead(404).end('{"error":"not found"}');
      return;
    }
    if (path.endsWith('/managed-resources')) polls++;
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(routes[path]));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, requests, close: () => new Promise((resolve) => server.close(resolve)) };
}

describe('waitForRollout against a mocked ArgoCD API', () => {
  test('polls until the application is Synced, Healthy and on the pin, refreshing on the first poll', async () => {
    // given: progressing, then old pods still running, then done
    const argocd = await mockedArgoCd([
      snapshot({ health: 'Progressing', podImages: [OLD, OLD] }),
      snapshot({ podImages: [OLD] }),
      snapshot(),
    ]);
    const logs: string[] = [];
    // when
    const assessment = await waitForRollout({
      client: new ArgoCdClient({ server: argocd.url, token: TOKEN }),
      application: APP,
      expected,
      timeoutMs: 5000,
      intervalMs: 10,
      log: (line) => logs.push(line),
    });
    await argocd.close();
    // then
    expect(assessment.done).toBe(true);
    expect(logs).toHaveLength(2);
    expect(logs[0]).toContain('health is Progressing, want Healthy');
    expect(argocd.requests[0]).toBe(`/api/v1/applications/${APP}?refresh=normal`);
    expect(argocd.requests.filter((url) => url.includes('refresh'))).toHaveLength(1);
  });

  test('fails at the timeout with the last problems when the old version keeps running', async () => {
    // given
    const argocd = await mockedArgoCd([snapshot({ podImages: [OLD] })]);
    // when
    const waiting = waitForRollout({
      client: new ArgoCdClient({ server: argocd.url, token: TOKEN }),
      application: APP,
      expected,
      timeoutMs: 50,
      intervalMs: 10,
      log: () => undefined,
    });
    // then
    await expect(waiting).rejects.toThrow(
      new RegExp(`did not reach Synced \\+ Healthy running ${REPOSITORY}:sha-0a1b2c3 .* runs ${OLD}`),
    );
    await argocd.close();
  });

  test('fails at once when the token is refused, without waiting for the timeout', async () => {
    // given
    const argocd = await mockedArgoCd([snapshot()]);
    const started = Date.now();
    // when
    const waiting = waitForRollout({
      client: new ArgoCdClient({ server: argocd.url, token: 'wrong' }),
      application: APP,
      expected,
      timeoutMs: 60_000,
      intervalMs: 10,
      log: () => undefined,
    });
    // then
    await expect(waiting).rejects.toThrow(/answered 403: .*may "get" this application/);
    expect(Date.now() - started).toBeLessThan(5000);
    await argocd.close();
  });
});
