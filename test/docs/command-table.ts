/**
 * Reads the "## Commands" table of the README and says which npm scripts of package.json it leaves out,
 * so that a script added without a line of documentation fails a test instead of going unnoticed.
 */

/** The text from `## Commands` to the next second-level heading; throws when there is none. */
export function commandsSection(readme: string): string {
  const start = readme.search(/^## Commands\s*$/m);
  if (start < 0) throw new Error('README.md has no "## Commands" section');
  const rest = readme.slice(start + 1);
  const next = rest.search(/^## /m);
  return next < 0 ? rest : rest.slice(0, next);
}

/**
 * The scripts the first column of the section's table names: `npm run <script>` (also several in one
 * cell, `npm run lint` / `npm run typecheck`) and `npm test`, npm's short form of `npm run test`.
 */
export function scriptsInCommandTable(readme: string): Set<string> {
  const firstCells = commandsSection(readme)
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .map((line) => line.split('|')[1] ?? '');
  const scripts = new Set<string>();
  for (const cell of firstCells) {
    for (const match of cell.matchAll(/npm run ([\w:.-]+)/g)) scripts.add(match[1]);
    if (/\bnpm test\b/.test(cell)) scripts.add('test');
  }
  return scripts;
}

/** `pretest` for a script `test`: npm runs it before `test` itself, nobody runs it by name. */
const isLifecycleHook = (name: string, scripts: Readonly<Record<string, string>>): boolean => {
  const hooked = /^(?:pre|post)(.+)$/.exec(name)?.[1];
  return hooked !== undefined && Object.prototype.hasOwnProperty.call(scripts, hooked);
};

/** One line per script of `scripts` the table leaves out, naming it and where its row goes. */
export function scriptsMissingFromCommandTable(
  scripts: Readonly<Record<string, string>>,
  readme: string,
): string[] {
  const documented = scriptsInCommandTable(readme);
  return Object.keys(scripts)
    .filter((name) => !isLifecycleHook(name, scripts) && !documented.has(name))
    .map(
      (name) =>
        `npm run ${name} (package.json: ${scripts[name]}) has no row in the "## Commands" table of ` +
        `README.md: add one, \`| \`npm run ${name}\` | what it does |\`, beside the commands it belongs with`,
    );
}
