import { AuthorizationV1Api } from '@kubernetes/client-node';
import { AccessExpectation, ResourceAttributes, describeRequest } from '../../../lib/access';
import { ClusterClient } from '../../cluster/support/cluster-client';

/**
 * The attributes the API server itself builds for `request` (as the cluster suite sends them): a
 * request on a Namespace object carries that namespace as its namespace, so RoleBindings there apply.
 */
function serverAttributes(request: ResourceAttributes): ResourceAttributes {
  return request.group === '' && request.resource === 'namespaces' && request.name
    ? { ...request, namespace: request.name }
    : request;
}

/** What the real RBAC authorizer answers for one cell of the access matrix (a SubjectAccessReview). */
export async function authorizerAnswer(
  client: ClusterClient,
  cell: AccessExpectation,
): Promise<{ request: string; allowed: boolean }> {
  const authorization = client.kubeConfig.makeApiClient(AuthorizationV1Api);
  const review = await authorization.createSubjectAccessReview({
    body: {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SubjectAccessReview',
      spec: {
        user: cell.persona.user,
        groups: [...cell.persona.groups],
        resourceAttributes: { ...serverAttributes(cell.request) },
      },
    },
  });
  return {
    request: `${cell.persona.title}: ${describeRequest(cell.request)}`,
    allowed: review.status?.allowed ?? false,
  };
}
