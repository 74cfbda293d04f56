import { production } from '../../charts/config';
import { personas } from '../access/access-matrix';
import { ApiObject, ClusterClient, apiErrorOf } from './support/cluster-client';
import { ClusterFixture, PROD_SET } from './support/cluster-fixture';
import { edited, podFrom, podTemplateOf, Nested } from './support/workload-pod';

/** How a ValidatingAdmissionPolicy's denial reads: `ValidatingAdmissionPolicy '<name>' with binding '<name>' denied request: ...`. */
const POLICY_DENIAL = /ValidatingAdmissionPolicy '[^']+' with binding '[^']+' denied request/;

let fixture: ClusterFixture;
beforeAll(async () => {
  fixture = await ClusterFixture.prepare();
});

function prodWorkload(kind: string): ApiObject {
  const found = fixture
    .set(PROD_SET)
    .objects.find(({ object }) => object.kind === kind && podTemplateOf(object) !== undefined);
  if (!found) throw new Error(`${PROD_SET} renders no ${kind}`);
  return found.object;
}

/** Sets the image of the first container of any workload or pod. */
function withImage(
  object: ApiObject,
  image: string,
  list: 'containers' | 'initContainers' = 'containers',
): ApiObject {
  return edited(object, (copy) => {
    const spec: Nested =
      object.kind === 'Pod' ? copy.spec : (podTemplateOf(copy as ApiObject)?.spec as Nested);
    if (list === 'containers') spec.containers[0].image = image;
    else {
      const { securityContext, resources } = spec.containers[0];
      spec.initContainers = [{ name: 'init', image, securityContext, resources }];
    }
  });
}

const REJECTED_IMAGES: readonly [string, string][] = [
  ['tagged :latest', 'ghcr.io/robson/backend:latest'],
  ['with no tag', 'ghcr.io/robson/backend'],
  ['tagged :dev', 'ghcr.io/robson/backend:dev'],
  ['from Docker Hub, named in full', 'docker.io/library/nginx:1.27.0'],
  ['from Docker Hub, by its short name', 'nginx:1.27.0'],
  ['from a personal Docker Hub account, even with a sha- tag', 'robson/backend:sha-4f9c2e1'],
];

describe(`the image admission policy in ${production.namespace}`, () => {
  test.each(REJECTED_IMAGES)('fails to admit a Pod with an image %s', async (_what, image) => {
    // given a pod of our Deployment with that image
    const pod = withImage(podFrom(prodWorkload('Deployment'), 'image-probe'), image);

    // when
    const error = await apiErrorOf(fixture.admin.create(pod, { dryRun: true }));

    // then the policy names the image it refuses
    expect(error.status).toBe(403);
    expect(error.message).toMatch(POLICY_DENIAL);
    expect(error.message).toContain(image);
  });

  test.each(['Deployment', 'CronJob'])('fails to admit a %s with an image tagged :latest', async (kind) => {
    // given our workload with a :latest image
    const object = withImage(prodWorkload(kind), 'ghcr.io/robson/backend:latest');

    // when
    const error = await apiErrorOf(fixture.admin.dryRunCreateOrReplace(object));

    // then
    expect(error.status).toBe(403);
    expect(error.message).toMatch(POLICY_DENIAL);
  });

  test('fails to admit an init container from Docker Hub', async () => {
    // given
    const pod = withImage(
      podFrom(prodWorkload('Deployment'), 'init-probe'),
      'busybox:1.36',
      'initContainers',
    );

    // when
    const error = await apiErrorOf(fixture.admin.create(pod, { dryRun: true }));

    // then
    expect(error.status).toBe(403);
    expect(error.message).toContain('busybox:1.36');
  });

  test.each([
    ['a sha- tag', 'ghcr.io/robson/backend:sha-0a1b2c3'],
    ['a digest', `ghcr.io/robson/backend@sha256:${'a'.repeat(64)}`],
  ])('admits a Pod with our registry and %s', async (_what, image) => {
    // given
    const pod = withImage(podFrom(prodWorkload('Deployment'), 'image-probe'), image);

    // when
    const response = await fixture.admin.create(pod, { dryRun: true });

    // then
    expect(response.status).toBe(201);
  });
});

describe('the CI image updater, impersonated, making real requests', () => {
  const persona = personas.find((p) => p.id === 'ci');
  let ci: ClusterClient;
  let deployment: ApiObject;
  let container: string;
  let currentImage: string;

  beforeAll(() => {
    if (!persona) throw new Error('the access matrix has no persona "ci"');
    ci = fixture.admin.impersonating(persona);
    deployment = prodWorkload('Deployment');
    const template = podTemplateOf(deployment)?.spec as Nested;
    container = template.containers[0].name;
    currentImage = template.containers[0].image;
  });

  // Every test starts from, and leaves, production as the overlay renders it.
  afterEach(async () => {
    for (const kind of ['Deployment', 'CronJob']) await fixture.admin.apply(prodWorkload(kind));
  });

  const ref = (object: ApiObject): ApiObject => ({
    apiVersion: object.apiVersion,
    kind: object.kind,
    metadata: object.metadata,
  });
  const imagePatch = (image: string, name = container): Nested => ({
    spec: { template: { spec: { containers: [{ name, image }] } } },
  });
  const newImage = (): string =>
    currentImage.replace(/(:sha-[0-9a-f]+)?(@sha256:[0-9a-f]+)?$/, ':sha-abcdef1');

  test('changes the image of the Deployment, and the change is stored', async () => {
    // given a new image of our registry with a sha- tag
    const image = newImage();

    // when CI patches only the image, as `kubectl set image` does
    await ci.patch(ref(deployment), 'strategic', imagePatch(image), { fieldManager: 'ci-image-updater' });

    // then the API server stored it
    const stored = await fixture.admin.get<Nested>(ref(deployment));
    expect(stored.spec.template.spec.containers[0].image).toBe(image);
  });

  test('changes the image of the CronJob', async () => {
    // given
    const cronJob = prodWorkload('CronJob');
    const name = (podTemplateOf(cronJob)?.spec as Nested).containers[0].name;
    const patch = {
      spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name, image: newImage() }] } } } } },
    };

    // when
    const response = await ci.patch(ref(cronJob), 'strategic', patch, { fieldManager: 'ci-image-updater' });

    // then
    expect(response.status).toBe(200);
  });

  test('fails to change the number of replicas', async () => {
    // when
    const error = await apiErrorOf(
      ci.patch(ref(deployment), 'strategic', { spec: { replicas: 7 } }, { fieldManager: 'ci-image-updater' }),
    );

    // then the admission policy, not RBAC, refuses it (CI may patch the Deployment)
    expect(error.status).toBe(403);
    expect(error.message).toMatch(POLICY_DENIAL);
    const stored = await fixture.admin.get<Nested>(ref(deployment));
    expect(stored.spec.replicas).toBe((deployment.spec as Nested).replicas);
  });

  test('fails to change replicas and the image in the same request', async () => {
    // when
    const patch = { spec: { replicas: 7, template: imagePatch(newImage()).spec.template } };
    const error = await apiErrorOf(
      ci.patch(ref(deployment), 'strategic', patch, { fieldManager: 'ci-image-updater' }),
    );

    // then
    expect(error.message).toMatch(POLICY_DENIAL);
  });

  test.each([
    ['a label', { metadata: { labels: { 'cluster-test/changed': 'yes' } } }],
    [
      'an environment variable',
      {
        spec: { template: { spec: { containers: [{ name: 'backend', env: [{ name: 'X', value: '1' }] }] } } },
      },
    ],
    ['the pod security context', { spec: { template: { spec: { securityContext: { runAsUser: 20002 } } } } }],
  ])('fails to change %s', async (_what, patch) => {
    // when
    const error = await apiErrorOf(
      ci.patch(ref(deployment), 'strategic', patch, { fieldManager: 'ci-image-updater' }),
    );

    // then
    expect(error.status).toBe(403);
    expect(error.message).toMatch(POLICY_DENIAL);
  });

  test('fails to set an image tagged :latest, though it may change images', async () => {
    // when
    const image = currentImage.replace(/[:@].*$/, ':latest');
    const error = await apiErrorOf(
      ci.patch(ref(deployment), 'strategic', imagePatch(image), { fieldManager: 'ci-image-updater' }),
    );

    // then the image policy of production refuses it
    expect(error.status).toBe(403);
    expect(error.message).toContain(image);
  });

  test.each([
    [
      'create a Deployment',
      () =>
        ci.create(
          edited(deployment, (d) => (d.metadata.name = 'ci-made')),
          { dryRun: true },
        ),
    ],
    ['delete the Deployment', () => ci.delete(ref(deployment), { dryRun: true })],
    [
      'replace the Deployment (update)',
      async () =>
        ci.request({
          method: 'PUT',
          path: await ci.pathOf(deployment),
          body: deployment,
          query: { dryRun: 'All' },
        }),
    ],
    [
      'scale through the scale subresource',
      async () =>
        ci.request({
          method: 'PATCH',
          path: `${await ci.pathOf(deployment)}/scale`,
          body: { spec: { replicas: 7 } },
          contentType: 'application/merge-patch+json',
          query: { dryRun: 'All' },
        }),
    ],
  ])('fails to %s (RBAC)', async (_what, send) => {
    // when
    const error = await apiErrorOf(send());

    // then
    expect(error.status).toBe(403);
    expect(error.message).toContain(`"${persona?.user}" cannot`);
  });
});
