import { join } from 'node:path';
import { CLUSTER_MANIFESTS_DIR, INFRA_DIR } from '../../../charts/paths';
import { loadManifests } from '../../../lib/policy/load-manifests';
import { isApiObject } from '../../../lib/manifest/object-id';
import { REPO_ROOT } from '../../helpers/tools';
import { waitUntil } from '../../helpers/wait-until';
import { ApiError, ApiObject, ClusterClient } from '../../cluster/support/cluster-client';
import { clusterTestEnv } from '../../cluster/support/cluster-env';

/** infra/cluster/manifests: what `npm run rbac:export` writes and the program applies. */
export const CLUSTER_MANIFESTS = join(REPO_ROOT, INFRA_DIR, CLUSTER_MANIFESTS_DIR);

/** The generated cluster objects, as committed. */
export function generatedClusterObjects(): ApiObject[] {
  return loadManifests([CLUSTER_MANIFESTS])
    .map(({ object }) => object as ApiObject)
    .filter((object) => isApiObject(object));
}

export const describeObject = (object: ApiObject): string =>
  `${object.kind} ${object.metadata?.namespace ? `${object.metadata.namespace}/` : ''}${object.metadata?.name}`;

/** The administrator's client of the control plane test/cluster/run.sh started. */
export const adminClient = (): ClusterClient => ClusterClient.fromKubeconfigFile(clusterTestEnv().kubeconfig);

/** The live object, or `undefined` when the API server has none. */
export async function liveObject(client: ClusterClient, ref: ApiObject): Promise<ApiObject | undefined> {
  try {
    return await client.get(ref);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return undefined;
    throw error;
  }
}

/**
 * Deletes every generated cluster object, so the next scenario starts from a cluster without them. No
 * namespace controller runs here: the namespace's own objects are deleted first, then the namespace is
 * finalized by hand (what the controller would do once it is empty).
 */
export async function removeGeneratedObjects(client: ClusterClient): Promise<void> {
  const objects = generatedClusterObjects();
  const ignoreMissing = (error: unknown): void => {
    if (!(error instanceof ApiError && error.status === 404)) throw error;
  };
  for (const object of objects.filter((o) => o.kind !== 'Namespace')) {
    await client.delete(object).catch(ignoreMissing);
  }
  for (const namespace of objects.filter((o) => o.kind === 'Namespace')) {
    const name = namespace.metadata?.name ?? '';
    await client.delete(namespace).catch(ignoreMissing);
    const live = await liveObject(client, namespace);
    if (live) {
      await client.request({
        method: 'PUT',
        path: `/api/v1/namespaces/${name}/finalize`,
        body: { ...live, spec: { finalizers: [] } },
      });
    }
  }
  await waitUntil(
    'every generated cluster object is gone',
    async () => {
      const left = [];
      for (const object of objects) if (await liveObject(client, object)) left.push(describeObject(object));
      return left.length === 0 ? true : undefined;
    },
    30_000,
  );
}
