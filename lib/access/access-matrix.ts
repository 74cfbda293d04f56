import { AccessSubject, ResourceAttributes } from './access-review';

/** Someone who uses the cluster, with the identity the API server sees. */
export interface Persona extends AccessSubject {
  /** Short stable key, e.g. `developer`. */
  readonly id: string;
  /** Column heading. */
  readonly title: string;
}

/** One line of an access matrix: a request and which personas may make it; every other persona may not. */
export interface AccessMatrixRow {
  /** What is asked, in words. */
  readonly action: string;
  readonly request: ResourceAttributes;
  /** Ids of the personas allowed. */
  readonly allow: readonly string[];
}

/** One cell of the matrix: a persona, a request and the expected answer. */
export interface AccessExpectation {
  readonly persona: Persona;
  readonly action: string;
  readonly request: ResourceAttributes;
  readonly allowed: boolean;
}

/** Every cell of the matrix; throws if a row names a persona that does not exist. */
export function accessExpectations(
  personas: readonly Persona[],
  rows: readonly AccessMatrixRow[],
): AccessExpectation[] {
  const ids = new Set(personas.map((p) => p.id));
  for (const row of rows) {
    const unknown = row.allow.filter((id) => !ids.has(id));
    if (unknown.length > 0)
      throw new Error(`access matrix row "${row.action}" names unknown personas ${unknown.join(', ')}`);
  }
  return rows.flatMap((row) =>
    personas.map((persona) => ({
      persona,
      action: row.action,
      request: row.request,
      allowed: row.allow.includes(persona.id),
    })),
  );
}

/** `get apps/deployments/scale backend in production`: a request, compact and unambiguous. */
export function describeRequest(request: ResourceAttributes): string {
  const resource = [request.group || 'core', request.resource, request.subresource].filter(Boolean).join('/');
  const name = request.name ? ` "${request.name}"` : '';
  const where = request.namespace ? `in ${request.namespace}` : 'cluster-wide';
  return `${request.verb} ${resource}${name} ${where}`;
}

/** The matrix as a Markdown table: one row per request, one column per persona. */
export function renderAccessMatrix(personas: readonly Persona[], rows: readonly AccessMatrixRow[]): string {
  accessExpectations(personas, rows);
  const header = `| action | request | ${personas.map((p) => p.title).join(' | ')} |`;
  const rule = `| --- | --- | ${personas.map(() => ':---:').join(' | ')} |`;
  const lines = rows.map(
    (row) =>
      `| ${row.action} | \`${describeRequest(row.request)}\` | ${personas
        .map((p) => (row.allow.includes(p.id) ? 'allow' : 'deny'))
        .join(' | ')} |`,
  );
  const identities = personas.map(
    (p) => `| ${p.title} | \`${p.user}\` | ${p.groups.map((g) => `\`${g}\``).join(', ')} |`,
  );
  return [
    header,
    rule,
    ...lines,
    '',
    '| persona | user | groups |',
    '| --- | --- | --- |',
    ...identities,
    '',
  ].join('\n');
}
