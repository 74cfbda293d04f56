/** Something a document names that must exist in the repository. */
export interface DocReference {
  readonly file: string;
  readonly line: number;
  /**
   * `path`: from the repository root (its first folder exists there); `relative path`: ends like a file
   * but starts elsewhere, as in a table of files "under `infra/argocd/`"; `check`: `workflow / job`.
   */
  readonly kind: 'path' | 'relative path' | 'npm script' | 'workflow' | 'job' | 'check';
  readonly name: string;
}

/** File endings that make a backticked word a file path even outside a known folder. */
const FILE_ENDINGS = /\.(?:ts|js|mjs|json|ya?ml|md|sh|mod|sum)$/;
/** A repository-relative path: segments of word characters, dots and dashes, no spaces, globs or placeholders. */
const PATH_LIKE = /^\.?[\w-][\w.-]*(?:\/[\w.-]+)*\/?$/;
const NPM_RUN = /npm run(?:\s+(?:-s|--silent))?\s+([\w-]+(?::[\w-]+)*)/g;

function classify(span: string, topLevel: ReadonlySet<string>): DocReference['kind'] | undefined {
  if (!PATH_LIKE.test(span)) return undefined;
  const [first] = span.split('/');
  if (span.includes('/')) {
    if (topLevel.has(first)) return 'path';
    return FILE_ENDINGS.test(span) ? 'relative path' : undefined;
  }
  return topLevel.has(span) && FILE_ENDINGS.test(span) ? 'path' : undefined;
}

/**
 * What a Markdown document names: backticked repository paths, `npm run <script>` anywhere, checks
 * written `` `workflow / job` ``, and names written next to the word "job" or "workflow"
 * (`` job `x` ``, `` `x` workflow ``). Everything else (Kubernetes names, image references, URLs,
 * commands, placeholders, prose) is left alone.
 */
export function referencesIn(file: string, text: string, topLevel: ReadonlySet<string>): DocReference[] {
  const found: DocReference[] = [];
  text.split('\n').forEach((content, index) => {
    const line = index + 1;
    for (const match of content.matchAll(NPM_RUN))
      found.push({ file, line, kind: 'npm script', name: match[1] });
    for (const match of content.matchAll(/`([^`]+)`/g)) {
      const span = match[1].trim();
      const check = /^([\w-]+) \/ ([\w-]+)$/.exec(span);
      const before = content.slice(0, match.index).trimEnd();
      const after = content.slice((match.index ?? 0) + match[0].length).trimStart();
      if (check) found.push({ file, line, kind: 'check', name: `${check[1]} / ${check[2]}` });
      else if (/\bjob$/i.test(before) || /^job\b/i.test(after))
        found.push({ file, line, kind: 'job', name: span });
      else if (/\bworkflow$/i.test(before) || /^workflow\b/i.test(after)) {
        found.push({ file, line, kind: 'workflow', name: span });
      } else {
        const kind = classify(span, topLevel);
        if (kind) found.push({ file, line, kind, name: span });
      }
    }
  });
  return found;
}

/** The workflows of a repository: `name:` → job ids and job names. */
export type WorkflowIndex = ReadonlyMap<string, ReadonlySet<string>>;

export interface Repository {
  /** True when the path exists (file or folder), from the repository root. */
  readonly exists: (path: string) => boolean;
  /** True when some file's path ends with `/<path>`. */
  readonly existsBelowSomeFolder: (path: string) => boolean;
  readonly npmScripts: ReadonlySet<string>;
  readonly workflows: WorkflowIndex;
}

/** Why `reference` names nothing that exists, or `undefined` when it does. */
export function brokenReference(reference: DocReference, repository: Repository): string | undefined {
  const where = `${reference.file}:${reference.line}`;
  const { name } = reference;
  switch (reference.kind) {
    case 'path':
      return repository.exists(name.replace(/\/$/, '')) ? undefined : `${where}: no such path ${name}`;
    case 'relative path':
      return repository.exists(name) || repository.existsBelowSomeFolder(name)
        ? undefined
        : `${where}: no file ends with ${name}`;
    case 'npm script':
      return repository.npmScripts.has(name) ? undefined : `${where}: no npm script "${name}"`;
    case 'workflow':
      return repository.workflows.has(name) ? undefined : `${where}: no workflow named "${name}"`;
    case 'job': {
      const jobs = [...repository.workflows.values()].flatMap((set) => [...set]);
      return jobs.includes(name) ? undefined : `${where}: no workflow has a job "${name}"`;
    }
    case 'check': {
      const [workflow, job] = name.split(' / ');
      return repository.workflows.get(workflow)?.has(job) ? undefined : `${where}: no check "${name}"`;
    }
  }
}
