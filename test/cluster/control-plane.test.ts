import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { auditLogFlags } from '../../lib/access';
import { apiErrorOf } from './support/cluster-client';
import { ClusterFixture } from './support/cluster-fixture';
import { AUDIT_POLICY_PATH, REPO_ROOT } from './support/generated-manifests';
import { readAuditEvents } from './support/audit-log';

let fixture: ClusterFixture;
let flags: string[];
beforeAll(async () => {
  fixture = await ClusterFixture.prepare();
  flags = readFileSync(fixture.env.apiserverFlagsFile, 'utf8').split('\n').filter(Boolean);
});

/** The value of `--name=value` among the launcher's kube-apiserver flags. */
const flag = (name: string): string | undefined =>
  flags.find((f) => f.startsWith(`--${name}=`))?.slice(name.length + 3);

describe('the control plane test/cluster/run.sh starts', () => {
  test('is a current GA kube-apiserver (1.30 or newer: ValidatingAdmissionPolicy v1), the pinned one unless KUBEBUILDER_ASSETS was used', async () => {
    // when
    const { body } = await fixture.admin.request<{ gitVersion: string }>({ method: 'GET', path: '/version' });

    // then
    const match = /^v1\.(\d+)\.(\d+)$/.exec(body.gitVersion);
    expect(match).not.toBeNull();
    expect(Number(match?.[1])).toBeGreaterThanOrEqual(30);
    if (
      resolve(fixture.env.binaries) === resolve(process.env.TOOLS_BIN ?? join(REPO_ROOT, '.tools', 'bin'))
    ) {
      const pinned = /^require k8s\.io\/kubernetes (v\S+)/m.exec(
        readFileSync(join(REPO_ROOT, 'tools', 'cluster', 'go.mod'), 'utf8'),
      );
      expect(body.gitVersion).toBe(pinned?.[1]);
    }
  });

  test('fails when an anonymous client lists namespaces: RBAC authorizes every request', async () => {
    // when
    const error = await apiErrorOf(
      fixture.admin.anonymous().request({ method: 'GET', path: '/api/v1/namespaces' }),
    );

    // then
    expect(error.status).toBe(403);
    expect(error.body.message).toContain('"system:anonymous" cannot list');
    expect(flag('authorization-mode')).toBe('RBAC');
  });

  test('runs the admission plugins the policy relies on, and serves ValidatingAdmissionPolicy v1', async () => {
    // when
    const { body } = await fixture.admin.request<{ resources: { name: string }[] }>({
      method: 'GET',
      path: '/apis/admissionregistration.k8s.io/v1',
    });

    // then
    expect(flag('enable-admission-plugins')?.split(',')).toEqual(
      expect.arrayContaining([
        'NamespaceLifecycle',
        'ServiceAccount',
        'PodSecurity',
        'ValidatingAdmissionPolicy',
      ]),
    );
    expect(flag('disable-admission-plugins')).toBeUndefined();
    expect(body.resources.map((r) => r.name)).toEqual(
      expect.arrayContaining(['validatingadmissionpolicies', 'validatingadmissionpolicybindings']),
    );
  });

  test('reads the generated audit policy, with the audit flags infra/cluster/README.md gives admins', () => {
    // given the flags lib/access documents for production
    const documented = auditLogFlags({ policyFile: 'POLICY', logFile: 'LOG' });

    // then the launcher uses the generated policy file and every other documented flag as it is
    expect(flag('audit-policy-file')).toBe(join(REPO_ROOT, AUDIT_POLICY_PATH));
    expect(flag('audit-log-path')).toBe(fixture.env.auditLog);
    expect(flags).toEqual(expect.arrayContaining(documented.filter((f) => !/=(POLICY|LOG)$/.test(f))));
  });

  test('writes audit events with the policy loaded', () => {
    // when
    const events = readAuditEvents(fixture.env.auditLog);

    // then the server logs (an invalid policy file would have stopped it from starting)
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e.level !== 'None')).toBe(true);
  });
});
