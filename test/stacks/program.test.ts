import { readFileSync } from 'node:fs';
import * as pulumi from '@pulumi/pulumi';
import { KubeObject } from '../../lib/manifest/kube-object';
import {
  clusterAccessPlan,
  clusterAuditPolicy,
  clusterObjects,
  clusterPlanOf,
  sealedSecretsObjectsOf,
} from '../../stacks/cluster-access';
import { CLUSTER_PROVIDER } from '../../stacks/production';
import { PROJECT, stackFileValues, stackSettings } from '../../stacks/settings';
import { RecordedResource, mockEngine, registrationsDone, settled } from './pulumi-mocks';
import { CLUSTER_RESOURCES } from '../helpers/cluster-plan';
import { TEST_RELEASE_APP_ID, expectedInputs, protectionDifferences } from '../helpers/github-protection';

const config = { ...stackFileValues(), [`${PROJECT}:releaseAppId`]: String(TEST_RELEASE_APP_ID) };
/** The admin's shell: what the program reads from the environment. */
const shell = {
  GITHUB_TOKEN: 'not-a-real-token',
  PRODUCTION_KUBE_CONTEXT: 'prod-admin@production',
  KUBECONFIG: '/home/admin/.kube/production',
};
const settings = stackSettings(config, shell);
const saved = Object.fromEntries(Object.keys(shell).map((name) => [name, process.env[name]]));
let resources: RecordedResource[] = [];
let program: typeof import('../../stacks');

const custom = (): RecordedResource[] => resources.filter((r) => r.custom);
const ofType = (type: string): RecordedResource[] => custom().filter((r) => r.type === type);
const named = (name: string): RecordedResource => {
  const found = resources.find((r) => r.name === name);
  if (!found) throw new Error(`no resource named ${name}; have ${resources.map((r) => r.name).join(', ')}`);
  return found;
};

beforeAll(async () => {
  Object.assign(process.env, shell);
  resources = mockEngine(config, PROJECT);
  program = await import('../../stacks');
  if (!program.repository) throw new Error('the full program exports no repository');
  await settled(program.repository);
  await registrationsDone();
});
afterAll(() => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) Reflect.deleteProperty(process.env, name);
    else process.env[name] = value;
  }
});

