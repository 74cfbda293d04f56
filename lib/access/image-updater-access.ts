import { KubeObject } from '../policy/types';
import { WorkloadResources, validatingPolicyObjects } from './admission-policy-objects';
import { celListOrEmpty, celMapOrEmpty, celSameExcept, celString } from './cel';
import {
  RbacRule,
  ServiceAccountRef,
  role,
  roleBinding,
  serviceAccountSubject,
  serviceAccountUsername,
} from './rbac-objects';

/** The workloads whose container images an image updater may change. Jobs are absent: their pod template is immutable. */
export const IMAGE_UPDATE_TARGETS: readonly WorkloadResources[] = [
  { group: 'apps', resources: ['daemonsets', 'deployments', 'statefulsets'] },
  { group: 'batch', resources: ['cronjobs'] },
];

/** `get` to read the current spec, `patch` to change it (what `kubectl set image` does); nothing else. */
export const IMAGE_UPDATER_RULES: readonly RbacRule[] = IMAGE_UPDATE_TARGETS.map((target) => ({
  apiGroups: [target.group],
  resources: [...target.resources],
  verbs: ['get', 'patch'],
}));

export interface ImageUpdaterAccessProps {
  /** Namespace whose workloads the account may update. */
  readonly namespace: string;
  /**
   * The account CI uses. It is declared here, without a mounted token. Keep it out of `namespace`: anyone
   * allowed to create pods there could otherwise run as it, and its changes would not be theirs.
   */
  readonly serviceAccount: ServiceAccountRef;
  /**
   * Name of the Role, RoleBinding and admission policy.
   * @default 'image-updater'
   */
  readonly name?: string;
}

const isCronJob = `request.resource.resource == 'cronjobs'`;
const isUpdate = `request.operation == 'UPDATE'`;
const onUpdate = (check: string): string => `!(${isUpdate}) || ${check}`;

/** CEL: every container of `a` has a container of the same name in `b`, equal except for its image. */
function sameContainersExceptImages(a: string, b: string): string {
  return (
    `size(${a}) == size(${b}) && ` +
    `${a}.all(c, ${b}.exists(o, o.name == c.name && ${celSameExcept('c', 'o', ['image'])}))`
  );
}

/**
 * The CI image updater: a ServiceAccount; a Role in `namespace` allowing only `get` and `patch` on
 * `IMAGE_UPDATE_TARGETS`; and a ValidatingAdmissionPolicy that compares `object` with `oldObject` and
 * denies any request of this account other than an update that changes nothing but container images.
 */
export function imageUpdaterAccessObjects(props: ImageUpdaterAccessProps): KubeObject[] {
  const name = props.name ?? 'image-updater';
  if (props.serviceAccount.namespace === props.namespace) {
    throw new Error(
      `ImageUpdaterAccess ${name}: serviceAccount is in ${props.namespace}, the namespace it updates; put it in its own namespace (e.g. ci) so nobody who can create pods there can act as it`,
    );
  }
  const username = serviceAccountUsername(props.serviceAccount);
  const serviceAccount: KubeObject = {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: props.serviceAccount.name, namespace: props.serviceAccount.namespace },
    automountServiceAccountToken: false,
  };
  const template = (root: string): string =>
    `${isCronJob} ? dyn(${root}).spec.jobTemplate.spec.template : dyn(${root}).spec.template`;
  const policy = validatingPolicyObjects({
    name: `${name}-images-only`,
    resources: IMAGE_UPDATE_TARGETS,
    operations: ['CREATE', 'UPDATE', 'DELETE'],
    matchConditions: [
      { name: 'request-by-image-updater', expression: `request.userInfo.username == ${celString(username)}` },
    ],
    variables: [
      { name: 'newTemplate', expression: template('object') },
      { name: 'oldTemplate', expression: template('oldObject') },
    ],
    validations: [
      {
        expression: isUpdate,
        message: `${username} may only update existing workloads, never create or delete them`,
      },
      {
        expression: onUpdate(
          `${celMapOrEmpty('object.metadata', 'labels')} == ${celMapOrEmpty('oldObject.metadata', 'labels')} && ` +
            `${celMapOrEmpty('object.metadata', 'annotations')} == ${celMapOrEmpty('oldObject.metadata', 'annotations')}`,
        ),
        message: `${username} may not change labels or annotations`,
      },
      {
        expression: onUpdate(
          `(${isCronJob} ? ` +
            `${celSameExcept('dyn(object).spec', 'dyn(oldObject).spec', ['jobTemplate'])} && ` +
            `${celSameExcept('dyn(object).spec.jobTemplate', 'dyn(oldObject).spec.jobTemplate', ['spec'])} && ` +
            `${celSameExcept('dyn(object).spec.jobTemplate.spec', 'dyn(oldObject).spec.jobTemplate.spec', ['template'])} : ` +
            `${celSameExcept('dyn(object).spec', 'dyn(oldObject).spec', ['template'])})`,
        ),
        message: `${username} may only change container images; this request changes the workload spec (replicas, strategy, schedule, ...)`,
      },
      {
        expression: onUpdate(
          `${celSameExcept('variables.newTemplate', 'variables.oldTemplate', ['spec'])} && ` +
            `${celSameExcept('variables.newTemplate.spec', 'variables.oldTemplate.spec', ['containers', 'initContainers'])}`,
        ),
        message: `${username} may only change container images; this request changes the pod template outside its containers`,
      },
      {
        expression: onUpdate(
          `${sameContainersExceptImages('variables.newTemplate.spec.containers', 'variables.oldTemplate.spec.containers')} && ` +
            sameContainersExceptImages(
              celListOrEmpty('variables.newTemplate.spec', 'initContainers'),
              celListOrEmpty('variables.oldTemplate.spec', 'initContainers'),
            ),
        ),
        message: `${username} may only change container images; this request adds, removes or changes containers in another way`,
      },
    ],
  });
  return [
    serviceAccount,
    role(props.namespace, name, IMAGE_UPDATER_RULES),
    roleBinding(props.namespace, name, name, [serviceAccountSubject(props.serviceAccount)]),
    ...policy,
  ];
}
