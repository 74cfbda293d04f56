import { production } from '../../charts/environments';
import { personas, settings } from '../../stacks/access-matrix';
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
  ['from a personal Docker Hub account, even with a sha- tag', 'robson/backend:sha-1d2e3f4'],
  ['with an 8-hex tag (CI writes 7)', 'ghcr.io/robson/backend:sha-0a1b2c3d'],
  ['with a 40-hex tag (a full commit id)', `ghcr.io/robson/backend:sha-${'0a1b2c3d4e'.repeat(4)}`],
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

/**
 * The image policy binds every writer of production, not only an administrator: the identities that
 * really write there are ArgoCD's controller (syncing Git) and on-call through break-glass (the
 * ArgoCD-down runbook). Each is allowed by RBAC to write the workload, so a refusal is admission's.
 */
describe(`the image admission policy refuses every writer of ${production.namespace}`, () => {
  const argocdPersona = personas.find((p) => p.id === 'argocd');
  const oncallPersona = personas.find((p) => p.id === 'oncall');
  const ARGOCD = "ArgoCD's controller (its service account, impersonated)";
  const BREAK_GLASS = 'on-call through break-glass';
  const WRITERS = [ARGOCD, BREAK_GLASS];
  const writers = new Map<string, ClusterClient>();
  let deployment: ApiObject;
  let container: string;
  let currentImage: string;

  beforeAll(() => {
    if (!argocdPersona || !oncallPersona)
      throw new Error('the access matrix has no "argocd" or "oncall" persona');
    const breakGlass = { user: settings.breakGlassUser, groups: [settings.breakGlassGroup] };
    writers.set(ARGOCD, fixture.admin.impersonating(argocdPersona));
    writers.set(BREAK_GLASS, fixture.as(oncallPersona).impersonating(breakGlass));
    deployment = prodWorkload('Deployment');
    const template = podTemplateOf(deployment)?.spec as Nested;
    container = template.containers[0].name;
    currentImage = template.containers[0].image;
  });

  // Every test starts from, and leaves, production as the overlay renders it.
  afterEach(async () => {
    await fixture.admin.apply(prodWorkload('Deployment'));
  });

  const ref = (object: ApiObject): ApiObject => ({
    apiVersion: object.apiVersion,
    kind: object.kind,
    metadata: object.metadata,
  });
  const imagePatch = (image: string): Nested => ({
    spec: { template: { spec: { containers: [{ name: container, image }] } } },
  });
  const writer = (name: string): ClusterClient => {
    const client = writers.get(name);
    if (!client) throw new Error(`no client for ${name}`);
    return client;
  };

  const REFUSED_IMAGES: readonly (readonly [string, (current: string) => string])[] = [
    ['tagged :latest', (current) => current.replace(/[:@].*$/, ':latest')],
    ['from Docker Hub', () => 'docker.io/library/nginx:1.27.0'],
  ];
  const refused = WRITERS.flatMap((name) =>
    REFUSED_IMAGES.map(([what, imageFrom]) => [name, what, imageFrom] as const),
  );

  test.each(refused)('fails when %s patches in an image %s', async (name, _what, imageFrom) => {
    // given a writer RBAC allows to patch the Deployment (what kubectl apply sends for an existing object)
    const image = imageFrom(currentImage);
    // when
    const error = await apiErrorOf(writer(name).patch(ref(deployment), 'strategic', imagePatch(image)));
    // then admission refuses it, naming the image, and the stored Deployment is unchanged
    expect(error.status).toBe(403);
    expect(error.message).toMatch(POLICY_DENIAL);
    expect(error.message).toContain(image);
    const stored = await fixture.admin.get<Nested>(ref(deployment));
    expect(stored.spec.template.spec.containers[0].image).toBe(currentImage);
  });

  test(`fails when ${ARGOCD} syncs (replaces) the Deployment with a Docker Hub image`, async () => {
    // given the Deployment as a sync of a bad commit would send it
    const object = withImage(deployment, 'docker.io/library/nginx:1.27.0');
    // when
    const error = await apiErrorOf(writer(ARGOCD).dryRunCreateOrReplace(object));
    // then
    expect(error.status).toBe(403);
    expect(error.message).toMatch(POLICY_DENIAL);
  });

  test.each(WRITERS)('changes the image to another sha- tag of our registry, as %s', async (name) => {
    // given
    const image = currentImage.replace(/(:sha-[0-9a-f]+)?(@sha256:[0-9a-f]+)?$/, ':sha-abcdef1');
    // when
    const response = await writer(name).patch(ref(deployment), 'strategic', imagePatch(image));
    // then
    expect(response.status).toBe(200);
    const stored = await fixture.admin.get<Nested>(ref(deployment));
    expect(stored.spec.template.spec.containers[0].image).toBe(image);
  });
});
