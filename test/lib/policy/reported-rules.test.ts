import { PIN_FILE_RULES, PIN_PRESENT, PinFileError } from '../../../lib/image/pin-file-error';
import { PolicyReport, READABLE_INPUT_RULE, sarifReport } from '../../../lib/policy/policy-report';
import { REPORTED_RULES } from '../../../lib/policy/reported-rules';
import { RULES } from '../../../lib/policy/rules';
import { RuleIdentity } from '../../../lib/rule/rule-identity';
import { SEAL_RULES } from '../../../lib/secrets/seal-error';

/** Every declaration of a rule the project reports, duplicates included. */
const DECLARATIONS: readonly RuleIdentity[] = [
  ...RULES,
  READABLE_INPUT_RULE,
  ...PIN_FILE_RULES,
  ...SEAL_RULES,
];

const identityOf = ({ id, title, fix }: RuleIdentity): RuleIdentity => ({ id, title, fix });

/** Ids declared more than once with different texts, each with its distinct identities. */
function conflicts(declarations: readonly RuleIdentity[]): Record<string, RuleIdentity[]> {
  const byId = new Map<string, Map<string, RuleIdentity>>();
  for (const rule of declarations) {
    const texts = byId.get(rule.id) ?? new Map<string, RuleIdentity>();
    texts.set(JSON.stringify(identityOf(rule)), identityOf(rule));
    byId.set(rule.id, texts);
  }
  return Object.fromEntries(
    [...byId].filter(([, texts]) => texts.size > 1).map(([id, texts]) => [id, [...texts.values()]]),
  );
}

describe('REPORTED_RULES: one identity per rule id, whatever reports it', () => {
  test('lists every policy rule, FILE001, the release file rules and the sealing rules, each id once', () => {
    // given
    const ids = REPORTED_RULES.map((rule) => rule.id);
    // then
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids)).toEqual(new Set(DECLARATIONS.map((rule) => rule.id)));
    expect(ids).toEqual(
      expect.arrayContaining(['FILE001', 'IMG002', 'PIN001', 'PIN002', 'PIN003', 'SEAL001', 'SEAL004']),
    );
  });

  test('an id declared twice (IMG002: manifests and the release file) has one title and one fix', () => {
    // then
    expect(conflicts(DECLARATIONS)).toEqual({});
    for (const rule of DECLARATIONS) {
      expect(REPORTED_RULES.find((reported) => reported.id === rule.id)).toEqual(identityOf(rule));
    }
  });

  test('fails, naming the id, when one id is declared with two titles', () => {
    // given: the release file's IMG002 drifting from the manifests'
    const imageTag = RULES.find((rule) => rule.id === 'IMG002') as RuleIdentity;
    const drifted = { ...imageTag, title: 'Images are pinned to a sha- tag' };
    // when
    const found = conflicts([...DECLARATIONS, drifted]);
    // then
    expect(Object.keys(found)).toEqual(['IMG002']);
    expect(found.IMG002.map((rule) => rule.title)).toEqual([imageTag.title, drifted.title]);
  });

  test('every rule has a title and a fix a reader can act on', () => {
    // then
    for (const rule of REPORTED_RULES) {
      expect(`${rule.id}: ${rule.title}`).toMatch(/^[A-Z]+\d{3}: \S/);
      expect(`${rule.id}: ${rule.fix.length}`).toMatch(/^[A-Z]+\d{3}: [1-9]\d+/);
    }
  });

  test('a release file error and the SARIF report take the id and texts from the declaration', () => {
    // given
    const error = new PinFileError({
      rule: PIN_PRESENT,
      file: 'pins.json',
      image: 'worker',
      problem: 'image "worker" has no pin',
      fix: 'add it',
    });
    const report: PolicyReport = { violations: [], errors: [], notices: [], objectCount: 0, rules: RULES };
    // when
    const sarif = JSON.parse(sarifReport(report, '/tmp')) as {
      runs: { tool: { driver: { rules: { id: string; shortDescription: { text: string } }[] } } }[];
    };
    // then
    expect([error.ruleId, error.message]).toEqual([
      PIN_PRESENT.id,
      `[${PIN_PRESENT.id}] pins.json: image "worker" has no pin. Fix: add it`,
    ]);
    const listed = sarif.runs[0].tool.driver.rules.map((rule) => [rule.id, rule.shortDescription.text]);
    expect(listed).toEqual([...RULES, READABLE_INPUT_RULE].map((rule) => [rule.id, rule.title]));
  });
});
