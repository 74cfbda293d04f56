import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Persona } from '../../lib/access';
import { personas, settings } from '../../stacks/access-matrix';
import { waitForAuditEvent } from './support/audit-log';
import { ApiObject, ClusterClient, apiErrorOf } from './support/cluster-client';
import { ClusterFixture, PROD_SET } from './support/cluster-fixture';
import { Nested } from './support/workload-pod';

const persona = (id: string): Persona => {
  const found = personas.find((p) => p.id === id);
  if (!found) throw new Error(`the access matrix has no persona "${id}"`);
  return found;
};
const oncall = persona('oncall');
const developer = persona('developer');
/** The identity on-call takes: `kubectl --as <user> --as-group <group>`. */
const breakGlass = { user: settings.breakGlassUser, groups: [settings.breakGlassGroup] };

const unique = (prefix: string): string => `${prefix}-${randomBytes(4).toString('hex')}`;
const configMap = (name: string): ApiObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: settings.namespace },
  data: { reason: 'cluster-test: emergency change' },
});

let fixture: ClusterFixture;
let oncallClient: ClusterClient;
beforeAll(async () => {
  fixture = await ClusterFixture.prepare();
  oncallClient = fixture.as(oncall);
});

describe('the break-glass path works only through impersonation', () => {
  test('fails when on-call writes to production as themselves', async () => {
    // when
    const error = await apiErrorOf(oncallClient.create(configMap(unique('direct'))));

    // then
    expect(error.status).toBe(403);
    expect(error.body.message).toContain(`"${oncall.user}" cannot create`);
  });

  test('on-call writes to production by impersonating the break-glass user and group', async () => {
    // when
    const response = await oncallClient.impersonating(breakGlass).create(configMap(unique('impersonated')));

    // then
    expect(response.status).toBe(201);
  });

  test.each([
    [
      'the break-glass group under another user name',
      { user: 'someone-else', groups: [settings.breakGlassGroup] },
    ],
    ['system:masters', { user: settings.breakGlassUser, groups: ['system:masters'] }],
    ['a cluster administrator', { user: 'kubernetes-admin', groups: [] }],
  ])('fails when on-call impersonates %s', async (_what, identity) => {
    // when
    const error = await apiErrorOf(oncallClient.impersonating(identity).create(configMap(unique('other'))));

    // then the impersonation itself is refused
    expect(error.status).toBe(403);
    expect(error.body.message).toContain('cannot impersonate');
  });

  test('fails when the break-glass user is impersonated without its group: the user alone holds no rights', async () => {
    // when
    const client = oncallClient.impersonating({ user: settings.breakGlassUser, groups: [] });
    const error = await apiErrorOf(client.create(configMap(unique('user-only'))));

    // then impersonation succeeds, the write does not
    expect(error.status).toBe(403);
    expect(error.body.message).toContain(`"${settings.breakGlassUser}" cannot create`);
  });

  test('fails when a developer impersonates the break-glass identity', async () => {
    // when
    const error = await apiErrorOf(
      fixture
        .as(developer)
        .impersonating(breakGlass)
        .create(configMap(unique('dev'))),
    );

    // then
    expect(error.status).toBe(403);
    expect(error.body.message).toContain('cannot impersonate');
  });
});

describe('the audit log records break-glass sessions', () => {
  const auditLog = (): string => fixture.env.auditLog;

  test('a break-glass write is logged at RequestResponse with the impersonating user', async () => {
    // given on-call creating an object through the break-glass identity
    const name = unique('audited');
    const { auditId } = await oncallClient.impersonating(breakGlass).create(configMap(name));

    // when reading the API server's audit log
    const event = await waitForAuditEvent(
      auditLog(),
      `create configmap ${name}`,
      (e) => e.auditID === auditId,
    );

    // then it names the on-call engineer and the identity they took, and holds the request and response
    expect(event.level).toBe('RequestResponse');
    expect(event.user.username).toBe(oncall.user);
    expect(event.user.groups).toContain(settings.oncallGroup);
    expect(event.impersonatedUser?.username).toBe(settings.breakGlassUser);
    expect(event.impersonatedUser?.groups).toContain(settings.breakGlassGroup);
    expect(event.responseStatus?.code).toBe(201);
    expect((event.requestObject?.data as Nested).reason).toBe('cluster-test: emergency change');
    expect((event.responseObject?.metadata as Nested).name).toBe(name);
  });

  test('a break-glass change of the production Deployment is logged with the patch it sent', async () => {
    // given on-call scaling the Deployment through the break-glass identity
    const deployment = fixture
      .set(PROD_SET)
      .objects.find(({ object }) => object.kind === 'Deployment')?.object;
    if (!deployment) throw new Error(`${PROD_SET} renders no Deployment`);
    const replicas = ((deployment.spec as Nested).replicas ?? 1) + 2;
    const response = await oncallClient
      .impersonating(breakGlass)
      .patch(deployment, 'strategic', { spec: { replicas } });
    await fixture.admin.apply(deployment); // back to what Git says, as ArgoCD's self-heal would

    // when
    const event = await waitForAuditEvent(
      auditLog(),
      'patch of the Deployment',
      (e) => e.auditID === response.auditId,
    );

    // then
    expect(event.level).toBe('RequestResponse');
    expect(event.user.username).toBe(oncall.user);
    expect(event.impersonatedUser?.username).toBe(settings.breakGlassUser);
    expect(event.requestObject).toEqual({ spec: { replicas } });
  });

  test("a refused attempt to write as oneself is logged with the engineer's name", async () => {
    // given
    const { auditId } = await apiErrorOf(oncallClient.create(configMap(unique('refused'))));

    // when
    const event = await waitForAuditEvent(auditLog(), 'refused create', (e) => e.auditID === auditId);

    // then
    expect(event.user.username).toBe(oncall.user);
    expect(event.impersonatedUser).toBeUndefined();
    expect(event.responseStatus?.code).toBe(403);
  });

  test('a Secret written through break-glass is logged at Metadata: its value never reaches the log', async () => {
    // given a secret value that appears nowhere else
    const name = unique('secret');
    const value = unique('do-not-log');
    const { auditId } = await oncallClient.impersonating(breakGlass).create({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name, namespace: settings.namespace },
      stringData: { password: value },
    });

    // when
    const event = await waitForAuditEvent(auditLog(), `create secret ${name}`, (e) => e.auditID === auditId);

    // then who did it is recorded, what they wrote is not
    expect(event.level).toBe('Metadata');
    expect(event.user.username).toBe(oncall.user);
    expect(event.impersonatedUser?.username).toBe(settings.breakGlassUser);
    expect(event.requestObject).toBeUndefined();
    expect(readFileSync(auditLog(), 'utf8')).not.toContain(value);
  });
});
