import { KubeObject } from '../manifest/kube-object';

export const ADMISSION_API_VERSION = 'admissionregistration.k8s.io/v1';

/** Resources of one API group that a policy matches. */
export interface WorkloadResources {
  /** API group, `''` for the core group. */
  readonly group: string;
  readonly resources: readonly string[];
}

/** One CEL check of a ValidatingAdmissionPolicy. */
export interface CelValidation {
  readonly expression: string;
  /** Shown to the client when `expression` is false. */
  readonly message: string;
  /** Builds a more precise message; `message` is used if it fails. @default - `message` only */
  readonly messageExpression?: string;
}

/** A named CEL value that validations reach as `variables.<name>`. */
export interface CelVariable {
  readonly name: string;
  readonly expression: string;
}

export interface ValidatingPolicyProps {
  readonly name: string;
  readonly resources: readonly WorkloadResources[];
  /** Admission operations matched, e.g. CREATE, UPDATE. */
  readonly operations: readonly string[];
  readonly validations: readonly CelValidation[];
  /** @default - none */
  readonly variables?: readonly CelVariable[];
  /** CEL conditions that must all hold for the policy to apply. @default - every matched request */
  readonly matchConditions?: readonly CelVariable[];
  /** Only objects in this namespace are checked. @default - every namespace */
  readonly namespace?: string;
}

/**
 * A ValidatingAdmissionPolicy and the binding that puts it in force, with the secure choices fixed:
 * `failurePolicy: Fail` (an error in a check denies the request) and `validationActions: [Deny]`.
 * @see https://kubernetes.io/docs/reference/access-authn-authz/validating-admission-policy/
 */
export function validatingPolicyObjects(props: ValidatingPolicyProps): KubeObject[] {
  const policy: KubeObject = {
    apiVersion: ADMISSION_API_VERSION,
    kind: 'ValidatingAdmissionPolicy',
    metadata: { name: props.name },
    spec: {
      failurePolicy: 'Fail',
      matchConstraints: {
        resourceRules: props.resources.map((entry) => ({
          apiGroups: [entry.group],
          apiVersions: ['v1'],
          operations: [...props.operations],
          resources: [...entry.resources],
        })),
      },
      ...(props.matchConditions ? { matchConditions: props.matchConditions.map((c) => ({ ...c })) } : {}),
      ...(props.variables ? { variables: props.variables.map((v) => ({ ...v })) } : {}),
      validations: props.validations.map((v) => ({ ...v, reason: 'Forbidden' })),
    },
  };
  const binding: KubeObject = {
    apiVersion: ADMISSION_API_VERSION,
    kind: 'ValidatingAdmissionPolicyBinding',
    metadata: { name: props.name },
    spec: {
      policyName: props.name,
      validationActions: ['Deny'],
      ...(props.namespace
        ? {
            matchResources: {
              namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': props.namespace } },
            },
          }
        : {}),
    },
  };
  return [policy, binding];
}
