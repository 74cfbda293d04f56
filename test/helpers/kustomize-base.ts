/** A ConfigMap that names no namespace. */
export const CONFIG_MAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata: {}\n';

/** The text of a kustomization.yaml: its header, then `lines`. */
export const kustomization = (lines: string): string =>
  `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n${lines}`;

/** A kustomize base (path → text) of one file, `CONFIG_MAP`, with no namespace: the overlays set it. */
export const BASE = {
  'base/kustomization.yaml': kustomization('resources:\n  - settings.yaml\n'),
  'base/settings.yaml': CONFIG_MAP,
};
