import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPORTED_RULES } from '../../lib/policy/reported-rules';
import { RuleIdentity } from '../../lib/rule/rule-identity';
import { REPO_ROOT } from '../helpers/tools';
import { RuleDocument, rulesMissingFromDocs } from './rule-ids';

/** The documents a rule id must appear in (one of them). */
const RULE_DOCUMENTS: RuleDocument[] = ['docs/policy.md', 'docs/argocd.md'].map((path) => ({
  path,
  text: readFileSync(join(REPO_ROOT, path), 'utf8'),
}));

const rule = (id: string, title = `the title of ${id}`): RuleIdentity => ({ id, title, fix: 'a fix' });
const doc = (text: string): RuleDocument => ({ path: 'docs/x.md', text });

describe('rule ids in docs/policy.md and docs/argocd.md', () => {
  test('every rule id the project reports (REPORTED_RULES: policy, release file, FILE001) is named in one of them', () => {
    // given the documents as committed
    // when
    const missing = rulesMissingFromDocs(REPORTED_RULES, RULE_DOCUMENTS);
    // then
    expect(missing).toEqual([]);
  });

  test('an id named in either document is documented, once however often it is reported', () => {
    // given
    const rules = [rule('IMG002'), rule('PIN001'), rule('IMG002')];
    // when
    const missing = rulesMissingFromDocs(rules, [doc('`IMG002` checks tags.'), doc('| PIN001 | the file |')]);
    // then
    expect(missing).toEqual([]);
  });

  test('fails for a rule no document names, naming the id, its title and where to describe it', () => {
    // given
    const rules = [rule('RES001', 'Containers set CPU and memory requests and limits'), rule('ARGO099')];
    // when
    const missing = rulesMissingFromDocs(rules, [doc('Only SEC001 here.')]);
    // then
    expect(missing).toEqual([
      'RES001 ("Containers set CPU and memory requests and limits") is named in none of docs/x.md: ' +
        'describe it in docs/policy.md, from what its check does',
      'ARGO099 ("the title of ARGO099") is named in none of docs/x.md: ' +
        'describe it in the "## Policy rules" table of docs/argocd.md, from what its check does',
    ]);
  });

  test('fails for an id that only appears inside a longer one: IMG0010 does not document IMG001', () => {
    // given / when
    const missing = rulesMissingFromDocs([rule('IMG001')], [doc('IMG0010 and XIMG001 are other ids.')]);
    // then
    expect(missing).toHaveLength(1);
    expect(missing[0]).toMatch(/^IMG001 /);
  });
});
