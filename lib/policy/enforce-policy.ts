import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { SourcedObject, evaluatePolicy, formatViolation } from './evaluate';
import { RULES } from './rules';
import { PolicyOptions, PolicyRule } from './types';

/** Every API object below `scope`, rendered, with its construct path as source. */
export function apiObjectsOf(scope: IConstruct): SourcedObject[] {
  return scope.node
    .findAll()
    .filter(ApiObject.isApiObject)
    .map((apiObject) => ({ object: apiObject.toJson(), source: apiObject.node.path }));
}

/**
 * Registers the policy as a validation of `scope`: synthesis fails with one line per violation,
 * each naming the rule id, the object, its construct path and the fix.
 */
export function enforcePolicy(
  scope: IConstruct,
  options: PolicyOptions,
  rules: readonly PolicyRule[] = RULES,
): void {
  scope.node.addValidation({
    validate: () => evaluatePolicy(apiObjectsOf(scope), options, rules).map(formatViolation),
  });
}
