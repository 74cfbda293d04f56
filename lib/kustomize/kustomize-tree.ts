import { PinnedImage } from '../image/image-catalog';
import { FileTree } from '../manifest/file-tree';
import { KubeObject } from '../manifest/kube-object';
import { fileNameOf, fileNamesOf, yamlFile } from '../manifest/yaml-file';
import { strategicMergePatch } from './strategic-merge-patch';

const KUSTOMIZATION = { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization' };
export const KUSTOMIZATION_FILE = 'kustomization.yaml';

const identity = (object: KubeObject): string =>
  `${object.kind}/${object.metadata?.namespace ?? ''}/${object.metadata?.name ?? ''}`;

/** A kustomize base: one file per object and a kustomization listing them. */
export function renderBase(objects: readonly KubeObject[], source: string): FileTree {
  const names = fileNamesOf(objects);
  return {
    [KUSTOMIZATION_FILE]: yamlFile({ ...KUSTOMIZATION, resources: names }, source),
    ...Object.fromEntries(objects.map((object, index) => [names[index], yamlFile(object, source)])),
  };
}

export interface OverlayProps {
  /** The objects of the base, as rendered by `renderBase`. */
  readonly base: readonly KubeObject[];
  /** The objects the overlay must produce. */
  readonly target: readonly KubeObject[];
  /** Path of the base relative to the overlay folder, e.g. `../../base`. */
  readonly basePath: string;
  /**
   * Further bases the overlay includes, beside `basePath`; `base` holds the objects of all of them.
   * @default - none
   */
  readonly extraBasePaths?: readonly string[];
  /**
   * Namespace the overlay moves every object to (kustomize's `namespace:`); `base` and `target` then
   * hold objects without a namespace, as the base's files do.
   * @default - objects keep the namespace they have
   */
  readonly namespace?: string;
  /** Images whose tag the overlay pins with kustomize's `images:` transformer. */
  readonly images: readonly PinnedImage[];
  /** Source named in each file's header. */
  readonly source: string;
}

/**
 * A kustomize overlay that turns `base` into exactly `target`: a strategic merge patch per changed
 * object, the objects only `target` has, and an `images:` pin per image. Throws when `target` lacks an
 * object of `base` (an overlay cannot delete) or an image pin matches no container of `base`.
 */
export function renderOverlay(props: OverlayProps): FileTree {
  const baseById = new Map(props.base.map((object) => [identity(object), object]));
  const targetIds = new Set(props.target.map(identity));
  const dropped = [...baseById.keys()].filter((id) => !targetIds.has(id));
  if (dropped.length > 0) throw new Error(`overlay cannot remove base objects ${dropped.join(', ')}`);
  assertImagesUsed(props.images, props.base);

  const added = props.target.filter((object) => !baseById.has(identity(object)));
  const patches = props.target.flatMap((object) => {
    const previous = baseById.get(identity(object));
    const change = previous && strategicMergePatch(previous, object, identity(object));
    if (!change) return [];
    const { metadata: changedMetadata, ...changedFields } = change as { metadata?: object };
    const { name, namespace } = object.metadata ?? {};
    return [
      {
        apiVersion: object.apiVersion,
        kind: object.kind,
        metadata: { name, namespace, ...changedMetadata },
        ...changedFields,
      },
    ];
  });

  const addedNames = fileNamesOf(added).map((name) => `resources/${name}`);
  const patchNames = patches.map((patch) => `patches/${fileNameOf(patch as KubeObject)}`);
  const kustomization = {
    ...KUSTOMIZATION,
    ...(props.namespace === undefined ? {} : { namespace: props.namespace }),
    resources: [props.basePath, ...(props.extraBasePaths ?? []), ...addedNames],
    images: props.images.map((image) => ({ name: image.repository, newTag: image.tag })),
    patches: patchNames.map((path) => ({ path })),
  };
  return {
    [KUSTOMIZATION_FILE]: yamlFile(kustomization, props.source),
    ...Object.fromEntries(added.map((object, index) => [addedNames[index], yamlFile(object, props.source)])),
    ...Object.fromEntries(patches.map((patch, index) => [patchNames[index], yamlFile(patch, props.source)])),
  };
}

/** A kustomize `images:` entry that matches no container silently does nothing: refuse it. */
function assertImagesUsed(images: readonly PinnedImage[], base: readonly KubeObject[]): void {
  const serialized = JSON.stringify(base);
  const unused = images.filter((image) => !serialized.includes(`"image":"${image.repository}:`));
  if (unused.length > 0) {
    throw new Error(
      `overlay pins images no base container uses: ${unused.map((image) => image.repository).join(', ')}`,
    );
  }
}
