import { existsSync, readFileSync } from 'node:fs';
import { IncomingMessage, ServerResponse } from 'node:http';

/** The host of GitHub's REST API, as ArgoCD's pull-request generator (go-github) calls it. */
export const GITHUB_API_HOST = 'api.github.com';

/** A pull request as a test describes it to the fake. */
export interface FakePullRequest {
  readonly number: number;
  /** The head commit: it must exist in the loopback repository, ArgoCD renders the preview at it. */
  readonly headSha: string;
  readonly branch: string;
  readonly labels: readonly string[];
  /** @default 'open' */
  readonly state?: 'open' | 'closed';
  /** @default `pull request <number>` */
  readonly title?: string;
}

export interface FakeGithubApiProps {
  /** `owner/repo`: the only repository whose pull requests are listed. */
  readonly repository: string;
  /** A file holding the one accepted token, read at every request. */
  readonly tokenFile: string;
  /** The pull requests, a JSON array of `FakePullRequest`, read at every request; absent means none. */
  readonly pullRequestsFile: string;
  /** @default - dropped */
  readonly log?: (line: string) => void;
}

/** GitHub's JSON for one pull request: every field go-github's caller in ArgoCD dereferences. */
export function githubPullRequest(pull: FakePullRequest, repository: string): Record<string, unknown> {
  return {
    number: pull.number,
    state: pull.state ?? 'open',
    title: pull.title ?? `pull request ${pull.number}`,
    user: { login: 'gitops-suite' },
    labels: pull.labels.map((name, index) => ({ id: index + 1, name })),
    head: { ref: pull.branch, sha: pull.headSha, repo: { full_name: repository } },
    base: { ref: 'main', repo: { full_name: repository } },
  };
}

/** The pull requests GitHub lists for `?state=` (its default is `open`). */
export function listedPullRequests(
  pulls: readonly FakePullRequest[],
  state: string | null,
): FakePullRequest[] {
  const wanted = state ?? 'open';
  return pulls.filter((pull) => wanted === 'all' || (pull.state ?? 'open') === wanted);
}

const answer = (res: ServerResponse, status: number, body: unknown): void => {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
};

/**
 * A FAKE of GitHub's "list pull requests" API (no GitHub exists here):
 * `GET /repos/<owner>/<repo>/pulls` with the one accepted bearer token answers the pull requests of the
 * file, filtered by `state` as GitHub does, on one page. A wrong or missing token gets 401 "Bad
 * credentials", any other path 404, as GitHub answers them.
 */
export function fakeGithubApi(
  props: FakeGithubApiProps,
): (req: IncomingMessage, res: ServerResponse) => void {
  const log = props.log ?? (() => undefined);
  return (req, res) => {
    const url = new URL(req.url ?? '/', `https://${GITHUB_API_HOST}`);
    if (req.method !== 'GET' || url.pathname !== `/repos/${props.repository}/pulls`) {
      answer(res, 404, { message: 'Not Found' });
      return;
    }
    const expected = existsSync(props.tokenFile) ? readFileSync(props.tokenFile, 'utf8').trim() : '';
    const sent = /^(?:Bearer|token)\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (!expected || sent !== expected) {
      log(`fake github api: refused ${url.pathname}: ${sent ? 'wrong token' : 'no token'}`);
      answer(res, 401, { message: 'Bad credentials' });
      return;
    }
    const pulls: FakePullRequest[] = existsSync(props.pullRequestsFile)
      ? (JSON.parse(readFileSync(props.pullRequestsFile, 'utf8')) as FakePullRequest[])
      : [];
    const listed = listedPullRequests(pulls, url.searchParams.get('state'));
    log(`fake github api: listed ${listed.map((pull) => `#${pull.number}`).join(' ') || 'no pull request'}`);
    answer(
      res,
      200,
      listed.map((pull) => githubPullRequest(pull, props.repository)),
    );
  };
}
