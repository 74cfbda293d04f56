import { PolicyOptions, PolicyRule, SchemaProblem } from './types';

/** A rule reporting one kind of the API's problems with an object; none without `options.schemas`. */
const schemaRule = (rule: Omit<PolicyRule, 'check'>, kind: SchemaProblem['kind']): PolicyRule => ({
  ...rule,
  check: (object, options: PolicyOptions) =>
    (options.schemas?.problemsOf(object) ?? [])
      .filter((problem) => problem.kind === kind)
      .map(({ message, path }) => ({ message, path })),
});

export const API_VERSION_SERVED: PolicyRule = schemaRule(
  {
    id: 'API001',
    title: 'Objects use an API version the cluster serves',
    fix: 'Change apiVersion to the version the message names (and adapt the fields it renamed).',
  },
  'removed',
);

export const API_VERSION_CURRENT: PolicyRule = schemaRule(
  {
    id: 'API002',
    title: 'Objects use no deprecated API version',
    fix: 'Move to the replacement the message names before the release that removes the version.',
  },
  'deprecated',
);

export const KNOWN_FIELDS: PolicyRule = schemaRule(
  {
    id: 'SCH001',
    title: 'Objects set only fields their schema declares',
    fix: 'Correct the field name (see kubectl explain <kind>.<path>) or remove it: the API server refuses it under strict field validation.',
  },
  'unknown-field',
);

export const FIELD_TYPES: PolicyRule = schemaRule(
  {
    id: 'SCH002',
    title: 'Fields have the type their schema declares',
    fix: 'Write the value with the type the message names: quote strings that look like numbers or booleans, unquote numbers.',
  },
  'wrong-type',
);

/** The rules checked against the API's schemas, in id order. */
export const SCHEMA_RULES: readonly PolicyRule[] = [
  API_VERSION_SERVED,
  API_VERSION_CURRENT,
  KNOWN_FIELDS,
  FIELD_TYPES,
];
