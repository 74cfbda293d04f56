import { IN_CLUSTER_SERVER } from '../argocd-api/argocd-conventions';
import { AppProjectSpec } from '../argocd-api/argocd-types';
import { Unchecked } from '../argocd-api/unchecked';
import { KubeObject } from '../manifest/kube-object';
import { findings, isAllowedCluster, isAppProject, withArgoCdOptions } from './argocd-objects';
import { Finding, PolicyRule } from './types';

/** What the project rules read of an AppProject's spec. */
type ProjectSpec = Unchecked<AppProjectSpec>;

const eachProject = (object: KubeObject, check: (spec: ProjectSpec, name: string) => Finding[]): Finding[] =>
  isAppProject(object) ? check((object.spec ?? {}) as ProjectSpec, object.metadata?.name ?? '') : [];

const namespacesOf = (spec: ProjectSpec): string[] =>
  (spec.destinations ?? []).map((destination) => destination.namespace ?? '');

export const ARGO_PROJECT_REPOSITORY: PolicyRule = {
  id: 'ARGO012',
  title: 'Projects allow only this repository',
  fix: 'Set spec.sourceRepos to exactly the configured repository; never "*".',
  check: (object, options) =>
    isAppProject(object)
      ? withArgoCdOptions(options, ({ repoURL }) =>
          eachProject(object, (spec) => {
            const repos = spec.sourceRepos ?? [];
            return findings(
              (repos.length !== 1 || repos[0] !== repoURL) &&
                `spec.sourceRepos is [${repos.join(', ')}], not [${repoURL}]`,
            );
          }),
        )
      : [],
};

export const ARGO_PROJECT_CLUSTER_RESOURCES: PolicyRule = {
  id: 'ARGO013',
  title: 'Projects create no cluster-scoped objects, except preview namespaces',
  fix: 'Empty spec.clusterResourceWhitelist; a preview project may list only Namespace with a name "<preview prefix>*".',
  check: (object, options) =>
    isAppProject(object)
      ? withArgoCdOptions(options, ({ previewNamespacePrefix, productionNamespace }) =>
          eachProject(object, (spec) =>
            (spec.clusterResourceWhitelist ?? []).flatMap((entry) => {
              const previewNamespaces =
                entry.group === '' &&
                entry.kind === 'Namespace' &&
                entry.name !== undefined &&
                entry.name.startsWith(previewNamespacePrefix) &&
                entry.name.length > previewNamespacePrefix.length;
              const label = `${entry.group || 'core'}/${entry.kind ?? '<unset>'}${entry.name ? ` named ${entry.name}` : ''}`;
              return findings(
                !previewNamespaces && `spec.clusterResourceWhitelist allows ${label}`,
                previewNamespaces &&
                  namespacesOf(spec).includes(productionNamespace) &&
                  `spec.clusterResourceWhitelist allows ${label} in a project that deploys to ${productionNamespace}`,
              );
            }),
          ),
        )
      : [],
};

export const ARGO_PROJECT_DESTINATIONS: PolicyRule = {
  id: 'ARGO014',
  title: 'Projects deploy only to named namespaces of the cluster ArgoCD runs in',
  fix: `Give every destination server ${IN_CLUSTER_SERVER} (or the URL of a registered cluster the policy allows) and a namespace name (a trailing "*" only after a prefix).`,
  check: (object, options) =>
    eachProject(object, (spec) => {
      const destinations = spec.destinations ?? [];
      if (destinations.length === 0) return findings('spec.destinations is empty');
      return destinations.flatMap((destination, index) => {
        return findings(
          !isAllowedCluster(destination, options) &&
            `spec.destinations[${index}] is server "${destination.server ?? '<unset>'}", name "${destination.name ?? '<unset>'}"`,
          !/^[a-z0-9][-a-z0-9]*\*?$/.test(destination.namespace ?? '') &&
            `spec.destinations[${index}].namespace is "${destination.namespace ?? '<unset>'}"`,
        );
      });
    }),
};

export const ARGO_PROJECT_ORPHANS: PolicyRule = {
  id: 'ARGO015',
  title: 'Projects deploying to production warn about resources Git does not describe',
  fix: 'Set spec.orphanedResources.warn: true.',
  check: (object, options) =>
    isAppProject(object)
      ? withArgoCdOptions(options, ({ productionNamespace }) =>
          eachProject(object, (spec) =>
            findings(
              namespacesOf(spec).includes(productionNamespace) &&
                spec.orphanedResources?.warn !== true &&
                'spec.orphanedResources.warn is not true: objects created in production by hand go unnoticed',
            ),
          ),
        )
      : [],
};

const ROLE_ACTIONS = new Set(['get', 'sync']);

export const ARGO_PROJECT_ROLES: PolicyRule = {
  id: 'ARGO016',
  title: 'Project roles may only read and sync the project’s Applications',
  fix: 'Give project roles only "p, proj:<project>:<role>, applications, get|sync, <project>/*, allow" lines (ArgoCdProject.addSyncRole).',
  check: (object) =>
    eachProject(object, (spec, project) =>
      (spec.roles ?? []).flatMap((role) =>
        (role.policies ?? []).flatMap((line) => {
          const [kind, subject, resource, action, target, effect] = line
            .split(',')
            .map((field) => field.trim());
          const allowed =
            kind === 'p' &&
            subject === `proj:${project}:${role.name ?? ''}` &&
            resource === 'applications' &&
            ROLE_ACTIONS.has(action) &&
            target?.startsWith(`${project}/`) === true &&
            effect === 'allow';
          return findings(!allowed && `role "${role.name ?? '<unset>'}" has policy "${line}"`);
        }),
      ),
    ),
};

/** The AppProject rules, in id order. */
export const ARGOCD_PROJECT_RULES: readonly PolicyRule[] = [
  ARGO_PROJECT_REPOSITORY,
  ARGO_PROJECT_CLUSTER_RESOURCES,
  ARGO_PROJECT_DESTINATIONS,
  ARGO_PROJECT_ORPHANS,
  ARGO_PROJECT_ROLES,
];
