import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import {
  GroupKind,
  ArgoCdNotifications,
  ArgoCdProject,
  ArgoCdRbac,
  ArgoCdRbacProps,
  IArgoCdProject,
  IN_CLUSTER_SERVER,
  KubeObject,
  ProductionApplication,
  PullRequestParameter,
  PullRequestPreviews,
  SEALED_SECRET_API_VERSION,
  SEALED_SECRET_GROUP,
  SEALED_SECRET_KIND,
  SealedSecret,
  SealedValueSource,
  ingressHostPatches,
  namespacedGroupKindsOf,
  pullRequestParameter,
} from '../lib';
import { alertTriggers } from './alerts';
import { ArgoCdSecretDeclaration, argocdSecrets } from './argocd-secrets';
import { argocd, organisation, repository, shaTagLength } from './config';
import { EnvironmentDeclaration } from './environment-declaration';
import { previews } from './environments';
import { Identities } from './identities';
import { ArgoCdAccess, PersonaDeclaration, argocdRoleName } from './persona-declaration';
import { PERSONAS } from './personas';
import { ARGOCD_DIR, INFRA_DIR, K8S_DIR, PREVIEW_DIR, overlayDir } from './paths';
import { argocdTargetOf, checkSealedTargets } from './sealed-targets';
import { committedSealedValues, committedSealingClusters } from './sealed-values';

export interface ArgoCdChartProps {
  /** The deployed environments. */
  readonly environments: readonly EnvironmentDeclaration[];
  /** The components (the baseline, then each service): each gets an Application per environment. */
  readonly components: readonly string[];
  /** What each environment runs, by environment name, then by component. */
  readonly deployed: Readonly<Record<string, Readonly<Record<string, readonly KubeObject[]>>>>;
  /** Objects of every base: what a preview runs. */
  readonly base: readonly KubeObject[];
  /** Repositories of the images a preview runs (each tagged with the pull request's head). */
  readonly images: readonly string[];
  /** Who is who: the names of the personas, from the stack file (charts/identities.ts). */
  readonly identities: Identities;
  /**
   * The persona table: each persona with an ArgoCD role gets it in ArgoCD's RBAC.
   * @default PERSONAS
   */
  readonly personas?: readonly PersonaDeclaration[];
  /**
   * Where the sealed values of ArgoCD's own Secrets are read from (folder `argocd`).
   * @default - the files of charts/sealed-secrets/
   */
  readonly sealedValues?: SealedValueSource;
  /**
   * The clusters whose sealing certificate is committed: once ArgoCD's is, its Secrets need sealed values.
   * @default - the clusters of charts/sealing-certificates/<cluster>.pem
   */
  readonly sealingClusters?: readonly string[];
  /**
   * ArgoCD's own Secrets.
   * @default - `argocdSecrets` of charts/argocd-secrets.ts
   */
  readonly argocdSecrets?: readonly ArgoCdSecretDeclaration[];
}

/**
 * ArgoCD's RBAC from the persona table: the groups of every read-only persona, and a sync role per
 * persona that may sync, over `projects` (those of the environments).
 */
export function argocdRbacOf(
  personas: readonly PersonaDeclaration[],
  identities: Identities,
  projects: readonly IArgoCdProject[],
): Pick<ArgoCdRbacProps, 'readOnlyGroups' | 'syncRoles'> {
  const withRole = personas.flatMap((persona) =>
    persona.argocdRole ? [{ persona, role: persona.argocdRole }] : [],
  );
  return {
    readOnlyGroups: withRole
      .filter(({ role }) => role.access === ArgoCdAccess.READ_ONLY)
      .flatMap(({ role }) => role.groups(identities)),
    syncRoles: withRole
      .filter(({ role }) => role.access === ArgoCdAccess.SYNC)
      .map(({ persona, role }) => ({
        name: argocdRoleName(persona),
        groups: role.groups(identities),
        projects,
      })),
  };
}

/**
 * The namespaced kinds an environment's project allows: those of the objects it runs, and SealedSecret,
 * the one way a secret is delivered, before any service declares one (never Secret: rule SEC005).
 */
export const environmentKindsOf = (objects: readonly KubeObject[]): GroupKind[] =>
  namespacedGroupKindsOf([...objects, { apiVersion: SEALED_SECRET_API_VERSION, kind: SEALED_SECRET_KIND }]);

/** The Application of `component` in `environment`: `<organisation>-<component>-<environment>`. */
export const applicationName = (component: string, environment: string): string =>
  `${organisation}-${component}-${environment}`;

/** The name the policy and the runbooks use for production. */
export const PRODUCTION_APPLICATION = applicationName('backend', 'prod');

/** ArgoCD's https address: the link in every alert (the host the release workflow's ARGOCD_SERVER names). */
export const ARGOCD_URL = `https://argocd.${organisation}.example`;

