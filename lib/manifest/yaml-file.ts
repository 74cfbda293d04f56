import { stringify } from 'yaml';
import { KubeObject } from './kube-object';

/** A YAML document preceded by a comment saying where it comes from and that it is generated. */
export function yamlFile(document: unknown, source: string): string {
  const header = `# Generated from ${source} by \`npm run synth\`. Do not edit: change the source and re-run synth.\n`;
  return header + stringify(document, { lineWidth: 0, sortMapEntries: false });
}

/** `deployment-backend.yaml`: kind and name, lower case. */
export function fileNameOf(object: KubeObject): string {
  return `${object.kind.toLowerCase()}-${object.metadata?.name ?? 'unnamed'}.yaml`;
}

/** File names for `objects`, refusing two objects that would share one. */
export function fileNamesOf(objects: readonly KubeObject[]): string[] {
  const names = objects.map(fileNameOf);
  const clash = names.find((name, index) => names.indexOf(name) !== index);
  if (clash) throw new Error(`two objects would be written to ${clash}: give them distinct kinds or names`);
  return names;
}
