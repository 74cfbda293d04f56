import { IN_CLUSTER_NAME, IN_CLUSTER_SERVER } from '../argocd-api/argocd-conventions';
import {
  ApplicationDestination,
  ApplicationSetSpec,
  ApplicationSource,
  ApplicationSpec,
} from '../argocd-api/argocd-types';
import { Unchecked } from '../argocd-api/unchecked';
import { KubeObject } from '../manifest/kube-object';
import { ArgoCdPolicyOptions, Finding, PolicyOptions } from './types';

/** An Application spec and where it sits in its object (`spec`, `spec.template.spec`). */
export interface SpecAt {
  readonly where: string;
  readonly spec: Unchecked<ApplicationSpec>;
}

export const isArgoCdObject = (object: KubeObject): boolean => object.apiVersion.startsWith('argoproj.io/');

export const isApplication = (object: KubeObject): boolean =>
  isArgoCdObject(object) && object.kind === 'Application';

export const isApplicationSet = (object: KubeObject): boolean =>
  isArgoCdObject(object) && object.kind === 'ApplicationSet';

export const isAppProject = (object: KubeObject): boolean =>
  isArgoCdObject(object) && object.kind === 'AppProject';

/** The Application spec of an Application, or the template spec of an ApplicationSet. */
export function applicationSpecsOf(object: KubeObject): SpecAt[] {
  if (isApplication(object))
    return [{ where: 'spec', spec: (object.spec ?? {}) as Unchecked<ApplicationSpec> }];
  if (isApplicationSet(object)) {
    const template = (object.spec as Unchecked<ApplicationSetSpec> | undefined)?.template;
    return [{ where: 'spec.template.spec', spec: template?.spec ?? {} }];
  }
  return [];
}

/** `source` and every element of `sources`, each with its path. */
export function sourcesOf({
  where,
  spec,
}: SpecAt): { where: string; source: Unchecked<ApplicationSource> }[] {
  return [
    ...(spec.source ? [{ where: `${where}.source`, source: spec.source }] : []),
    ...(spec.sources ?? []).map((source, index) => ({ where: `${where}.sources[${index}]`, source })),
  ];
}

/** A preview namespace: the prefix followed by something (a number or a template). */
export function isPreviewNamespace(namespace: string | undefined, options: ArgoCdPolicyOptions): boolean {
  return (
    namespace !== undefined &&
    namespace.startsWith(options.previewNamespacePrefix) &&
    namespace.length > options.previewNamespacePrefix.length
  );
}

const UNCONFIGURED: Finding = {
  message: 'PolicyOptions.argocd is not set, so this ArgoCD object cannot be checked',
};

/**
 * Runs `check` with the ArgoCD options, or reports that they are missing: an ArgoCD object is never
 * silently left unchecked.
 */
export function withArgoCdOptions(
  options: PolicyOptions,
  check: (argocd: ArgoCdPolicyOptions) => Finding[],
): Finding[] {
  return options.argocd ? check(options.argocd) : [UNCONFIGURED];
}

/**
 * Whether `destination` is ArgoCD's own cluster (by server or by name, not both) or, by server, one of
 * the registered clusters the options name.
 */
export function isAllowedCluster(
  destination: Unchecked<ApplicationDestination>,
  options: PolicyOptions,
): boolean {
  if (destination.name !== undefined)
    return destination.name === IN_CLUSTER_NAME && destination.server === undefined;
  return (
    destination.server === IN_CLUSTER_SERVER ||
    (destination.server !== undefined &&
      (options.argocd?.registeredClusters ?? []).includes(destination.server))
  );
}

/** Findings from messages, dropping the empty ones. */
export const findings = (...messages: (string | false | undefined)[]): Finding[] =>
  messages
    .filter((message): message is string => typeof message === 'string')
    .map((message) => ({ message }));
