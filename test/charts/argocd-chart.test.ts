import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { AppProject, Application, ApplicationSet } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1';
import { buildModel, renderInfra } from '../../charts/app';
import { PRODUCTION_APPLICATION } from '../../charts/argocd-chart';
import { alertTriggers } from '../../charts/alerts';
import { argocd, repository } from '../../charts/config';
import { previews, production } from '../../charts/environments';
import { imageRepositories } from '../../charts/images';
import { policyOptions } from '../../charts/policy-options';
import { ARGOCD_DIR, ARGOCD_KIND_DIRS, INFRA_DIR, PREVIEW_DIR, overlayDir } from '../../charts/paths';
import {
  IN_CLUSTER_SERVER,
  KubeObject,
  RESOURCES_FINALIZER,
  SUBSCRIBE_ANNOTATION_PREFIX,
  SYNC_RETRY_LIMIT,
  evaluatePolicy,
  loadManifests,
  writeTree,
} from '../../lib';
import { findObject } from '../helpers/find-object';
import { validateKubernetesSchema } from '../helpers/kubernetes-schema';
import { specOf } from '../helpers/spec-of';
import { REPO_ROOT } from '../helpers/tools';

const model = buildModel();
const tree = renderInfra(model);
const argocdFiles = Object.keys(tree).filter((path) => path.startsWith(`${ARGOCD_DIR}/`));
const previewFiles = Object.keys(tree).filter((path) => path.startsWith(`${PREVIEW_DIR}/`));
/**
 * The files snapshots record: all but those that list the catalog (each service's Application, the
 * previews' ApplicationSet and kustomization), so that a new service needs no snapshot update; the
 * tests below assert what those hold.
 */
const TODAY_APPLICATIONS = ['root', 'robson-baseline-prod', 'robson-backend-prod'];
const snapshotted = Object.keys(tree).filter(
  (path) =>
    (path.startsWith(`${ARGOCD_DIR}/`) &&
      !path.startsWith(`${ARGOCD_DIR}/applicationsets/`) &&
      (!path.startsWith(`${ARGOCD_DIR}/applications/`) ||
        TODAY_APPLICATIONS.some((name) => path === `${ARGOCD_DIR}/applications/${name}.yaml`))) ||
    path === `${PREVIEW_DIR}/resources/namespace-preview.yaml`,
);
const objectAt = (path: string): KubeObject => parse(tree[path]) as KubeObject;
const find = (kind: string, name: string): KubeObject => findObject(model.argocd, kind, name);

const productionApp = find('Application', PRODUCTION_APPLICATION);
const rootApp = find('Application', 'root');
const productionProject = find('AppProject', production.namespace);
const previewProject = find('AppProject', 'preview');
const previewSet = find('ApplicationSet', 'previews');
const configMap = (name: string): Record<string, string> =>
  find('ConfigMap', name).data as Record<string, string>;

