import {
  DEFAULT_PROJECT,
  IN_CLUSTER_NAME,
  IN_CLUSTER_SERVER,
  REQUIRED_SYNC_OPTIONS,
  RESOURCES_FINALIZER,
  SUBSCRIBE_ANNOTATION_PREFIX,
  SYNC_RETRY_LIMIT,
} from '../argocd-api/argocd-conventions';
import { AppProjectSpec, ApplicationSetSpec } from '../argocd-api/argocd-types';
import { Unchecked } from '../argocd-api/unchecked';
import { KubeObject } from '../manifest/kube-object';
import {
  SpecAt,
  applicationSpecsOf,
  findings,
  isAllowedCluster,
  isApplication,
  isApplicationSet,
  isAppProject,
  isArgoCdObject,
  isPreviewNamespace,
  sourcesOf,
  withArgoCdOptions,
} from './argocd-objects';
import { indexOf } from './object-index';
import { Finding, PolicyRule } from './types';

/** Checks the Application spec of Applications only (not ApplicationSet templates). */
const eachApplicationSpec = (object: KubeObject, check: (at: SpecAt) => Finding[]): Finding[] =>
  isApplication(object) ? applicationSpecsOf(object).flatMap(check) : [];

/** Checks the Application spec of Applications and of ApplicationSet templates. */
const eachSpec = (object: KubeObject, check: (at: SpecAt) => Finding[]): Finding[] =>
  applicationSpecsOf(object).flatMap(check);

export const ARGO_AUTOMATED_SYNC: PolicyRule = {
  id: 'ARGO001',
  title: 'Applications sync automatically, prune and self-heal',
  fix: 'Build the Application with ProductionApplication: syncPolicy.automated with prune: true and selfHeal: true, never enabled: false or allowEmpty: true.',
  check: (object) =>
    eachApplicationSpec(object, ({ where, spec }) => {
      const automated = spec.syncPolicy?.automated;
      if (!automated)
        return findings(`${where}.syncPolicy.automated is not set: changes in Git are not applied`);
      return findings(
        automated.enabled === false && `${where}.syncPolicy.automated.enabled is false`,
        automated.prune !== true &&
          `${where}.syncPolicy.automated.prune is not true: objects removed from Git stay`,
        automated.selfHeal !== true &&
          `${where}.syncPolicy.automated.selfHeal is not true: manual changes in the cluster are not reverted`,
        automated.allowEmpty === true &&
          `${where}.syncPolicy.automated.allowEmpty is true: an empty render would delete everything`,
      );
    }),
};

export const ARGO_SYNC_OPTIONS: PolicyRule = {
  id: 'ARGO002',
  title: 'Syncs never create namespaces and prune last',
  fix: `Set syncPolicy.syncOptions to contain ${REQUIRED_SYNC_OPTIONS.join(' and ')}, and nothing contradicting them.`,
  check: (object) =>
    eachSpec(object, ({ where, spec }) => {
      const options = spec.syncPolicy?.syncOptions ?? [];
      return [
        ...REQUIRED_SYNC_OPTIONS.filter((option) => !options.includes(option)).map((option) => ({
          message: `${where}.syncPolicy.syncOptions lacks ${option}`,
        })),
        ...options
          .filter((option) => {
            const [key] = option.split('=');
            return REQUIRED_SYNC_OPTIONS.some(
              (required) => required.startsWith(`${key}=`) && required !== option,
            );
          })
          .map((option) => ({ message: `${where}.syncPolicy.syncOptions contains ${option}` })),
      ];
    }),
};

export const ARGO_TRACKS_MAIN: PolicyRule = {
  id: 'ARGO003',
  title: 'Applications track the production branch only',
  fix: 'Set targetRevision of every source to the production branch (main); never a tag, a commit or another branch.',
  check: (object, options) =>
    isApplication(object)
      ? withArgoCdOptions(options, ({ revision }) =>
          eachApplicationSpec(object, (at) => {
            const sources = sourcesOf(at);
            if (sources.length === 0) return findings(`${at.where} has no source`);
            return sources.flatMap(({ where, source }) =>
              findings(
                source.targetRevision !== revision &&
                  `${where}.targetRevision is "${source.targetRevision ?? '<unset>'}", not "${revision}"`,
              ),
            );
          }),
        )
      : [],
};

