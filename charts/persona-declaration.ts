import { ServiceAccountRef } from '../lib/access/rbac-objects';
import { EnvironmentDeclaration } from './environment-declaration';

/**
 * Who is who: identity key (the stack file's key under the project, e.g. `developersGroup`) → the name
 * it holds. Every key of every persona of the table is present.
 */
export type Identities = Readonly<Record<string, string>>;

/** A name a persona is known by, set in the committed stack file (`pulumi config set <key> <value>`). */
export interface IdentitySetting {
  /** Key under the project in the stack file, e.g. `developersGroup`; unique across the table. */
  readonly key: string;
  /** The name used when the stack file sets none; Pulumi.prod.yaml writes it out as the example. */
  readonly default: string;
  /** What the name is, for a reader of the table (and of errors). */
  readonly description: string;
  /**
   * Checks a value before anything uses it; throws, naming `source` (the full key) and the fix.
   * @default - any non-empty string
   */
  readonly check?: (value: string, source: string) => void;
}

/**
 * What one persona gets in one environment's namespace, as its part of the objects the cluster side
 * shares (one `read-only` RoleBinding lists every reader, so a new reader changes a list, not the set
 * of objects).
 */
export interface EnvironmentGrant {
  /**
   * Groups that read the namespace: no secrets, exec or port-forward (lib/access/read-only-access.ts).
   * @default - none
   */
  readonly readers?: readonly string[];
  /**
   * The GitOps controller that keeps the namespace equal to Git (lib/access/sync-access.ts); one per
   * environment.
   * @default - none
   */
  readonly syncer?: ServiceAccountRef;
  /**
   * Groups that may take the break-glass identity by impersonation.
   * @default - none
   */
  readonly breakGlassRequesters?: readonly string[];
  /**
   * The break-glass identity itself (lib/access/break-glass-access.ts); one per environment.
   * @default - none
   */
  readonly breakGlassIdentity?: { readonly group: string; readonly user: string };
  /**
   * Groups whose every request the API server records with its bodies (lib/access/audit-policy.ts).
   * @default - none
   */
  readonly auditedGroups?: readonly string[];
}

/** Whether an ArgoCD role may also sync, or only read. */
export enum ArgoCdAccess {
  /** Sees every Application, changes nothing. */
  READ_ONLY = 'read-only',
  /** May also sync (and therefore roll back) the Applications of every project. */
  SYNC = 'sync',
}

/** The ArgoCD role of a persona (charts/argocd-chart.ts writes it into `argocd-rbac-cm`). */
export interface ArgoCdRoleDeclaration {
  readonly access: ArgoCdAccess;
  /**
   * Name of the sync role in ArgoCD's policy (`role:<name>`); read-only groups share ArgoCD's
   * read-only role.
   * @default - the persona's id
   */
  readonly roleName?: string;
  /** The SSO groups that hold the role, from the persona's identities. */
  readonly groups: (identities: Identities) => readonly string[];
}

/** The name of `persona`'s role in ArgoCD's policy: `roleName`, or the persona's id in lower case. */
export function argocdRoleName(persona: PersonaDeclaration): string {
  return persona.argocdRole?.roleName ?? persona.id.toLowerCase();
}

/**
 * The kinds of request the access matrix (stacks/access-matrix.ts) asks about; a persona lists those it
 * may make, every other one is expected to be denied.
 */
export enum MatrixAbility {
  /** Read what runs in an environment's namespace (not secrets). */
  READ = 'read',
  /** Create, patch and delete the kinds the environment runs: what applying its manifests takes. */
  APPLY = 'apply',
  /** Secrets, exec, attach, port-forward, eviction and scale: the emergency rights. */
  EMERGENCY = 'emergency',
  /** Everything GitOps writes beyond applying: replace, kinds the environment does not run yet, pods. */
  SYNC = 'sync',
  /** Impersonate the break-glass identity. */
  IMPERSONATE_BREAK_GLASS = 'impersonate-break-glass',
}

/** How the API server sees a persona in the access matrix, and what the matrix expects it to be allowed. */
export interface MatrixPersonaDeclaration {
  /** Column heading. */
  readonly title: string;
  /** The user name and groups of its requests (for break-glass: after impersonation). */
  readonly subject: (identities: Identities) => { readonly user: string; readonly groups: readonly string[] };
  /** The kinds of request it may make; every other row of the matrix must be denied to it. */
  readonly abilities: readonly MatrixAbility[];
}

/**
 * One row of the persona table (charts/personas.ts): someone who uses the cluster, the names the stack
 * file gives it, what it gets in each environment, in ArgoCD and in the access matrix.
 */
export interface PersonaDeclaration {
  /** Short stable key: the access matrix's persona id, e.g. `developer`. */
  readonly id: string;
  /** The names it is known by, set in the stack file. A persona may have none (an outsider). */
  readonly identities: readonly IdentitySetting[];
  /**
   * What it gets in the namespace of `environment`, from its names.
   * @default - nothing
   */
  readonly access?: (identities: Identities, environment: EnvironmentDeclaration) => EnvironmentGrant;
  /**
   * Its role in ArgoCD.
   * @default - none: ArgoCD grants it nothing
   */
  readonly argocdRole?: ArgoCdRoleDeclaration;
  /** Its column of the access matrix. */
  readonly matrix: MatrixPersonaDeclaration;
}