describe('generated infra/argocd and the preview overlay', () => {
  test.each(snapshotted)('%s matches its snapshot', (path) => {
    expect(tree[path]).toMatchSnapshot();
  });

  test('every generated YAML file carries the generated-file header', () => {
    for (const path of [...argocdFiles, ...previewFiles].filter((file) => file.endsWith('.yaml'))) {
      expect(tree[path]).toMatch(/^# Generated from charts\/\S+\.ts by `npm run synth`\. Do not edit/);
    }
  });

  test('the committed infra/argocd equals what the code generates (run `npm run synth` otherwise)', () => {
    // given
    const dir = join(REPO_ROOT, INFRA_DIR, ARGOCD_DIR);
    const committed = readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((entry) => entry.includes('.'))
      .map((entry) => `${ARGOCD_DIR}/${entry}`);
    // then
    expect(committed.sort()).toEqual([...argocdFiles].sort());
    for (const path of argocdFiles)
      expect(readFileSync(join(REPO_ROOT, INFRA_DIR, path), 'utf8')).toBe(tree[path]);
  });

  test('the production Application is at the path the policy names, and is what the model holds', () => {
    // given
    const path = `${ARGOCD_DIR}/${ARGOCD_KIND_DIRS.Application}/robson-backend-prod.yaml`;
    // then
    expect(PRODUCTION_APPLICATION).toBe('robson-backend-prod');
    expect(objectAt(path)).toEqual(productionApp);
  });

  test('no Secret is generated: the Slack token and the GitHub token stay out of Git', () => {
    // then
    expect(model.argocd.filter((object) => object.kind === 'Secret')).toEqual([]);
    // Slack bot, GitHub personal and fine-grained token formats.
    for (const path of argocdFiles) expect(tree[path]).not.toMatch(/xox[abpr]-|ghp_|github_pat_/);
  });
});

describe('the production Application', () => {
  const spec = specOf(productionApp);

  test('syncs automatically, prunes and self-heals, never on an empty render', () => {
    expect(spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true, allowEmpty: false });
  });

  test('never creates its namespace and prunes last', () => {
    expect(spec.syncPolicy.syncOptions).toEqual(
      expect.arrayContaining(['CreateNamespace=false', 'PruneLast=true']),
    );
    expect(spec.syncPolicy.syncOptions).not.toContain('CreateNamespace=true');
  });

  test(`retries a failed sync ${SYNC_RETRY_LIMIT} times, as the sync-failed alert assumes`, () => {
    expect(spec.syncPolicy.retry.limit).toBe(SYNC_RETRY_LIMIT);
    expect(alertTriggers.find((trigger) => trigger.name === 'on-sync-failed')?.condition).toContain(
      `>= ${SYNC_RETRY_LIMIT}`,
    );
  });

  test("tracks the backend's prod overlay of main in this repository, into production in-cluster", () => {
    expect(spec.source).toEqual({
      repoURL: repository.url,
      targetRevision: 'main',
      path: `${INFRA_DIR}/k8s/backend/overlays/prod`,
    });
    expect(spec.destination).toEqual({ server: IN_CLUSTER_SERVER, namespace: production.namespace });
    expect(tree[`${overlayDir('backend', 'prod')}/kustomization.yaml`]).toBeDefined();
  });

  test('belongs to the production project and carries no resources finalizer', () => {
    expect(spec.project).toBe('production');
    expect(productionApp.metadata).not.toHaveProperty('finalizers');
  });

  test('is subscribed to every alert, on the Slack channel', () => {
    for (const trigger of alertTriggers) {
      expect(
        productionApp.metadata?.annotations?.[`${SUBSCRIBE_ANNOTATION_PREFIX}${trigger.name}.slack`],
      ).toBe(argocd.alertChannel);
    }
    expect(argocd.alertChannel).toBe('infra-alerts');
  });
});

describe('the production AppProject', () => {
  const spec = specOf(productionProject);

  test('allows only this repository and the production namespace in-cluster', () => {
    expect(spec.sourceRepos).toEqual([repository.url]);
    expect(spec.destinations).toEqual([{ server: IN_CLUSTER_SERVER, namespace: production.namespace }]);
  });

  test('allows no cluster-scoped object and warns about orphaned resources', () => {
    expect(spec.clusterResourceWhitelist).toEqual([]);
    expect(spec.orphanedResources.warn).toBe(true);
  });

  test('allows exactly the kinds production runs, and SealedSecrets, never a Secret', () => {
    const kinds = new Set([...model.prod.map((object) => object.kind), 'SealedSecret']);
    expect(new Set(spec.namespaceResourceWhitelist.map((entry: { kind: string }) => entry.kind))).toEqual(
      kinds,
    );
    expect(spec.namespaceResourceWhitelist).toContainEqual({ group: 'bitnami.com', kind: 'SealedSecret' });
    expect(spec.namespaceResourceWhitelist).not.toContainEqual(expect.objectContaining({ kind: 'Secret' }));
  });

  test('has one role, ci, that may only get and sync production Applications', () => {
    expect(spec.roles).toEqual([
      {
        name: 'ci',
        description: expect.any(String),
        policies: [
          'p, proj:production:ci, applications, get, production/*, allow',
          'p, proj:production:ci, applications, sync, production/*, allow',
        ],
      },
    ]);
  });
});