describe('the Pulumi program (mocked Pulumi engine)', () => {
  test('declares exactly these components and resources', () => {
    // given / when
    const declared = resources.map((r) => `${r.type} ${r.name}`).sort();
    // then
    expect(declared).toEqual(
      [
        'gitops:github:ProtectedRepository production-infra',
        'github:index/repository:Repository production-infra-repository',
        'github:index/repositoryRuleset:RepositoryRuleset production-infra-history',
        'github:index/repositoryRuleset:RepositoryRuleset production-infra-review',
        'github:index/workflowRepositoryPermissions:WorkflowRepositoryPermissions production-infra-workflow-permissions',
        'github:index/repositoryEnvironment:RepositoryEnvironment production-infra-release-environment',
        'github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy production-infra-release-branch',
        ...CLUSTER_RESOURCES,
      ].sort(),
    );
  });

  test('applies to Kubernetes exactly the objects npm run rbac:export writes to infra/cluster/, each marked for a forced apply', () => {
    // given
    const plan = clusterPlanOf(clusterAccessPlan(settings.cluster));
    const exported = [...clusterObjects(plan), ...sealedSecretsObjectsOf(plan)];
    // (a recorded parent is a full URN, a recorded urn is not: children are found by the parent's name)
    const notAwaited = (r: RecordedResource): boolean => r.parent.endsWith('::sealed-secrets-controller');
    // when
    const applied = custom().filter((r) => r.type.startsWith('kubernetes:'));
    // then: the same objects, plus pulumi-kubernetes' patch-force annotation (the program owns them), and
    // its skip-await annotation on the controller's own objects (its rollout needs an image pull)
    const key = (o: KubeObject): string => `${o.kind} ${o.metadata?.namespace ?? ''}/${o.metadata?.name}`;
    expect(applied.map((r) => key(r.inputs as unknown as KubeObject)).sort()).toEqual(
      exported.map(key).sort(),
    );
    for (const object of exported) {
      const resource = applied.find((a) => key(a.inputs as unknown as KubeObject) === key(object));
      const metadata = object.metadata ?? {};
      const skipAwait = resource && notAwaited(resource) ? { 'pulumi.com/skipAwait': 'true' } : {};
      expect(resource?.inputs).toEqual({
        ...object,
        metadata: {
          ...metadata,
          annotations: { ...metadata.annotations, 'pulumi.com/patchForce': 'true', ...skipAwait },
        },
      });
    }
  });

  test('creates the production namespace with Pod Security "restricted", protected from deletion', () => {
    // given / when
    const namespace = named('namespace-production-namespace');
    // then
    expect(namespace.inputs).toMatchObject({
      metadata: {
        name: 'production',
        labels: {
          'pod-security.kubernetes.io/enforce': 'restricted',
          'pod-security.kubernetes.io/audit': 'restricted',
          'pod-security.kubernetes.io/warn': 'restricted',
        },
      },
    });
    expect(namespace.protect).toBe(true);
  });

  test("declares only ArgoCD's, production's and the sealing controller's namespaces: CI has no namespace, account or rights in the cluster", () => {
    // given / when
    const names = resources.map((r) => r.name);
    const subjects = custom().flatMap((r) => (r.inputs.subjects as { name: string }[] | undefined) ?? []);
    // then
    expect(ofType('kubernetes:core/v1:Namespace').map((r) => r.inputs.metadata)).toEqual([
      expect.objectContaining({ name: 'argocd' }),
      expect.objectContaining({ name: 'production' }),
      expect.objectContaining({ name: 'sealed-secrets' }),
    ]);
    expect(ofType('kubernetes:core/v1:ServiceAccount').map((r) => r.inputs.metadata)).toEqual([
      expect.objectContaining({ name: 'sealed-secrets-controller', namespace: 'sealed-secrets' }),
    ]);
    expect(names.filter((name) => /image-updater|\bci\b/.test(name))).toEqual([]);
    expect(subjects.map((subject) => subject.name)).not.toContain('ci-image-updater');
  });

  test("reaches the cluster only through the explicit provider, with the context from the admin's shell", () => {
    // given
    const provider = named(CLUSTER_PROVIDER);
    const kubernetes = custom().filter((r) => r.type.startsWith('kubernetes:'));
    // when / then: the context and kubeconfig file are the admin's, read from the environment
    expect(provider.type).toBe('pulumi:providers:kubernetes');
    expect(provider.inputs).toMatchObject({
      context: 'prod-admin@production',
      kubeconfig: '/home/admin/.kube/production',
    });
    // and every Kubernetes resource uses it, none the default provider
    expect(kubernetes.length).toBeGreaterThan(0);
    for (const resource of kubernetes) expect(resource.provider).toMatch(new RegExp(`^${provider.urn}::`));
  });

  test('stacks/adopt-existing.json imports resources the program declares, under their parents and provider', () => {
    // given the import file the README's first run uses
    const file = JSON.parse(readFileSync('stacks/adopt-existing.json', 'utf8')) as {
      nameTable: Record<string, string>;
      resources: {
        type: string;
        name: string;
        id?: string;
        parent?: string;
        provider?: string;
        component?: boolean;
      }[];
    };
    const urnOf = (name: string): string => named(name).urn;
    // when / then: the name table names the program's provider by its URN
    expect(file.nameTable).toEqual({ [CLUSTER_PROVIDER]: urnOf(CLUSTER_PROVIDER) });
    for (const entry of file.resources) {
      const declared = named(entry.name);
      expect(`${entry.name}: ${entry.type}`).toBe(`${entry.name}: ${declared.type}`);
      if (entry.parent) expect(declared.parent).toBe(urnOf(entry.parent));
      if (entry.component) expect(entry.id).toBeUndefined();
      else expect(entry.id).toEqual(expect.any(String));
      // a Kubernetes resource must name the explicit provider: the default one is disabled
      if (entry.type.startsWith('kubernetes:')) {
        expect(entry.provider).toBe(CLUSTER_PROVIDER);
        expect(declared.provider.startsWith(`${urnOf(CLUSTER_PROVIDER)}::`)).toBe(true);
      }
    }
  });

  test('declares access objects only after the namespace exists', () => {
    // given
    const namespaceUrns = ofType('kubernetes:core/v1:Namespace').map((r) => r.urn);
    const ofSealing = (r: RecordedResource): boolean =>
      r.parent.includes('gitops:sealing:SealedSecretsController');
    // when
    const namespaced = custom().filter(
      (r) => r.type.startsWith('kubernetes:') && r.type !== 'kubernetes:core/v1:Namespace' && !ofSealing(r),
    );
    // then
    expect(namespaceUrns).toHaveLength(3);
    for (const resource of namespaced) {
      expect(resource.dependencies.filter((d) => d.includes('RestrictedNamespace'))).toHaveLength(1);
    }
  });

  test("declares the sealing controller after its CRD and namespace, and each served namespace's binding after that namespace", () => {
    // given
    // (a dependency on a component is recorded as one on each of its resources)
    const after = (name: string): string[] =>
      named(name).dependencies.map((urn) => urn.split('::').at(-1) ?? '');
    const definition = 'sealed-secrets-definition-customresourcedefinition';
    const namespace = 'sealed-secrets-namespace-namespace';
    // when / then
    for (const name of ['sealed-secrets-controller-deployment', 'sealed-secrets-controller-rolebinding'])
      expect(after(name)).toEqual(expect.arrayContaining([definition, namespace]));
    expect(after('sealed-secrets-unsealer-production-rolebinding')).toEqual(
      expect.arrayContaining([definition, namespace, 'namespace-production-namespace']),
    );
    expect(after('sealed-secrets-unsealer-argocd-rolebinding')).toEqual(
      expect.arrayContaining([definition, namespace, 'namespace-argocd-namespace']),
    );
    expect(named('sealed-secrets-definition-customresourcedefinition').protect).toBe(true);
    expect(named('sealed-secrets-namespace-namespace').protect).toBe(true);
  });

  test('binds each persona to its role: developers and on-call read, ArgoCD syncs, break-glass edits', () => {
    // given / when / then
    expect(named('read-only-rolebinding').inputs).toMatchObject({
      metadata: { namespace: 'production' },
      subjects: [
        { kind: 'Group', name: 'robson:developers' },
        { kind: 'Group', name: 'robson:oncall' },
      ],
    });
    expect(named('gitops-sync-rolebinding').inputs).toMatchObject({
      subjects: [{ kind: 'ServiceAccount', name: 'argocd-application-controller', namespace: 'argocd' }],
    });
    expect(named('break-glass-rolebinding').inputs).toMatchObject({
      subjects: [{ kind: 'Group', name: 'robson:break-glass' }],
    });
    expect(named('break-glass-clusterrolebinding').inputs).toMatchObject({
      subjects: [{ kind: 'Group', name: 'robson:oncall' }],
    });
  });

  test('declares the image admission policy of production, admissionregistration.k8s.io/v1, failing closed and denying', () => {
    // given / when
    const policies = ofType('kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicy');
    const bindings = ofType('kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicyBinding');
    // then
    expect(policies.map((p) => p.inputs.metadata)).toEqual([
      { name: 'production-image-registry', annotations: { 'pulumi.com/patchForce': 'true' } },
    ]);
    expect(bindings).toHaveLength(1);
    for (const policy of policies)
      expect(policy.inputs).toMatchObject({
        apiVersion: 'admissionregistration.k8s.io/v1',
        spec: { failurePolicy: 'Fail' },
      });
    for (const binding of bindings)
      expect(binding.inputs).toMatchObject({ spec: { validationActions: ['Deny'] } });
  });

  test('sends each GitHub resource exactly the protection the policy writes out (test/helpers/github-protection.ts)', () => {
    // given: the inputs of every GitHub resource the program declares, by name
    const sent = Object.fromEntries(
      custom()
        .filter((r) => r.type.startsWith('github:'))
        .map((r) => [r.name, r.inputs]),
    );
    // then: squash merges only, merged branches deleted; main reviewed, approved, checked and never
    // rewritten; read-only workflow tokens; the release environment reachable from main only
    expect(protectionDifferences(sent)).toEqual([]);
    expect(Object.keys(sent).sort()).toEqual(Object.keys(expectedInputs()).sort());
  });

  test('the repository is protected from deletion', () => {
    expect(named('production-infra-repository').protect).toBe(true);
  });

  test('nothing but the release app can bypass: one bypass actor in all rulesets, no other protection resource', () => {
    // given / when
    const rulesets = ofType('github:index/repositoryRuleset:RepositoryRuleset');
    const actors = rulesets.flatMap((r) => (r.inputs.bypassActors as object[] | undefined) ?? []);
    const githubTypes = new Set(
      custom()
        .filter((r) => r.type.startsWith('github:'))
        .map((r) => r.type),
    );
    // then
    expect(rulesets).toHaveLength(2);
    expect(actors).toEqual([
      { actorType: 'Integration', actorId: TEST_RELEASE_APP_ID, bypassMode: 'always' },
    ]);
    expect(named('production-infra-history').inputs.bypassActors ?? []).toEqual([]);
    for (const type of githubTypes)
      expect(type).not.toMatch(/BranchProtection|OrganizationRuleset|Team|Collaborator/);
  });

  test('exports the required checks, the bypass app, the namespaces, the break-glass command and the audit policy', async () => {
    // given / when / then
    expect(await settled(pulumi.output(program.requiredChecks))).toEqual([
      'verify',
      'manifests',
      'conformance',
      'diff',
    ]);
    expect(program.releaseBypassAppId).toBe(TEST_RELEASE_APP_ID);
    expect(program.namespaces).toEqual(['production']);
    expect(program.breakGlassCommand).toBe(
      'kubectl --as robson:break-glass-user --as-group robson:break-glass -n production ...',
    );
    expect(program.auditPolicy).toEqual(
      clusterAuditPolicy(clusterPlanOf(clusterAccessPlan(settings.cluster))),
    );
  });
});