export const ARGO_OWN_REPOSITORY: PolicyRule = {
  id: 'ARGO004',
  title: 'Applications deploy only from this repository',
  fix: 'Set repoURL of every source to the configured repository (charts/config.ts).',
  check: (object, options) =>
    applicationSpecsOf(object).length === 0
      ? []
      : withArgoCdOptions(options, ({ repoURL }) =>
          eachSpec(object, (at) =>
            sourcesOf(at).flatMap(({ where, source }) =>
              findings(
                source.repoURL !== repoURL &&
                  `${where}.repoURL is "${source.repoURL ?? '<unset>'}", not ${repoURL}`,
              ),
            ),
          ),
        ),
};

export const ARGO_IN_CLUSTER: PolicyRule = {
  id: 'ARGO005',
  title: 'Applications deploy to the cluster ArgoCD runs in, or to a registered cluster an environment names',
  fix: `Set destination.server to ${IN_CLUSTER_SERVER} (or destination.name to ${IN_CLUSTER_NAME}), or to the URL of a registered cluster the policy allows (registeredClusters), and a namespace.`,
  check: (object, options) =>
    eachSpec(object, ({ where, spec }) => {
      const destination = spec.destination ?? {};
      return findings(
        !isAllowedCluster(destination, options) &&
          `${where}.destination is server "${destination.server ?? '<unset>'}", name "${destination.name ?? '<unset>'}"`,
        !destination.namespace && `${where}.destination.namespace is not set`,
      );
    }),
};

export const ARGO_PROJECT: PolicyRule = {
  id: 'ARGO006',
  title: 'Applications belong to a project other than default',
  fix: 'Place the Application in a project fenced to this repository and its namespaces (ArgoCdProject).',
  check: (object) =>
    eachSpec(object, ({ where, spec }) =>
      findings(
        (spec.project === undefined || spec.project === '' || spec.project === DEFAULT_PROJECT) &&
          `${where}.project is "${spec.project ?? '<unset>'}"`,
      ),
    ),
};

export const ARGO_RETRY: PolicyRule = {
  id: 'ARGO007',
  title: 'Failed syncs are retried as often as the sync-failed alert assumes',
  fix: `Set syncPolicy.retry.limit to ${SYNC_RETRY_LIMIT} with a backoff (productionSyncPolicy()).`,
  check: (object) =>
    eachSpec(object, ({ where, spec }) => {
      const retry = spec.syncPolicy?.retry;
      return findings(
        retry?.limit !== SYNC_RETRY_LIMIT &&
          `${where}.syncPolicy.retry.limit is ${retry?.limit ?? '<unset>'}`,
        !retry?.backoff?.duration && `${where}.syncPolicy.retry.backoff.duration is not set`,
      );
    }),
};

export const ARGO_UNIQUE_NAMES: PolicyRule = {
  id: 'ARGO008',
  title: 'ArgoCD objects have unique names',
  fix: 'Rename or remove one of the objects: ArgoCD keeps only one object of a kind and name, so the last applied wins.',
  comparesAcross: isArgoCdObject,
  check: (object, _options, all) => {
    if (!isArgoCdObject(object)) return [];
    const name = object.metadata?.name;
    const namesakes = indexOf(all, 'argocd kind/name', (other) =>
      isArgoCdObject(other) ? `${other.kind}/${other.metadata?.name ?? ''}` : undefined,
    ).get(`${object.kind}/${name ?? ''}`) ?? [object];
    return findings(
      namesakes.length > 1 && `${namesakes.length} ${object.kind}s are named "${name ?? '<unset>'}"`,
    );
  },
};

/** Namespaces a project's destinations name, from the AppProject of that name in `all`. */
function projectNamespaces(project: string | undefined, all: readonly KubeObject[]): string[] | undefined {
  const [found] =
    indexOf(all, 'AppProject name', (other) =>
      isAppProject(other) ? (other.metadata?.name ?? '') : undefined,
    ).get(project ?? '') ?? [];
  const destinations = (found?.spec as Unchecked<AppProjectSpec> | undefined)?.destinations;
  return found ? (destinations ?? []).map((destination) => destination.namespace ?? '') : undefined;
}

