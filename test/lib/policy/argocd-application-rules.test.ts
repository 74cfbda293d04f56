import { ApiObject, App, Chart } from 'cdk8s';
import { buildModel } from '../../../charts/app';
import { PRODUCTION_APPLICATION } from '../../../charts/argocd-chart';
import { policyOptions } from '../../../charts/policy-options';
import { KubeObject, RULES, enforcePolicy, evaluatePolicy, validateApp } from '../../../lib';
import { badApplication } from '../../helpers/bad-application';
import { findObject } from '../../helpers/find-object';

// Every case starts from the generated (compliant) ArgoCD objects and breaks one property of one of them.

const GENERATED = buildModel().argocd;
const clone = (): KubeObject[] => structuredClone(GENERATED);
// Plain data under test: cases reach into nested fields freely.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Editable = any;
const pick = (objects: KubeObject[], kind: string, name: string): Editable => findObject(objects, kind, name);
const prodApp = (objects: KubeObject[]): Editable => pick(objects, 'Application', PRODUCTION_APPLICATION);
const previews = (objects: KubeObject[]): Editable => pick(objects, 'ApplicationSet', 'previews');
const project = (objects: KubeObject[], name = 'production'): Editable => pick(objects, 'AppProject', name);
const settings = (objects: KubeObject[], name: string): Editable => pick(objects, 'ConfigMap', name);

const ruleIdsFor = (objects: readonly KubeObject[]): string[] => [
  ...new Set(
    evaluatePolicy(
      objects.map((object) => ({ object })),
      policyOptions,
    ).map((violation) => violation.ruleId),
  ),
];

