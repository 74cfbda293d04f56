import { PIN_FILE_RULES } from '../image/pin-file-error';
import { RuleIdentity } from '../rule/rule-identity';
import { SEAL_RULES } from '../secrets/seal-error';
import { READABLE_INPUT_RULE } from './policy-report';
import { RULES } from './rules';

/**
 * Every rule the project reports, each id once, in report order: the policy rules, FILE001 (unreadable
 * input), the rules of the release file (IMG002 among them, which is also a policy rule) and those of
 * sealing (`npm run seal` and the sealed files synth reads). What `docs/policy.md` must explain.
 */
export const REPORTED_RULES: readonly RuleIdentity[] = [
  ...new Map(
    [...RULES, READABLE_INPUT_RULE, ...PIN_FILE_RULES, ...SEAL_RULES].map((rule): [string, RuleIdentity] => [
      rule.id,
      { id: rule.id, title: rule.title, fix: rule.fix },
    ]),
  ).values(),
];