export const ARGO_PREVIEW_NOT_PRODUCTION: PolicyRule = {
  id: 'ARGO009',
  title: 'Preview applications never target production',
  fix: 'Deploy previews to "<preview prefix><number>" with kustomize.namespace set to the same namespace, in a project that cannot reach production.',
  comparesAcross: isArgoCdObject,
  check: (object, options, all) =>
    applicationSpecsOf(object).length === 0
      ? []
      : withArgoCdOptions(options, (argocd) =>
          eachSpec(object, (at) => {
            const { where, spec } = at;
            const namespaces = projectNamespaces(spec.project, all);
            const inPreviewProject = namespaces?.some((namespace) =>
              namespace.startsWith(argocd.previewNamespacePrefix),
            );
            const destination = spec.destination?.namespace;
            const isPreview =
              isApplicationSet(object) ||
              inPreviewProject === true ||
              isPreviewNamespace(destination, argocd);
            if (!isPreview) return [];
            return [
              ...findings(
                !isPreviewNamespace(destination, argocd) &&
                  `${where}.destination.namespace is "${destination ?? '<unset>'}", not a "${argocd.previewNamespacePrefix}" namespace`,
                namespaces?.includes(argocd.productionNamespace) &&
                  `${where}.project "${spec.project}" may deploy to ${argocd.productionNamespace}`,
              ),
              // Manifests name their namespace: without kustomize moving them, they land where they say.
              ...sourcesOf(at).flatMap(({ where: sourceAt, source }) =>
                findings(
                  source.kustomize?.namespace !== destination &&
                    `${sourceAt}.kustomize.namespace is "${source.kustomize?.namespace ?? '<unset>'}", so objects keep the namespace their manifests name`,
                ),
              ),
            ];
          }),
        ),
};

export const ARGO_PREVIEW_CLEANUP: PolicyRule = {
  id: 'ARGO010',
  title: 'Previews are deleted with their pull request',
  fix: `Let the ApplicationSet delete Applications (applicationsSync "sync", preserveResourcesOnDeletion false) and give the template the ${RESOURCES_FINALIZER} finalizer.`,
  check: (object) => {
    if (!isApplicationSet(object)) return [];
    const spec = (object.spec ?? {}) as Unchecked<ApplicationSetSpec>;
    const sync = spec.syncPolicy?.applicationsSync;
    return findings(
      (sync === 'create-only' || sync === 'create-update') &&
        `spec.syncPolicy.applicationsSync is "${sync}": Applications of closed pull requests are kept`,
      spec.syncPolicy?.preserveResourcesOnDeletion === true &&
        'spec.syncPolicy.preserveResourcesOnDeletion is true: deleted previews keep running',
      !(spec.template?.metadata?.finalizers ?? []).includes(RESOURCES_FINALIZER) &&
        `spec.template.metadata.finalizers lacks ${RESOURCES_FINALIZER}: deleting a preview leaves its objects`,
    );
  },
};

export const ARGO_ALERT_SUBSCRIPTIONS: PolicyRule = {
  id: 'ARGO011',
  title: 'Applications are subscribed to the alerts',
  fix: 'Subscribe the Application with ArgoCdNotifications.subscribe() (annotations notifications.argoproj.io/subscribe.<trigger>.<service>).',
  check: (object, options) =>
    isApplication(object)
      ? withArgoCdOptions(options, ({ alertSubscriptions }) =>
          (alertSubscriptions ?? [])
            .filter(
              (subscription) =>
                !object.metadata?.annotations?.[`${SUBSCRIBE_ANNOTATION_PREFIX}${subscription}`],
            )
            .map((subscription) => ({
              message: `no ${SUBSCRIBE_ANNOTATION_PREFIX}${subscription} annotation`,
            })),
        )
      : [],
};

/** The Application and ApplicationSet rules, in id order. */
export const ARGOCD_APPLICATION_RULES: readonly PolicyRule[] = [
  ARGO_AUTOMATED_SYNC,
  ARGO_SYNC_OPTIONS,
  ARGO_TRACKS_MAIN,
  ARGO_OWN_REPOSITORY,
  ARGO_IN_CLUSTER,
  ARGO_PROJECT,
  ARGO_RETRY,
  ARGO_UNIQUE_NAMES,
  ARGO_PREVIEW_NOT_PRODUCTION,
  ARGO_PREVIEW_CLEANUP,
  ARGO_ALERT_SUBSCRIPTIONS,
];
