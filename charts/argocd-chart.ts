import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import {
  ArgoCdNotifications,
  ArgoCdProject,
  ArgoCdRbac,
  KubeObject,
  ProductionApplication,
  PullRequestParameter,
  PullRequestPreviews,
  ingressHostPatches,
  namespacedGroupKindsOf,
  pullRequestParameter,
} from '../lib';
import { alertTriggers } from './alerts';
import {
  argocd,
  imageRepositories,
  organisation,
  previews,
  production,
  repository,
  shaTagLength,
} from './config';
import { ARGOCD_DIR, INFRA_DIR, PREVIEW_OVERLAY_DIR, PROD_OVERLAY_DIR } from './paths';

export interface ArgoCdChartProps {
  /** Objects of the kustomize base: what a preview runs. */
  readonly base: readonly KubeObject[];
  /** Objects production runs. */
  readonly prod: readonly KubeObject[];
}

/** The name the policy and the runbooks use for production. */
export const PRODUCTION_APPLICATION = `${organisation}-backend-prod`;

/** ArgoCD's https address: the link in every alert (the host the release workflow's ARGOCD_SERVER names). */
export const ARGOCD_URL = `https://argocd.${organisation}.example`;

/**
 * ArgoCD as code: the production Application and its project, the root Application syncing
 * `infra/argocd/` (this chart's output) from Git, alerts, RBAC and pull-request previews.
 */
export class ArgoCdChart extends Chart {
  constructor(scope: Construct, id: string, props: ArgoCdChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    if (shaTagLength !== 7) {
      throw new Error(
        `shaTagLength is ${shaTagLength}, but previews tag images with the 7 hex digits ArgoCD provides`,
      );
    }
    const repoURL = repository.url;
    const argocdNamespace = argocd.namespace;

    const gitops = new ArgoCdProject(this, 'GitOpsProject', {
      name: 'gitops',
      description: `ArgoCD's own Applications, projects and settings, synced from ${INFRA_DIR}/${ARGOCD_DIR}`,
      repoURL,
      namespaces: [argocdNamespace],
      namespacedKinds: [
        { group: 'argoproj.io', kind: 'Application' },
        { group: 'argoproj.io', kind: 'ApplicationSet' },
        { group: 'argoproj.io', kind: 'AppProject' },
        { group: '', kind: 'ConfigMap' },
      ],
      // ArgoCD's installation and the Applications the previews generate live here too; a hand-made
      // Application, ApplicationSet or AppProject still raises a warning.
      ignoreOrphaned: [
        ...[
          '',
          'apps',
          'batch',
          'coordination.k8s.io',
          'networking.k8s.io',
          'policy',
          'rbac.authorization.k8s.io',
        ].map((group) => ({ group })),
        { group: 'argoproj.io', kind: 'Application', name: `${previews.namespacePrefix}*` },
      ],
      argocdNamespace,
    });
    const productionProject = new ArgoCdProject(this, 'ProductionProject', {
      name: production.namespace,
      description: `Production: ${PROD_OVERLAY_DIR} of main, to namespace ${production.namespace} only`,
      repoURL,
      namespaces: [production.namespace],
      namespacedKinds: namespacedGroupKindsOf(props.prod),
      argocdNamespace,
    });
    productionProject.addSyncRole('ci', 'Release workflow: reads production Applications and may sync them');
    const previewProject = new ArgoCdProject(this, 'PreviewProject', {
      name: 'preview',
      description: `Pull-request previews: namespaces ${previews.namespacePrefix}<number> only`,
      repoURL,
      namespaces: [`${previews.namespacePrefix}*`],
      namespacedKinds: namespacedGroupKindsOf(props.base),
      createsNamespaces: `${previews.namespacePrefix}*`,
      argocdNamespace,
    });

    const root = new ProductionApplication(this, 'Root', {
      name: 'root',
      project: gitops,
      repoURL,
      path: `${INFRA_DIR}/${ARGOCD_DIR}`,
      recurse: true,
      destinationNamespace: argocdNamespace,
      argocdNamespace,
    });
    const backend = new ProductionApplication(this, 'BackendProd', {
      name: PRODUCTION_APPLICATION,
      project: productionProject,
      repoURL,
      path: `${INFRA_DIR}/${PROD_OVERLAY_DIR}`,
      destinationNamespace: production.namespace,
      argocdNamespace,
    });

    const notifications = new ArgoCdNotifications(this, 'Notifications', {
      triggers: alertTriggers,
      slack: { channel: argocd.alertChannel },
      argocdUrl: ARGOCD_URL,
      argocdNamespace,
    });
    notifications.subscribe(root);
    notifications.subscribe(backend);

    new ArgoCdRbac(this, 'Rbac', {
      readOnlyGroups: argocd.developerGroups,
      syncRoles: [{ name: 'oncall', groups: argocd.onCallGroups, projects: [productionProject] }],
      argocdNamespace,
    });

    new PullRequestPreviews(this, 'Previews', {
      project: previewProject,
      github: {
        owner: repository.owner,
        repo: repository.name,
        token: previews.githubToken,
        labels: [previews.label],
      },
      repoURL,
      path: `${INFRA_DIR}/${PREVIEW_OVERLAY_DIR}`,
      images: Object.values(imageRepositories),
      namespacePrefix: previews.namespacePrefix,
      patches: ingressHostPatches(
        props.base,
        (host) =>
          `${host.split('.')[0]}-pr-${pullRequestParameter(PullRequestParameter.NUMBER)}.${previews.hostSuffix}`,
      ),
      argocdNamespace,
    });
  }
}
