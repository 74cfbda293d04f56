/** How many lines from the top a generated file names the command that wrote it. */
const HEADER_LINES = 3;

/**
 * Whether `content` says, in its first lines, that `command` wrote it: the YAML header
 * ``# Generated from <source> by `npm run synth`. …`` or a README's ``Written by `npm run synth` …``.
 * This is how a file a generator wrote earlier and no longer writes (after a rename: remove it) is told
 * from one someone added by hand (keep it, and refuse): the latter carries no such line.
 */
export function isGeneratedBy(command: string, content: string): boolean {
  const header = content.split('\n', HEADER_LINES).join('\n');
  return header.includes(`by \`${command}\``);
}