/**
 * ArgoCD as code: an Application per component and environment with the projects fencing them, the root
 * Application syncing `infra/argocd/` (this chart's output) from Git, alerts, RBAC and pull-request
 * previews.
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
        // ArgoCD's own Secrets, sealed (never a Secret: SEC005).
        { group: SEALED_SECRET_GROUP, kind: SEALED_SECRET_KIND },
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
    const projects = this.environmentProjects(props, repoURL);
    const previewProject = new ArgoCdProject(this, 'PreviewProject', {
      name: previews.project,
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
    const applications = props.environments.flatMap((environment) =>
      props.components.map(
        (component) =>
          new ProductionApplication(this, `${component}-${environment.name}`, {
            name: applicationName(component, environment.name),
            project: projects.get(environment.project) as ArgoCdProject,
            repoURL,
            path: `${INFRA_DIR}/${overlayDir(component, environment.name)}`,
            destinationNamespace: environment.namespace,
            destinationServer: environment.cluster?.server,
            argocdNamespace,
          }),
      ),
    );

    const notifications = new ArgoCdNotifications(this, 'Notifications', {
      triggers: alertTriggers,
      slack: { channel: argocd.alertChannel },
      argocdUrl: ARGOCD_URL,
      argocdNamespace,
    });
    for (const application of [root, ...applications]) notifications.subscribe(application);

    new ArgoCdRbac(this, 'Rbac', {
      ...argocdRbacOf(props.personas ?? PERSONAS, props.identities, [...projects.values()]),
      argocdNamespace,
    });

    this.addSealedSecrets(props, argocdNamespace);

    new PullRequestPreviews(this, 'Previews', {
      project: previewProject,
      github: {
        owner: repository.owner,
        repo: repository.name,
        token: previews.githubToken,
        labels: [previews.label],
      },
      repoURL,
      path: `${INFRA_DIR}/${PREVIEW_DIR}`,
      images: props.images,
      namespacePrefix: previews.namespacePrefix,
      patches: ingressHostPatches(
        props.base,
        (host) =>
          `${host.split('.')[0]}-pr-${pullRequestParameter(PullRequestParameter.NUMBER)}.${previews.domain}`,
      ),
      argocdNamespace,
    });
  }

  /**
   * ArgoCD's own Secrets as SealedSecrets root syncs: each one sealed in charts/sealed-secrets/argocd/.
   * Once the certificate of ArgoCD's cluster is committed, a Secret without its sealed values is an error
   * naming the command to run (SEAL003); before, nothing can be sealed, and none is written.
   */
  private addSealedSecrets(props: ArgoCdChartProps, argocdNamespace: string): void {
    const { values, problems } = checkSealedTargets(
      (props.argocdSecrets ?? argocdSecrets).map(argocdTargetOf),
      props.sealedValues ?? committedSealedValues(),
      props.sealingClusters ?? committedSealingClusters(),
    );
    if (problems.length > 0) {
      throw new Error(
        `ArgoCD's own Secrets lack sealed values synth needs:\n${problems.map((line) => `  ${line}`).join('\n')}`,
      );
    }
    for (const { target, values: sealed } of values) {
      new SealedSecret(this, `SealedSecret-${target.name}`, {
        ...sealed,
        namespace: argocdNamespace,
        labels: target.labels,
        plainData: target.plainData,
        type: target.type,
      });
    }
  }

  /**
   * One AppProject per project the environments name, allowing exactly their namespaces, clusters and
   * the kinds they run, and SealedSecrets, the one way a secret is delivered (never a Secret: rule
   * SEC005), before any service declares one; each has the `ci` role the release workflow syncs with.
   */
  private environmentProjects(props: ArgoCdChartProps, repoURL: string): Map<string, ArgoCdProject> {
    const names = [...new Set(props.environments.map((environment) => environment.project))];
    return new Map(
      names.map((name) => {
        const members = props.environments.filter((environment) => environment.project === name);
        const namespaces = [...new Set(members.map((environment) => environment.namespace))];
        const project = new ArgoCdProject(this, `Project-${name}`, {
          name,
          description: `Environments ${members.map((environment) => environment.name).join(', ')}: ${INFRA_DIR}/${K8S_DIR}/*/overlays/<environment> of main, to namespace ${namespaces.join(', ')} only`,
          repoURL,
          namespaces,
          servers: [
            ...new Set(members.map((environment) => environment.cluster?.server ?? IN_CLUSTER_SERVER)),
          ],
          namespacedKinds: environmentKindsOf(
            members.flatMap((environment) => Object.values(props.deployed[environment.name]).flat()),
          ),
          argocdNamespace: argocd.namespace,
        });
        project.addSyncRole(
          'ci',
          'Release workflow: reads the Applications of the project and may sync them',
        );
        return [name, project];
      }),
    );
  }
}
