import { ApiObject, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { IArgoCdProject } from './argocd-project';
import { ARGOCD_API_VERSION, ApplicationSetSpec, KustomizePatch } from '../argocd-api/argocd-types';
import {
  DEFAULT_ARGOCD_NAMESPACE,
  IN_CLUSTER_SERVER,
  RESOURCES_FINALIZER,
  productionSyncPolicy,
} from '../argocd-api/argocd-conventions';

/**
 * The parameters ArgoCD's pull-request generator gives each template (GitHub provider; `labels`, a
 * list, is left out). Templates may use no other.
 * @see https://argo-cd.readthedocs.io/en/release-3.5/operator-manual/applicationset/Generators-Pull-Request/
 */
export enum PullRequestParameter {
  NUMBER = 'number',
  TITLE = 'title',
  BRANCH = 'branch',
  BRANCH_SLUG = 'branch_slug',
  TARGET_BRANCH = 'target_branch',
  TARGET_BRANCH_SLUG = 'target_branch_slug',
  HEAD_SHA = 'head_sha',
  /** The first 8 hex digits of the head commit. */
  HEAD_SHORT_SHA = 'head_short_sha',
  /** The first 7 hex digits of the head commit. */
  HEAD_SHORT_SHA_7 = 'head_short_sha_7',
  AUTHOR = 'author',
}

/** The Go template reference to a generator parameter, `{{ .number }}`. */
export function pullRequestParameter(parameter: PullRequestParameter): string {
  return `{{ .${parameter} }}`;
}

/** A key of a Secret in ArgoCD's namespace. */
export interface SecretKeyReference {
  readonly secretName: string;
  readonly key: string;
}

/** The GitHub repository whose open pull requests get a preview. */
export interface GitHubPullRequests {
  /** Organisation or user. */
  readonly owner: string;
  /** Repository name. */
  readonly repo: string;
  /**
   * Secret key holding a GitHub token that may read the repository's pull requests (created outside Git).
   * @default - anonymous API calls: public repositories only, 60 calls an hour
   */
  readonly token?: SecretKeyReference;
  /**
   * Only pull requests carrying all these labels get a preview (labels can only be set by people with
   * triage access, so an outside contributor cannot start one).
   * @default - every open pull request
   */
  readonly labels?: readonly string[];
}

export interface PullRequestPreviewsProps {
  /** Project of the preview Applications; it must allow the `<namespacePrefix>*` namespaces. */
  readonly project: IArgoCdProject;
  /** Where pull requests are listed. */
  readonly github: GitHubPullRequests;
  /** HTTPS URL of the Git repository ArgoCD reads, at the pull request's head commit. */
  readonly repoURL: string;
  /**
   * Folder rendered for each pull request: a kustomization whose objects include a Namespace.
   * Kustomize moves every object into the preview namespace and renames that Namespace after it,
   * so the namespace belongs to the preview and is deleted with it.
   */
  readonly path: string;
  /** Image repositories whose tag becomes `sha-<first 7 hex digits of the pull request head>`. */
  readonly images: readonly string[];
  /**
   * Kustomize patches applied on top, e.g. to give Ingresses a host of their own. They may use
   * `pullRequestParameter()`.
   * @default - none
   */
  readonly patches?: readonly KustomizePatch[];
  /**
   * Prefix of the namespace (and Application) name, followed by the pull request number.
   * @default 'preview-'
   */
  readonly namespacePrefix?: string;
  /**
   * How often GitHub is asked for open pull requests: a closed pull request's preview is deleted
   * within this time.
   * @default Duration.minutes(5)
   */
  readonly pollInterval?: Duration;
  /**
   * Name of the ApplicationSet.
   * @default 'previews'
   */
  readonly name?: string;
  /**
   * Namespace ArgoCD is installed in.
   * @default 'argocd'
   */
  readonly argocdNamespace?: string;
}

/**
 * An ApplicationSet with ArgoCD's pull-request generator: one Application per open pull request,
 * named and deployed to `<namespacePrefix><number>`, rendering `path` at the pull request's head
 * commit with its images tagged `sha-<head 7>`. Generated Applications carry the resources
 * finalizer and the ApplicationSet may delete them, so a closed pull request's preview, namespace
 * included, is deleted. Templates use Go templates with `missingkey=error`: a parameter the generator
 * does not provide fails loudly instead of rendering empty.
 */
export class PullRequestPreviews extends Construct {
  public readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: PullRequestPreviewsProps) {
    super(scope, id);
    const prefix = props.namespacePrefix ?? 'preview-';
    if (!/^[a-z][-a-z0-9]*-$/.test(prefix)) {
      throw new Error(`${this.node.path}: namespacePrefix "${prefix}" must be lower case and end with "-"`);
    }
    if (!props.project.allowsDestination(IN_CLUSTER_SERVER, `${prefix}1`)) {
      throw new Error(
        `${this.node.path}: project "${props.project.name}" does not allow namespace "${prefix}<number>": add "${prefix}*" to its namespaces`,
      );
    }
    if (props.images.length === 0)
      throw new Error(`${this.node.path}: images is empty: name the images a preview runs`);
    const pollSeconds = (props.pollInterval ?? Duration.minutes(5)).toSeconds();
    const argocdNamespace = props.argocdNamespace ?? DEFAULT_ARGOCD_NAMESPACE;
    const name = props.name ?? 'previews';
    const previewName = `${prefix}${pullRequestParameter(PullRequestParameter.NUMBER)}`;
    const tag = `sha-${pullRequestParameter(PullRequestParameter.HEAD_SHORT_SHA_7)}`;

    const spec: ApplicationSetSpec = {
      goTemplate: true,
      goTemplateOptions: ['missingkey=error'],
      generators: [
        {
          pullRequest: {
            github: {
              owner: props.github.owner,
              repo: props.github.repo,
              tokenRef: props.github.token,
              labels: props.github.labels ? [...props.github.labels] : undefined,
            },
            requeueAfterSeconds: pollSeconds,
          },
        },
      ],
      syncPolicy: { applicationsSync: 'sync', preserveResourcesOnDeletion: false },
      template: {
        metadata: {
          name: previewName,
          namespace: argocdNamespace,
          labels: { 'app.kubernetes.io/part-of': name },
          finalizers: [RESOURCES_FINALIZER],
        },
        spec: {
          project: props.project.name,
          source: {
            repoURL: props.repoURL,
            targetRevision: pullRequestParameter(PullRequestParameter.HEAD_SHA),
            path: props.path,
            kustomize: {
              namespace: previewName,
              images: props.images.map((repository) => `${repository}:${tag}`),
              patches: props.patches ? [...props.patches] : undefined,
            },
          },
          destination: { server: IN_CLUSTER_SERVER, namespace: previewName },
          syncPolicy: productionSyncPolicy(),
        },
      },
    };
    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: ARGOCD_API_VERSION,
      kind: 'ApplicationSet',
      metadata: { name, namespace: argocdNamespace },
      spec,
    });
  }
}