describe('the root Application (app of apps)', () => {
  test('syncs infra/argocd of main, subfolders included, with the production sync policy', () => {
    const spec = specOf(rootApp);
    expect(spec.source).toEqual({
      repoURL: repository.url,
      targetRevision: 'main',
      path: `${INFRA_DIR}/${ARGOCD_DIR}`,
      directory: { recurse: true },
    });
    expect(spec.syncPolicy).toEqual(specOf(productionApp).syncPolicy);
    expect(spec.destination).toEqual({ server: IN_CLUSTER_SERVER, namespace: argocd.namespace });
  });

  test('manages every object of infra/argocd: its project allows each kind, in ArgoCD’s namespace', () => {
    const gitops = specOf(find('AppProject', specOf(rootApp).project));
    const allowed = gitops.namespaceResourceWhitelist.map(
      (entry: { group: string; kind: string }) => `${entry.group}/${entry.kind}`,
    );
    for (const object of model.argocd) {
      const group = object.apiVersion.includes('/') ? object.apiVersion.split('/')[0] : '';
      expect(allowed).toContain(`${group}/${object.kind}`);
      expect(object.metadata?.namespace).toBe(argocd.namespace);
    }
  });

  test('every ArgoCD object has a unique kind and name', () => {
    const keys = model.argocd.map((object) => `${object.kind}/${object.metadata?.name}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('argocd-notifications-cm', () => {
  const data = configMap('argocd-notifications-cm');

  test('sends to Slack with a token referenced from argocd-notifications-secret', () => {
    expect(parse(data['service.slack'])).toEqual({ token: '$slack-token' });
  });

  test('has a trigger and a template per alert: OutOfSync 10 min, Degraded, sync failed, Git unreadable', () => {
    expect(alertTriggers.map((trigger) => trigger.name)).toEqual([
      'on-out-of-sync-10m',
      'on-health-degraded',
      'on-sync-failed',
      'on-comparison-error-10m',
    ]);
    for (const trigger of alertTriggers) {
      expect(parse(data[`trigger.${trigger.name}`])).toEqual([
        { description: trigger.description, when: trigger.condition, send: [trigger.name] },
      ]);
      expect(parse(data[`template.${trigger.name}`])).toEqual({ message: trigger.message });
    }
  });
});

describe('argocd-rbac-cm', () => {
  const data = configMap('argocd-rbac-cm');
  const lines = data['policy.csv'].trim().split('\n');

  test('has no default role', () => {
    expect(data['policy.default']).toBe('');
  });

  test('developers are read-only; on-call may sync (and so roll back) production only', () => {
    expect(lines).toEqual([
      'g, robson:developers, role:readonly',
      'g, role:oncall, role:readonly',
      'p, role:oncall, applications, sync, production/*, allow',
      'g, robson:oncall, role:oncall',
    ]);
  });

  test('grants no write action other than sync, and no admin role', () => {
    const actions = lines.filter((line) => line.startsWith('p,')).map((line) => line.split(',')[3].trim());
    expect(new Set(actions)).toEqual(new Set(['sync']));
    expect(data['policy.csv']).not.toContain('role:admin');
  });
});

// The pull-request generator's parameters, as its documentation lists them (GitHub provider):
// https://argo-cd.readthedocs.io/en/release-3.5/operator-manual/applicationset/Generators-Pull-Request/
const DOCUMENTED_PR_PARAMETERS = [
  'number',
  'title',
  'branch',
  'branch_slug',
  'target_branch',
  'target_branch_slug',
  'head_sha',
  'head_short_sha',
  'head_short_sha_7',
  'author',
  'labels',
];

describe('the preview ApplicationSet and project', () => {
  const spec = specOf(previewSet);
  const template = spec.template.spec;

  test('lists the pull requests of this repository labelled preview, every 5 minutes', () => {
    expect(spec.generators).toEqual([
      {
        pullRequest: {
          github: {
            owner: repository.owner,
            repo: repository.name,
            tokenRef: previews.githubToken,
            labels: [previews.label],
          },
          requeueAfterSeconds: 300,
        },
      },
    ]);
  });

  test('uses only parameters the pull-request generator documents, and fails on any other', () => {
    const used = [...JSON.stringify(spec.template).matchAll(/{{-?\s*\.(\w+)/g)].map((match) => match[1]);
    expect(used.length).toBeGreaterThan(0);
    expect(used.filter((parameter) => !DOCUMENTED_PR_PARAMETERS.includes(parameter))).toEqual([]);
    expect(spec.goTemplate).toBe(true);
    expect(spec.goTemplateOptions).toEqual(['missingkey=error']);
  });

  test('deploys the preview overlay of the pull request head to preview-<number> with image tag sha-<head 7>', () => {
    expect(spec.template.metadata.name).toBe('preview-{{ .number }}');
    expect(template.destination).toEqual({ server: IN_CLUSTER_SERVER, namespace: 'preview-{{ .number }}' });
    expect(template.source.targetRevision).toBe('{{ .head_sha }}');
    expect(template.source.path).toBe(`${INFRA_DIR}/${PREVIEW_DIR}`);
    expect(template.source.kustomize.namespace).toBe('preview-{{ .number }}');
    expect(template.source.kustomize.images).toEqual(
      Object.values(imageRepositories).map((repository) => `${repository}:sha-{{ .head_short_sha_7 }}`),
    );
    expect(template.source.kustomize.images).toContain(
      `${imageRepositories.backend}:sha-{{ .head_short_sha_7 }}`,
    );
  });

  test('deletes a preview, namespace included, when its pull request closes', () => {
    expect(spec.syncPolicy).toEqual({ applicationsSync: 'sync', preserveResourcesOnDeletion: false });
    expect(spec.template.metadata.finalizers).toEqual([RESOURCES_FINALIZER]);
    expect(template.syncPolicy.automated).toMatchObject({ prune: true, selfHeal: true });
  });

  test('lives in a project that reaches only preview-* namespaces and creates only those Namespaces', () => {
    expect(template.project).toBe('preview');
    expect(specOf(previewProject).destinations).toEqual([
      { server: IN_CLUSTER_SERVER, namespace: 'preview-*' },
    ]);
    expect(specOf(previewProject).clusterResourceWhitelist).toEqual([
      { group: '', kind: 'Namespace', name: 'preview-*' },
    ]);
    expect(specOf(previewProject).sourceRepos).toEqual([repository.url]);
  });
});

describe('schemas and policy of every ArgoCD object', () => {
  const models: Record<string, new (data: never) => { validate(): void }> = {
    Application,
    AppProject,
    ApplicationSet,
  };
  const argoObjects = model.argocd.filter((object) => object.apiVersion.startsWith('argoproj.io/'));

  test.each(argoObjects.map((object) => [`${object.kind} ${object.metadata?.name}`, object] as const))(
    '%s validates against the @kubernetes-models/argo-cd schema',
    (_label, object) => {
      expect(() => new models[object.kind](object as never).validate()).not.toThrow();
    },
  );

  test('the ConfigMaps validate against the Kubernetes schema', () => {
    for (const object of model.argocd.filter((candidate) => candidate.kind === 'ConfigMap')) {
      expect(() => validateKubernetesSchema(object)).not.toThrow();
    }
  });

  test('the generated files pass every policy rule, as `npm run policy infra/argocd` reads them', () => {
    // given
    const dir = mkdtempSync(join(tmpdir(), 'argocd-'));
    try {
      writeTree(dir, Object.fromEntries(argocdFiles.map((path) => [path, tree[path]])));
      // when
      const objects = loadManifests([join(dir, ARGOCD_DIR)]);
      // then
      expect(objects).toHaveLength(model.argocd.length);
      expect(evaluatePolicy(objects, policyOptions)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
