import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ImageSource } from '../../lib/image/image-source';

/** The parts of a GitHub Actions workflow the checks read. */
export interface Workflow {
  readonly name?: string;
  readonly on?: Record<string, unknown>;
  readonly permissions?: unknown;
  readonly concurrency?: { readonly group?: string; readonly 'cancel-in-progress'?: boolean };
  readonly jobs: Record<string, Job>;
}

export interface Job {
  readonly name?: string;
  readonly needs?: string | readonly string[];
  readonly if?: string;
  readonly environment?: unknown;
  readonly permissions?: unknown;
  readonly strategy?: {
    readonly matrix?: Record<string, unknown>;
    readonly 'max-parallel'?: number;
    readonly 'fail-fast'?: boolean;
  };
  readonly steps?: readonly Step[];
}

export interface Step {
  readonly name?: string;
  readonly if?: string;
  readonly env?: Record<string, unknown>;
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, unknown>;
  readonly 'continue-on-error'?: unknown;
}

export function parseWorkflow(text: string): Workflow {
  return parse(text) as Workflow;
}

/** `uses:` of a remote action pinned by a full commit SHA and a version comment, e.g. `@<40 hex> # v5.0.0`. */
const PINNED_USES = /^\s*(?:-\s+)?uses:\s+[\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+(?:\.\d+)*\s*$/;

/** Every problem of the raw text and the parsed workflow against the security rules; empty when clean. */
export function workflowProblems(text: string): string[] {
  const workflow = parseWorkflow(text);
  const problems: string[] = [];
  text.split('\n').forEach((line, index) => {
    if (/^\s*(?:-\s+)?uses:/.test(line) && !/uses:\s+\.\//.test(line) && !PINNED_USES.test(line)) {
      problems.push(
        `line ${index + 1}: action not pinned by full commit SHA with a version comment: ${line.trim()}`,
      );
    }
  });
  if (/pull_request_target|workflow_run/.test(text))
    problems.push('uses pull_request_target or workflow_run');
  // Jobs without their own permissions inherit these, so read-only here makes every job read-only by default.
  if (!isReadOnly(workflow.permissions)) problems.push('top-level permissions are not empty or read-only');
  if (!workflow.concurrency?.group) problems.push('no concurrency group');
  for (const [id, job] of Object.entries(workflow.jobs)) {
    for (const step of job.steps ?? []) {
      const where = `job ${id}, step "${step.name ?? step.uses}"`;
      if (step['continue-on-error'] !== undefined) problems.push(`${where}: continue-on-error`);
      const run = step.run ?? '';
      if (/\|\|\s*(?:true|echo|:|exit 0)\b|\|\|\s*:\s*$/m.test(run))
        problems.push(`${where}: a failure is swallowed with ||`);
      if (/set \+e/.test(run)) problems.push(`${where}: set +e`);
      if (run.includes('${{')) problems.push(`${where}: expression inside run: pass it through env instead`);
      if (step.uses?.startsWith('actions/checkout@') && step.with?.['persist-credentials'] !== false) {
        problems.push(`${where}: checkout keeps credentials`);
      }
    }
  }
  return problems;
}

/** `{}`, `read-all`, or every scope `read`/`none`. */
export function isReadOnly(permissions: unknown): boolean {
  if (permissions === 'read-all') return true;
  if (typeof permissions !== 'object' || permissions === null) return false;
  return Object.values(permissions).every((level) => level === 'read' || level === 'none');
}

/** `job → scopes with write` for every job that writes. */
export function writeGrants(workflow: Workflow): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(workflow.jobs).flatMap(([id, job]) => {
      const scopes =
        typeof job.permissions === 'object' && job.permissions !== null
          ? Object.entries(job.permissions).flatMap(([scope, level]) => (level === 'write' ? [scope] : []))
          : job.permissions === 'write-all'
            ? ['*']
            : [];
      return scopes.length > 0 ? [[id, scopes]] : [];
    }),
  );
}

/** The script names of every `npm run [--silent] <script>` in the workflow's steps. */
export function npmScriptsRun(workflow: Workflow): string[] {
  const runs = Object.values(workflow.jobs).flatMap((job) => (job.steps ?? []).map((step) => step.run ?? ''));
  return [
    ...new Set(
      runs.flatMap((run) => [...run.matchAll(/npm run (?:--silent |-s )?([\w:-]+)/g)].map((m) => m[1])),
    ),
  ].sort();
}

/** A GitHub `paths` glob as a regular expression (`**` any depth, `*` within one folder). */
export function globToRegExp(glob: string): RegExp {
  const pattern = glob
    .split('**')
    .map((part) => part.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*'))
    .join('.*');
  return new RegExp(`^${pattern}$`);
}

/** What a release workflow is checked against: the catalog's sources and the dispatch event it must hear. */
export interface ReleaseTriggerExpectations {
  /** Catalog image name → where its source lives. */
  readonly sources: Readonly<Record<string, ImageSource>>;
  /** The `repository_dispatch` type another repository sends for its image. */
  readonly dispatchEvent: string;
  /** The production branch. */
  readonly branch: string;
  /** Repository root, where each source folder must hold a Dockerfile. */
  readonly root: string;
}

/**
 * Why some catalog image could not be released by `workflow`, or a release by a change that is not the
 * image's: empty when every image built here has its folder (with a Dockerfile) as a `push` path, the
 * paths are exactly those folders, and every image of another repository can be dispatched.
 */
export function releaseTriggerProblems(workflow: Workflow, expected: ReleaseTriggerExpectations): string[] {
  const problems: string[] = [];
  const sources = Object.entries(expected.sources);
  const push = workflow.on?.push as { branches?: string[]; paths?: string[] } | undefined;
  const folders = sources.flatMap(([, source]) => (source.triggerPath ? [source.triggerPath] : [])).sort();
  const paths = [...(push?.paths ?? [])].sort();
  if (folders.length === 0 && push !== undefined) {
    problems.push('on.push is set, but no catalog image is built from a folder of this repository');
  }
  if (folders.length > 0 && JSON.stringify(push?.branches) !== JSON.stringify([expected.branch])) {
    problems.push(`on.push.branches must be [${expected.branch}]`);
  }
  if (JSON.stringify(paths) !== JSON.stringify(folders)) {
    problems.push(
      `on.push.paths are [${paths.join(', ')}], the catalog's folders are [${folders.join(', ')}]`,
    );
  }
  for (const [image, source] of sources) {
    const context = source.buildContext;
    if (context !== undefined && !existsSync(join(expected.root, context, 'Dockerfile'))) {
      problems.push(`image ${image} is built from ${source}, which holds no Dockerfile`);
    }
  }
  if (sources.some(([, source]) => !source.builtHere)) {
    const dispatch = workflow.on?.repository_dispatch as { types?: string[] } | undefined;
    if (!dispatch?.types?.includes(expected.dispatchEvent)) {
      problems.push(
        `images of other repositories need on.repository_dispatch.types [${expected.dispatchEvent}]`,
      );
    }
    const inputs = (workflow.on?.workflow_dispatch as { inputs?: Record<string, { required?: boolean }> })
      ?.inputs;
    if (!inputs?.image?.required || !inputs?.commit?.required) {
      problems.push('on.workflow_dispatch needs the required inputs image and commit');
    }
  }
  return problems;
}
