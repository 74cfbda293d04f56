import { readFileSync } from 'node:fs';
import { PersonaDeclaration } from '../../charts/persona-declaration';
import { PERSONAS } from '../../charts/personas';
import { PERSONA_TABLE_HEADINGS, personaTableRows } from '../../stacks/persona-table';
import { clusterSettings, committedClusterSettings, stackFileValues } from '../../stacks/settings';

/** The cells of the README's Markdown table whose heading row is `headings`, trimmed, below its rule. */
function tableCells(markdown: string, headings: readonly string[]): string[][] {
  const lines = markdown.split('\n');
  const cellsOf = (line: string): string[] =>
    line
      .trim()
      .replace(/^\||\|$/g, '')
      .split('|')
      .map((cell) => cell.trim());
  const start = lines.findIndex(
    (line) => line.trim().startsWith('|') && JSON.stringify(cellsOf(line)) === JSON.stringify(headings),
  );
  if (start < 0) throw new Error(`README.md has no table headed ${headings.join(' | ')}`);
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.trim().startsWith('|')) break;
    rows.push(cellsOf(line));
  }
  return rows;
}

describe("README's persona table (Admins, Personas)", () => {
  test('says, persona by persona, what charts/personas.ts declares', () => {
    // given
    const readme = readFileSync('README.md', 'utf8');
    // when
    const cells = tableCells(readme, PERSONA_TABLE_HEADINGS);
    // then
    expect(cells).toEqual(personaTableRows(committedClusterSettings()));
  });

  test('fails for a persona the README does not list: one more row in the table changes the rows', () => {
    // given a table with one more persona
    const extra: PersonaDeclaration = {
      id: 'auditor',
      identities: [{ key: 'auditorsGroup', default: 'robson:auditors', description: 'the security team' }],
      access: (ids) => ({ readers: [ids.auditorsGroup] }),
      matrix: { title: 'auditor', subject: () => ({ user: 'carol', groups: [] }), abilities: [] },
    };
    // when
    const rows = personaTableRows(clusterSettings(stackFileValues(), [...PERSONAS, extra]));
    // then
    expect(rows).toHaveLength(PERSONAS.length + 1);
    expect(rows[PERSONAS.length]).toEqual([
      '`auditor`',
      '`auditorsGroup` (`robson:auditors`)',
      'reads',
      '—',
      'nothing',
    ]);
    expect(tableCells(readFileSync('README.md', 'utf8'), PERSONA_TABLE_HEADINGS)).not.toEqual(rows);
  });
});
