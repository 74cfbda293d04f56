/**
 * Which rule ids the rule documents leave out: a rule added without a word in docs/ fails a test instead
 * of reaching a user as an id nobody explains.
 */
import { RuleIdentity } from '../../lib/rule/rule-identity';

/** A document that describes rules, by its path in the repository. */
export interface RuleDocument {
  readonly path: string;
  readonly text: string;
}

/** The id as a word of its own: `IMG001`, not part of `IMG0010` or `XIMG001`. */
const mentions = (text: string, id: string): boolean =>
  new RegExp(`(?<![A-Za-z0-9])${id}(?![0-9])`).test(text);

/** Where a missing rule's description belongs: the ArgoCD rules' table, or the policy engine's page. */
const homeOf = (id: string): string =>
  id.startsWith('ARGO') ? 'the "## Policy rules" table of docs/argocd.md' : 'docs/policy.md';

/** One line per rule (an id once) that no document of `documents` names, saying where to describe it. */
export function rulesMissingFromDocs(
  rules: readonly Pick<RuleIdentity, 'id' | 'title'>[],
  documents: readonly RuleDocument[],
): string[] {
  const ids = [...new Set(rules.map(({ id }) => id))];
  const titleOf = new Map(rules.map(({ id, title }) => [id, title]));
  return ids
    .filter((id) => !documents.some(({ text }) => mentions(text, id)))
    .map(
      (id) =>
        `${id} ("${titleOf.get(id)}") is named in none of ${documents.map(({ path }) => path).join(', ')}: ` +
        `describe it in ${homeOf(id)}, from what its check does`,
    );
}
