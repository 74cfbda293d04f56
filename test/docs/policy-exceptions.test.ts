import { readFileSync } from 'node:fs';
import { POLICY_WAIVERS } from '../../charts/policy-options';
import { RULES } from '../../lib/policy/rules';

const LOG = readFileSync('docs/policy-exceptions.md', 'utf8');
/** The rows of the exceptions log's table, by number. */
const rows = new Map(
  LOG.split('\n')
    .map((line) => /^\| (\d+)\s+\|(.*)$/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => [match[1], match[2]]),
);

describe('policy waivers and the exceptions log (docs/policy-exceptions.md)', () => {
  test.each(POLICY_WAIVERS.map((waiver) => [waiver.object, waiver] as const))(
    '%s: its entry of the log names the object and every waived rule',
    (_, waiver) => {
      // given
      const entry = /^#(\d+): /.exec(waiver.reason)?.[1];
      // when
      const row = entry === undefined ? undefined : rows.get(entry);
      // then
      expect({ reason: waiver.reason, entry: row === undefined ? 'missing' : 'found' }).toEqual({
        reason: waiver.reason,
        entry: 'found',
      });
      expect(row).toContain(`\`${waiver.object}\``);
      for (const id of waiver.ruleIds) expect(row).toContain(`\`${id}\``);
    },
  );

  test('every waived rule is a policy rule', () => {
    // given
    const ids = new Set(RULES.map((rule) => rule.id));
    // when / then
    for (const waiver of POLICY_WAIVERS) for (const id of waiver.ruleIds) expect(ids).toContain(id);
  });
});
