import {
  ContainerSpec,
  LabelledContainer,
  PodSpec,
  SecurityContext,
  containersOf,
  podSpecsOf,
} from './pod-spec';
import { memoized } from './judging-scope';
import { KubeObject } from '../manifest/kube-object';
import { Finding, PolicyRule } from './types';

/** One pod spec of an object, with its path and the pod's metadata (labels, annotations). */
export interface PodCheckInput {
  readonly object: KubeObject;
  readonly pod: PodSpec;
  /** Path of the pod spec in the object. */
  readonly path: readonly string[];
  /** Annotations of the pod (a template's `metadata`, or the Pod's). */
  readonly annotations: Readonly<Record<string, unknown>>;
}

/** A problem at a path relative to the pod spec (or to the container, for container rules). */
export interface LocalFinding {
  readonly message: string;
  readonly at?: readonly (string | number)[];
}

/** The annotations of the pod whose spec is at `path` in `object` (`{}` when it has none). */
export const annotationsAt = (
  object: KubeObject,
  path: readonly string[],
): Readonly<Record<string, unknown>> => {
  let value: unknown = object;
  // The pod's metadata sits beside its spec: `spec.template.metadata`, or `metadata` of a Pod.
  for (const key of [...path.slice(0, -1), 'metadata', 'annotations']) {
    value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
  }
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
};

/** The inputs of an object's pod rules, one a pod spec: built once for all the rules judging it. */
const podInputsOf = memoized((object: KubeObject): readonly PodCheckInput[] =>
  podSpecsOf(object).map(({ path, spec }) => ({
    object,
    pod: spec,
    path,
    annotations: annotationsAt(object, path),
  })),
);

/** Builds a rule that checks each pod spec (see `podSpecsOf`) of each object. */
export function podRule(
  rule: Omit<PolicyRule, 'check'>,
  check: (input: PodCheckInput) => (LocalFinding | string)[],
): PolicyRule {
  return {
    ...rule,
    // Loops, not flatMap: every pod and container rule runs this for every object of a run.
    check: (object) => {
      const findings: Finding[] = [];
      for (const input of podInputsOf(object)) {
        for (const problem of check(input)) {
          findings.push(
            typeof problem === 'string'
              ? { message: problem, path: input.path }
              : { message: problem.message, path: [...input.path, ...(problem.at ?? [])] },
          );
        }
      }
      return findings;
    },
  };
}

export interface ContainerCheckInput extends PodCheckInput, Omit<LabelledContainer, 'path'> {
  /** Path of the container in the pod spec: `['initContainers', 0]`. */
  readonly containerPath: readonly (string | number)[];
}

/** The inputs of a pod's container rules, one a container: built once for all the rules judging it. */
const containerInputsOf = memoized((input: PodCheckInput): readonly ContainerCheckInput[] =>
  containersOf(input.pod).map((labelled) => ({
    ...input,
    ...labelled,
    path: input.path,
    containerPath: labelled.path,
  })),
);

/**
 * Builds a rule that checks each container (init, regular and ephemeral) of each pod spec; a problem
 * is reported as `<label> <problem>`, e.g. `container "app" is privileged`.
 */
export function containerRule(
  rule: Omit<PolicyRule, 'check'>,
  check: (input: ContainerCheckInput) => LocalFinding | string | undefined,
): PolicyRule {
  return podRule(rule, (input) => {
    const problems: LocalFinding[] = [];
    for (const container of containerInputsOf(input)) {
      const problem = check(container);
      if (problem === undefined) continue;
      const { message, at = [] } = typeof problem === 'string' ? { message: problem } : problem;
      problems.push({ message: `${container.label} ${message}`, at: [...container.containerPath, ...at] });
    }
    return problems;
  });
}

/** A container setting wins over the pod's, as in the kubelet. */
export function effective<K extends keyof SecurityContext>(
  input: { readonly container: ContainerSpec; readonly pod: PodSpec },
  key: K,
): SecurityContext[K] {
  return input.container.securityContext?.[key] ?? input.pod.securityContext?.[key];
}