describe('ArgoCD policy rules', () => {
  test('the generated objects break no rule', () => {
    expect(
      evaluatePolicy(
        GENERATED.map((object) => ({ object })),
        policyOptions,
      ),
    ).toEqual([]);
  });

  test('rule ids are unique and the ArgoCD ones run ARGO001 to ARGO018', () => {
    const ids = RULES.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.filter((id) => id.startsWith('ARGO'))).toEqual(
      Array.from({ length: 18 }, (_, index) => `ARGO${String(index + 1).padStart(3, '0')}`),
    );
  });

  const cases: [string, string, (objects: KubeObject[]) => void][] = [
    ['self-heal off', 'ARGO001', (o) => (prodApp(o).spec.syncPolicy.automated.selfHeal = false)],
    ['prune off', 'ARGO001', (o) => (prodApp(o).spec.syncPolicy.automated.prune = false)],
    ['no automated sync', 'ARGO001', (o) => delete prodApp(o).spec.syncPolicy.automated],
    ['automated sync disabled', 'ARGO001', (o) => (prodApp(o).spec.syncPolicy.automated.enabled = false)],
    [
      'sync allowed on an empty render',
      'ARGO001',
      (o) => (prodApp(o).spec.syncPolicy.automated.allowEmpty = true),
    ],
    [
      'CreateNamespace=true',
      'ARGO002',
      (o) => (prodApp(o).spec.syncPolicy.syncOptions = ['CreateNamespace=true', 'PruneLast=true']),
    ],
    [
      'PruneLast missing',
      'ARGO002',
      (o) => (prodApp(o).spec.syncPolicy.syncOptions = ['CreateNamespace=false']),
    ],
    [
      'preview template creating its namespace',
      'ARGO002',
      (o) => previews(o).spec.template.spec.syncPolicy.syncOptions.push('CreateNamespace=true'),
    ],
    [
      'targetRevision of a release branch',
      'ARGO003',
      (o) => (prodApp(o).spec.source.targetRevision = 'release'),
    ],
    ['targetRevision HEAD', 'ARGO003', (o) => (prodApp(o).spec.source.targetRevision = 'HEAD')],
    [
      'a second source on another branch',
      'ARGO003',
      (o) => {
        const app = prodApp(o);
        app.spec.sources = [app.spec.source, { ...app.spec.source, targetRevision: 'dev' }];
        delete app.spec.source;
      },
    ],
    [
      'a foreign repository',
      'ARGO004',
      (o) => (prodApp(o).spec.source.repoURL = 'https://github.com/someone/fork.git'),
    ],
    [
      'a foreign repository in the preview template',
      'ARGO004',
      (o) => (previews(o).spec.template.spec.source.repoURL = 'https://gitlab.com/x/y.git'),
    ],
    ['another cluster', 'ARGO005', (o) => (prodApp(o).spec.destination.server = 'https://prod.example:6443')],
    ['project default', 'ARGO006', (o) => (prodApp(o).spec.project = 'default')],
    ['no project', 'ARGO006', (o) => delete prodApp(o).spec.project],
    ['five retries', 'ARGO007', (o) => (prodApp(o).spec.syncPolicy.retry.limit = 5)],
    [
      'a duplicate Application name',
      'ARGO008',
      (o) => {
        const copy = structuredClone(prodApp(o));
        copy.metadata.namespace = 'default';
        o.push(copy);
      },
    ],
    [
      'a preview targeting production',
      'ARGO009',
      (o) => {
        const template = previews(o).spec.template.spec;
        template.destination.namespace = 'production';
        template.source.kustomize.namespace = 'production';
      },
    ],
    [
      'a preview whose manifests keep their namespace',
      'ARGO009',
      (o) => delete previews(o).spec.template.spec.source.kustomize.namespace,
    ],
    [
      'an Application of the preview project targeting production',
      'ARGO009',
      (o) => {
        const app = structuredClone(prodApp(o));
        app.metadata.name = 'hand-made-preview';
        app.spec.project = 'preview';
        o.push(app);
      },
    ],
    [
      'previews kept after their pull request closes',
      'ARGO010',
      (o) => (previews(o).spec.syncPolicy.applicationsSync = 'create-update'),
    ],
    [
      'previews deleted without their objects',
      'ARGO010',
      (o) => (previews(o).spec.template.metadata.finalizers = []),
    ],
    [
      'an Application not subscribed to an alert',
      'ARGO011',
      (o) =>
        delete prodApp(o).metadata.annotations['notifications.argoproj.io/subscribe.on-sync-failed.slack'],
    ],
    ['a project allowing any repository', 'ARGO012', (o) => (project(o).spec.sourceRepos = ['*'])],
    [
      'a project allowing every cluster-scoped kind',
      'ARGO013',
      (o) => (project(o).spec.clusterResourceWhitelist = [{ group: '*', kind: '*' }]),
    ],
    [
      'a production project creating Namespaces',
      'ARGO013',
      (o) =>
        (project(o).spec.clusterResourceWhitelist = [{ group: '', kind: 'Namespace', name: 'preview-*' }]),
    ],
    [
      'a project reaching every namespace',
      'ARGO014',
      (o) => (project(o).spec.destinations[0].namespace = '*'),
    ],
    [
      'a project reaching another cluster',
      'ARGO014',
      (o) => (project(o).spec.destinations[0].server = 'https://other:6443'),
    ],
    [
      'no orphaned-resource warnings in production',
      'ARGO015',
      (o) => (project(o).spec.orphanedResources.warn = false),
    ],
    [
      'a CI role that may update',
      'ARGO016',
      (o) =>
        project(o).spec.roles[0].policies.push(
          'p, proj:production:ci, applications, update, production/*, allow',
        ),
    ],
    [
      'a CI role that may do anything',
      'ARGO016',
      (o) => project(o).spec.roles[0].policies.push('p, proj:production:ci, *, *, */*, allow'),
    ],
    [
      'an admin default role',
      'ARGO017',
      (o) => (settings(o, 'argocd-rbac-cm').data['policy.default'] = 'role:admin'),
    ],
    [
      'a Slack token in clear',
      'ARGO018',
      (o) => (settings(o, 'argocd-notifications-cm').data['service.slack'] = 'token: xoxb-123\n'),
    ],
  ];

  test.each(cases)('fails: %s (%s)', (_label, ruleId, breakIt) => {
    // given
    const objects = clone();
    // when
    breakIt(objects);
    // then
    expect(ruleIdsFor(objects)).toEqual([ruleId]);
  });

  test('fails: ArgoCD objects checked without ArgoCD options are reported, not passed', () => {
    // given
    const options = { ...policyOptions, argocd: undefined };
    // when
    const violations = evaluatePolicy(
      GENERATED.map((object) => ({ object })),
      options,
    );
    // then
    expect(violations.length).toBeGreaterThan(0);
    expect(
      violations.every((violation) => violation.message.includes('PolicyOptions.argocd is not set')),
    ).toBe(true);
  });

  test('a violation names the rule, the object, what is wrong and the fix', () => {
    // given
    const objects = clone();
    prodApp(objects).spec.syncPolicy.automated.selfHeal = false;
    // when
    const [violation] = evaluatePolicy([{ object: prodApp(objects), source: 'x.yaml:1' }], policyOptions);
    // then
    expect(violation).toMatchObject({
      ruleId: 'ARGO001',
      object: `Application argocd/${PRODUCTION_APPLICATION}`,
      source: 'x.yaml:1',
      message: expect.stringContaining('selfHeal is not true'),
      fix: expect.stringContaining('ProductionApplication'),
    });
  });
});

describe('the ArgoCD rules where they run', () => {
  test('fails: synth refuses a hand-built Application that weakens the sync policy', () => {
    // given
    const app = new App();
    const chart = new Chart(app, 'HandMade');
    const { apiVersion, kind, metadata, ...rest } = badApplication();
    new ApiObject(chart, 'Weak', { apiVersion, kind, metadata: metadata ?? {}, ...rest });
    enforcePolicy(app, policyOptions);
    // when / then
    expect(() => validateApp(app)).toThrow(
      /\[ARGO001\] Application argocd\/robson-backend-prod \(HandMade\/Weak\)/,
    );
  });
});
