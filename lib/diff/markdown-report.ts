import { stringify } from 'yaml';
import { formatTreeChanges } from '../manifest/tree-changes';
import { ManifestDiff } from './manifest-diff';
import { ResourceChange, ResourceChangeType } from './resource-diff';

/** HTML-escaped inline code, safe inside a Markdown table cell (pipes and backticks included). */
function code(value: unknown): string {
  if (value === undefined) return '—';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  const escaped = text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '&#124;')
    .replace(/\n/g, '↵');
  return `<code>${escaped}</code>`;
}

const MARK: Record<ResourceChangeType, string> = {
  [ResourceChangeType.ADDED]: '➕ added',
  [ResourceChangeType.REMOVED]: '➖ removed',
  [ResourceChangeType.CHANGED]: '✏️ changed',
};

function renderChange(change: ResourceChange): string[] {
  const heading = `##### ${MARK[change.type]}: \`${change.id}\``;
  if (change.type === ResourceChangeType.REMOVED) return [heading, ''];
  if (change.type === ResourceChangeType.ADDED) {
    return [
      heading,
      '',
      '<details><summary>manifest</summary>',
      '',
      '```yaml',
      stringify(change.object).trimEnd(),
      '```',
      '',
      '</details>',
      '',
    ];
  }
  return [
    heading,
    '',
    '| field | before | after |',
    '| --- | --- | --- |',
    ...change.fields.map((field) => `| ${code(field.path)} | ${code(field.before)} | ${code(field.after)} |`),
    '',
  ];
}

const count = (changes: readonly ResourceChange[], type: ResourceChangeType): number =>
  changes.filter((change) => change.type === type).length;

/** `0 added, 0 removed, 2 changed` */
const summary = (changes: readonly ResourceChange[]): string =>
  [ResourceChangeType.ADDED, ResourceChangeType.REMOVED, ResourceChangeType.CHANGED]
    .map((type) => `${count(changes, type)} ${type}`)
    .join(', ');

/**
 * The diff as Markdown for a pull-request comment or a job summary: a heading, one summary line per
 * section with changes, then per section every added, removed and changed object with a table of
 * changed fields. The same input gives the same text; an empty diff says "No changes".
 */
export function renderDiffMarkdown(diff: ManifestDiff, heading: string): string {
  const sections = diff.sections.filter((section) => section.changes.length > 0);
  const others = formatTreeChanges(diff.otherFiles);
  if (sections.length === 0 && others.length === 0) return `### ${heading}\n\nNo changes.\n`;
  const lines = [
    `### ${heading}`,
    '',
    ...sections.map((section) => `- \`${section.title}\`: ${summary(section.changes)}`),
    ...(others.length > 0 ? [`- other generated files: ${others.length} changed`] : []),
    '',
  ];
  for (const section of sections) {
    lines.push(`#### \`${section.title}\``, '', ...section.changes.flatMap(renderChange));
  }
  if (others.length > 0) {
    lines.push('#### Other generated files', '', '```', ...others, '```', '');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
