import { describeObject, isApiObject } from '../manifest/object-id';
import { judging } from './judging-scope';
import { RULES } from './rules';
import { KubeObject } from '../manifest/kube-object';
import { ObjectOrigin, PolicyOptions, PolicyRule, Violation } from './types';
import { containersOf, podSpecsOf } from './pod-spec';
import { parseImageReference, repositoryOf } from '../image/image-reference';

/** An object and where it came from (a file, a construct path). */
export interface SourcedObject extends ObjectOrigin {
  readonly object: KubeObject;
  /** `file:line` (with ` items[i]` for an item of a List), or a construct path. */
  readonly source?: string;
  /** The file it was read from. @default - not read from a file */
  readonly file?: string;
  /** 1-based line where it starts in `file`. @default - not read from a file */
  readonly line?: number;
  /** Line and column of a path inside the object, in `file`. @default - not read from a file */
  readonly locate?: (path: readonly (string | number)[]) => { line: number; column: number };
}

/** Evaluates `rules` over every API object; configuration documents (kustomizations…) are skipped. */
export function evaluatePolicy(
  objects: readonly SourcedObject[],
  options: PolicyOptions,
  rules: readonly PolicyRule[] = RULES,
): Violation[] {
  return evaluateSourced(objects, options, rules).map(({ violation }) => violation);
}

/** A violation and the object it was found in. */
export interface SourcedViolation {
  readonly violation: Violation;
  readonly origin: SourcedObject;
}

/** True when `object`'s pod specs hold exactly containers of `repositories`, in order, init ones included. */
function runsExactly(object: KubeObject, repositories: readonly string[]): boolean {
  const running = podSpecsOf(object).flatMap(({ spec }) =>
    containersOf(spec).map(({ container }) =>
      repositoryOf(parseImageReference(String(container.image ?? ''))),
    ),
  );
  return (
    running.length === repositories.length && running.every((repository, i) => repository === repositories[i])
  );
}

/** `evaluatePolicy`, keeping with each violation the object it was found in (for file positions). */
export function evaluateSourced(
  objects: readonly SourcedObject[],
  options: PolicyOptions,
  rules: readonly PolicyRule[] = RULES,
): SourcedViolation[] {
  const apiObjects = objects.filter(({ object }) => isApiObject(object));
  const all = apiObjects.map(({ object }) => object);
  const waived = new Map(
    (options.waivers ?? []).flatMap((waiver) =>
      waiver.ruleIds.map((id) => [`${id} ${waiver.object}`, waiver] as const),
    ),
  );
  // Loops, not flatMap: this runs for every rule and object of a run (10,000 files: 600,000 checks).
  const found: SourcedViolation[] = [];
  for (const origin of apiObjects) {
    const { object, source } = origin;
    // What the rules derive from the object (its pod specs, containers…) is derived once for all of them.
    judging(() => {
      for (const rule of rules) {
        const findings = rule.check(object, options, all, origin);
        if (findings.length === 0) continue;
        const described = describeObject(object);
        // Waived by an entry of the exceptions log (PolicyOptions.waivers): not a violation.
        const waiver = waived.size > 0 ? waived.get(`${rule.id} ${described}`) : undefined;
        if (waiver && runsExactly(object, waiver.containerRepositories)) continue;
        for (const finding of findings) {
          const violation: Violation = {
            ruleId: rule.id,
            title: rule.title,
            fix: rule.fix,
            message: finding.message,
            object: described,
            source,
            ...(finding.path ? { path: finding.path } : {}),
          };
          found.push({ violation, origin });
        }
      }
    });
  }
  return found;
}

/** One line per violation: rule, object, where, what, and the fix. */
export function formatViolation(violation: Violation): string {
  const where = violation.source ? ` (${violation.source})` : '';
  return `[${violation.ruleId}] ${violation.object}${where}: ${violation.message}. Fix: ${violation.fix}`;
}
