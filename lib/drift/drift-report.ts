import { groupOf } from '../manifest/api-group';
import { DriftFinding } from './find-drift';

/** `Deployment.apps production/backend`, `ConfigMap production/x`: the core group's kinds bare, others with their group. */
export function describeDriftObject(finding: DriftFinding): string {
  const { apiVersion, kind, namespace, name } = finding.object;
  const group = groupOf(apiVersion);
  return `${group === '' ? kind : `${kind}.${group}`} ${namespace}/${name}`;
}

const WHOLE_OBJECT = '(whole object)';

/**
 * The findings as a table a person reads: object, field, manager, operation, time; then each untracked
 * object's reason once. An empty list is one line saying so.
 */
export function formatDriftTable(findings: readonly DriftFinding[]): string {
  if (findings.length === 0)
    return "no hand change: every field is ArgoCD's or a controller's, every object tracked\n";
  const header = ['OBJECT', 'FIELD', 'MANAGER', 'OPERATION', 'TIME'];
  const rows = findings.map((f) => [
    describeDriftObject(f),
    f.field ?? WHOLE_OBJECT,
    f.manager,
    `${f.operation ?? '-'}${f.subresource ? ` (${f.subresource})` : ''}`,
    f.time ?? '-',
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column].length)),
  );
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column])))
      .join('  ')
      .trimEnd();
  const untracked = [
    ...new Map(
      findings.filter((f) => f.field === undefined).map((f) => [describeDriftObject(f), f.reason] as const),
    ),
  ];
  const notes = untracked.map(([object, reason]) => `${object}: ${reason}`);
  return [line(header), ...rows.map(line), ...(notes.length > 0 ? ['', ...notes] : [])].join('\n') + '\n';
}

/** The findings as one JSON document, with what was checked. */
export function formatDriftJson(
  findings: readonly DriftFinding[],
  checked: {
    readonly server: string;
    readonly namespaces: readonly string[];
    readonly objects: number;
    readonly notChecked?: readonly { readonly namespace: string; readonly reason: string }[];
    readonly unavailableApis?: readonly { readonly groupVersion: string; readonly reason: string }[];
  },
): string {
  return `${JSON.stringify({ ...checked, findings }, null, 2)}\n`;
}
