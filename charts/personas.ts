import { parseServiceAccountRef, serviceAccountUsername } from '../lib/access/rbac-objects';
import { organisation } from './config';
import { ArgoCdAccess, MatrixAbility, PersonaDeclaration } from './persona-declaration';

const AUTHENTICATED = 'system:authenticated';

/** The controller's service account, from its `<namespace>/<name>` identity. */
const argocdController = (value: string) => parseServiceAccountRef(value, 'argocdServiceAccount');

/**
 * THE persona table: who uses the cluster, the names the stack file (Pulumi.prod.yaml) gives them, what
 * each gets in every environment's namespace, in ArgoCD and in the access matrix. `Identities`, the
 * cluster settings, the cluster RBAC, the audit policy, ArgoCD's RBAC and docs/access-matrix.md are all
 * computed from it. A new persona is one more row: its names, its access function, its matrix column.
 */
export const PERSONAS: readonly PersonaDeclaration[] = [
  {
    id: 'developer',
    identities: [
      {
        key: 'developersGroup',
        default: `${organisation}:developers`,
        description:
          'GitHub team of the developers (`<org>:<team>`, as Dex and the OIDC of the API server report it)',
      },
    ],
    access: (ids) => ({ readers: [ids.developersGroup] }),
    argocdRole: { access: ArgoCdAccess.READ_ONLY, groups: (ids) => [ids.developersGroup] },
    matrix: {
      title: 'developer',
      subject: (ids) => ({ user: 'dev-alice', groups: [ids.developersGroup, AUTHENTICATED] }),
      abilities: [MatrixAbility.READ],
    },
  },
  {
    id: 'oncall',
    identities: [
      {
        key: 'oncallGroup',
        default: `${organisation}:oncall`,
        description: 'GitHub team of on-call: syncs and rolls back in ArgoCD, may request break-glass',
      },
    ],
    access: (ids) => ({
      readers: [ids.oncallGroup],
      breakGlassRequesters: [ids.oncallGroup],
      // The API server picks the audit level before impersonation: whoever may take break-glass is audited.
      auditedGroups: [ids.oncallGroup],
    }),
    argocdRole: { access: ArgoCdAccess.SYNC, groups: (ids) => [ids.oncallGroup] },
    matrix: {
      title: 'on-call',
      subject: (ids) => ({ user: 'oncall-bob', groups: [ids.oncallGroup, AUTHENTICATED] }),
      abilities: [MatrixAbility.READ, MatrixAbility.IMPERSONATE_BREAK_GLASS],
    },
  },
  {
    id: 'breakGlass',
    identities: [
      {
        key: 'breakGlassGroup',
        default: `${organisation}:break-glass`,
        description: 'group a break-glass session impersonates; nobody is a member',
      },
      {
        key: 'breakGlassUser',
        default: `${organisation}:break-glass-user`,
        description: 'user a break-glass session impersonates; holds no rights of its own',
      },
    ],
    access: (ids) => ({
      breakGlassIdentity: { group: ids.breakGlassGroup, user: ids.breakGlassUser },
      auditedGroups: [ids.breakGlassGroup],
    }),
    matrix: {
      title: 'break-glass (impersonated)',
      subject: (ids) => ({ user: ids.breakGlassUser, groups: [ids.breakGlassGroup, AUTHENTICATED] }),
      abilities: [MatrixAbility.READ, MatrixAbility.APPLY, MatrixAbility.EMERGENCY],
    },
  },
  {
    id: 'argocd',
    identities: [
      {
        key: 'argocdServiceAccount',
        default: 'argocd/argocd-application-controller',
        description:
          "ArgoCD's application controller, `<namespace>/<name>`: the only writer of the environments",
        check: (value, source) => void parseServiceAccountRef(value, source),
      },
    ],
    access: (ids) => ({ syncer: argocdController(ids.argocdServiceAccount) }),
    matrix: {
      title: 'ArgoCD controller',
      subject: (ids) => {
        const account = argocdController(ids.argocdServiceAccount);
        return {
          user: serviceAccountUsername(account),
          groups: ['system:serviceaccounts', `system:serviceaccounts:${account.namespace}`, AUTHENTICATED],
        };
      },
      abilities: [MatrixAbility.READ, MatrixAbility.APPLY, MatrixAbility.SYNC],
    },
  },
  {
    id: 'outsider',
    identities: [],
    matrix: {
      title: 'other user',
      subject: () => ({ user: 'eve', groups: [AUTHENTICATED] }),
      abilities: [],
    },
  },
];
