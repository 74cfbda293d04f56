import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { IArgoCdProject } from './argocd-project';
import { ARGOCD_API_VERSION, ApplicationSpec } from '../argocd-api/argocd-types';
import {
  DEFAULT_ARGOCD_NAMESPACE,
  IN_CLUSTER_SERVER,
  PRODUCTION_BRANCH,
  productionSyncPolicy,
} from '../argocd-api/argocd-conventions';
import { DNS_LABEL } from '../manifest/dns-label';

/** An Application that notifications can subscribe to. */
export interface IArgoCdApplication {
  /** `metadata.name`. */
  readonly name: string;
  /** Adds an annotation to the Application's metadata. */
  addAnnotation(key: string, value: string): void;
}

export interface ProductionApplicationProps {
  /** Name of the Application: unique in the ArgoCD instance. */
  readonly name: string;
  /** Project the Application belongs to; it must allow `destinationNamespace`. */
  readonly project: IArgoCdProject;
  /** HTTPS URL of the Git repository ArgoCD reads. */
  readonly repoURL: string;
  /** Folder of the repository (relative, no `..`) that ArgoCD renders: a kustomization or plain manifests. */
  readonly path: string;
  /** Namespace of the destination cluster for objects of `path` that name none. */
  readonly destinationNamespace: string;
  /**
   * API server URL of the cluster to deploy to; the project must allow it.
   * @default - the in-cluster API server, ArgoCD's own cluster
   */
  readonly destinationServer?: string;
  /**
   * Read the manifests of the subfolders of `path` too. Only for plain manifests: a folder with a
   * kustomization is rendered by kustomize, which finds its own files.
   * @default false
   */
  readonly recurse?: boolean;
  /**
   * Namespace ArgoCD is installed in, where the Application object lives.
   * @default 'argocd'
   */
  readonly argocdNamespace?: string;
}

/**
 * An ArgoCD Application that keeps a folder of `main` applied to a cluster (ArgoCD's own by default):
 * automated sync with prune and self-heal, `CreateNamespace=false` and `PruneLast=true`, bounded
 * retries (`productionSyncPolicy()`). None of this can be configured: there is no prop for the
 * revision or the sync policy.
 *
 * The Application carries no resources finalizer: deleting it (or pruning it from an app of apps)
 * leaves what it deployed running.
 */
export class ProductionApplication extends Construct implements IArgoCdApplication {
  public readonly name: string;
  public readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: ProductionApplicationProps) {
    super(scope, id);
    if (!DNS_LABEL.test(props.name)) {
      throw new Error(`${this.node.path}: name "${props.name}" is not a DNS label (lower case, digits, "-")`);
    }
    if (props.path.startsWith('/') || props.path.split('/').includes('..') || props.path.trim() === '') {
      throw new Error(
        `${this.node.path}: path "${props.path}" must be a folder relative to the repository root`,
      );
    }
    const server = props.destinationServer ?? IN_CLUSTER_SERVER;
    if (!props.project.allowsDestination(server, props.destinationNamespace)) {
      throw new Error(
        `${this.node.path}: project "${props.project.name}" does not allow namespace "${props.destinationNamespace}" of ${server}: add them to the project's namespaces and servers`,
      );
    }
    this.name = props.name;
    const spec: ApplicationSpec = {
      project: props.project.name,
      source: {
        repoURL: props.repoURL,
        targetRevision: PRODUCTION_BRANCH,
        path: props.path,
        directory: props.recurse ? { recurse: true } : undefined,
      },
      destination: { server, namespace: props.destinationNamespace },
      syncPolicy: productionSyncPolicy(),
    };
    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: ARGOCD_API_VERSION,
      kind: 'Application',
      metadata: { name: props.name, namespace: props.argocdNamespace ?? DEFAULT_ARGOCD_NAMESPACE },
      spec,
    });
  }

  public addAnnotation(key: string, value: string): void {
    this.apiObject.metadata.addAnnotation(key, value);
  }
}
