import { describeObject, isApiObject } from './object-id';
import { RULES } from './rules';
import { KubeObject, PolicyOptions, PolicyRule, Violation } from './types';

/** An object and where it came from (a file, a construct path). */
export interface SourcedObject {
  readonly object: KubeObject;
  readonly source?: string;
}

/** Evaluates `rules` over every API object; configuration documents (kustomizations…) are skipped. */
export function evaluatePolicy(
  objects: readonly SourcedObject[],
  options: PolicyOptions,
  rules: readonly PolicyRule[] = RULES,
): Violation[] {
  const apiObjects = objects.filter(({ object }) => isApiObject(object));
  const all = apiObjects.map(({ object }) => object);
  return apiObjects.flatMap(({ object, source }) =>
    rules.flatMap((rule) =>
      rule.check(object, options, all).map((finding) => ({
        ruleId: rule.id,
        title: rule.title,
        fix: rule.fix,
        message: finding.message,
        object: describeObject(object),
        source,
      })),
    ),
  );
}

/** One line per violation: rule, object, where, what, and the fix. */
export function formatViolation(violation: Violation): string {
  const where = violation.source ? ` (${violation.source})` : '';
  return `[${violation.ruleId}] ${violation.object}${where}: ${violation.message}. Fix: ${violation.fix}`;
}
