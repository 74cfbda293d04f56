import { KubeObject } from '../../../lib/manifest/kube-object';

interface PolicySpec {
  variables?: { name: string; expression: string }[];
  matchConditions?: { name: string; expression: string }[];
  validations: { expression: string; messageExpression?: string }[];
}

/** Every CEL expression of a ValidatingAdmissionPolicy. */
export function celExpressionsOf(policy: KubeObject): string[] {
  const spec = policy.spec as PolicySpec;
  return [
    ...(spec.variables ?? []).map((v) => v.expression),
    ...(spec.matchConditions ?? []).map((c) => c.expression),
    ...spec.validations.flatMap((v) => [v.expression, ...(v.messageExpression ? [v.messageExpression] : [])]),
  ];
}

/**
 * Problems a CEL compiler would reject that can be found without one: unbalanced brackets or quotes,
 * `undefined` leaked from a template, references to undeclared variables, backslashes (none is needed).
 */
export function celSyntaxProblems(policy: KubeObject): string[] {
  const spec = policy.spec as PolicySpec;
  const declared = new Set((spec.variables ?? []).map((v) => v.name));
  return celExpressionsOf(policy).flatMap((expression) => {
    const problems: string[] = [];
    const outside = expression.replace(/'[^']*'/g, "''");
    if ((expression.match(/'/g) ?? []).length % 2 !== 0) problems.push('odd number of quotes');
    let depth = 0;
    for (const ch of outside) {
      if ('([{'.includes(ch)) depth += 1;
      if (')]}'.includes(ch)) depth -= 1;
      if (depth < 0) break;
    }
    if (depth !== 0) problems.push('unbalanced brackets');
    if (/\bundefined\b/.test(outside)) problems.push('contains undefined');
    if (expression.includes('\\')) problems.push('contains a backslash');
    for (const [, name] of outside.matchAll(/variables\.([A-Za-z_]\w*)/g)) {
      if (!declared.has(name)) problems.push(`undeclared variables.${name}`);
    }
    return problems.map((problem) => `${problem}: ${expression}`);
  });
}
