import { production } from '../charts/environments';
import { ArgoCdAccess, EnvironmentGrant, argocdRoleName } from '../charts/persona-declaration';
import { ClusterAccessSettings } from './settings';

/** The headings of the README's persona table (section "Admins"). */
export const PERSONA_TABLE_HEADINGS = [
  'persona',
  'stack-file keys (default)',
  'in each environment',
  'ArgoCD',
  'access matrix',
] as const;

/** What a grant gives, in words, in the order the grant's fields are declared. */
function describeGrant(grant: EnvironmentGrant): string {
  const parts = [
    ...((grant.readers ?? []).length > 0 ? ['reads'] : []),
    ...(grant.syncer ? ['syncs from Git'] : []),
    ...((grant.breakGlassRequesters ?? []).length > 0 ? ['may impersonate break-glass'] : []),
    ...(grant.breakGlassIdentity ? ['is break-glass: applies what the environment runs'] : []),
    ...((grant.auditedGroups ?? []).length > 0 ? ['audited with bodies'] : []),
  ];
  return parts.length > 0 ? parts.join('; ') : 'nothing';
}

/**
 * The README's persona table, one row of cells per persona of `settings.personas`, computed from the
 * table itself (charts/personas.ts), so a test can hold the README to it. The defaults are the table's.
 */
export function personaTableRows(settings: ClusterAccessSettings): string[][] {
  return settings.personas.map((persona) => {
    const role = persona.argocdRole;
    return [
      `\`${persona.id}\``,
      persona.identities.length > 0
        ? persona.identities.map((setting) => `\`${setting.key}\` (\`${setting.default}\`)`).join(', ')
        : '—',
      describeGrant(persona.access?.(settings.identities, production) ?? {}),
      role === undefined
        ? '—'
        : role.access === ArgoCdAccess.READ_ONLY
          ? 'read-only'
          : `sync (\`role:${argocdRoleName(persona)}\`)`,
      persona.matrix.abilities.length > 0 ? persona.matrix.abilities.join(', ') : 'nothing',
    ];
  });
}
