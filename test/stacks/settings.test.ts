import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { organisation, registry, repository, shaTagLength } from '../../charts/config';
import { environments } from '../../charts/environments';
import { PERSONAS } from '../../charts/personas';
import { ADMIN_ENVIRONMENT, adminEnvironment } from '../../stacks/admin-environment';
import {
  IDENTITY_DEFAULTS,
  PROJECT,
  STACK_FILE,
  STACK_FILE_KEYS,
  clusterSettings,
  rejectPerAdminKeys,
  stackFileValues,
  stackSettings,
} from '../../stacks/settings';

/** The committed stack file once the reviewed pull request that sets the release app's id is merged. */
const committed = (): Record<string, string> => ({
  ...stackFileValues(),
  [`${PROJECT}:releaseAppId`]: '424242',
});
/** An admin's shell, as the README's Admins section sets it up. */
const shell = { GITHUB_TOKEN: 'not-a-real-token', PRODUCTION_KUBE_CONTEXT: 'prod-admin@production' };
const WORKFLOW = '.github/workflows/pull-request.yml';

describe('stackSettings', () => {
  test('reads Pulumi.prod.yaml: organisation and repository equal charts/config.ts, identities equal the defaults', () => {
    // given / when
    const settings = stackSettings(committed(), shell);
    // then
    expect(settings.github).toEqual({
      owner: organisation,
      repository: repository.name,
      branch: 'main',
      requiredChecks: ['verify', 'manifests', 'conformance', 'diff'],
      requiredApprovals: 1,
      releaseAppId: 424242,
    });
    expect(settings.cluster).toEqual({
      personas: PERSONAS,
      identities: {
        developersGroup: 'robson:developers',
        oncallGroup: 'robson:oncall',
        breakGlassGroup: 'robson:break-glass',
        breakGlassUser: 'robson:break-glass-user',
        argocdServiceAccount: 'argocd/argocd-application-controller',
      },
      allowedRepositoryPrefix: `${registry}/`,
      shaTagLength,
    });
    expect(settings.environments).toEqual(environments);
    expect(settings.admin).toEqual({
      kubeContext: 'prod-admin@production',
      kubeContexts: { 'in-cluster': 'prod-admin@production' },
    });
    expect(clusterSettings({})).toEqual(settings.cluster);
    expect(Object.keys(IDENTITY_DEFAULTS).every((key) => `${PROJECT}:${key}` in stackFileValues())).toBe(
      true,
    );
  });

  test('the stack file holds no secret, nothing per admin, only known keys, and disables the default kubernetes provider', () => {
    // given / when
    const text = readFileSync(STACK_FILE, 'utf8');
    const values = stackFileValues();
    // then
    expect(text).not.toMatch(/secure:|token:|password/i);
    expect(() => rejectPerAdminKeys(Object.keys(values))).not.toThrow();
    for (const key of Object.keys(values)) expect(STACK_FILE_KEYS).toContain(key);
    expect(JSON.parse(values['pulumi:disable-default-providers'])).toEqual(['kubernetes']);
  });

  test('a release app id committed in the stack file is what the ruleset lets bypass', () => {
    // given the stack file as the reviewed pull request leaves it
    const values = committed();
    // when
    const settings = stackSettings(values, shell);
    // then
    expect(settings.github?.releaseAppId).toBe(424242);
  });

  test.each([
    ['allowForcePushes', 'true', 'force pushes to the protected branch are always blocked'],
    ['allowDeletions', 'true', 'can never be deleted'],
    [
      'bypassActors',
      '[{"actorType":"Team","actorId":1}]',
      'the release app (releaseAppId) is the only actor',
    ],
    ['enforceAdmins', 'false', 'always apply to administrators'],
    ['dismissStaleReviews', 'false', 'always dismissed'],
  ])('fails when %s is set, before reading anything else', (key, value, reason) => {
    // given
    const values = { ...committed(), [`${PROJECT}:${key}`]: value };
    // when / then
    expect(() => stackSettings(values, {})).toThrow(reason);
    expect(() => stackSettings(values, {})).toThrow(
      'the protection of main cannot be weakened by configuration',
    );
  });

  test.each(['0', '-1', '11'])('fails for requiredApprovals %s', (value) => {
    // given
    const values = { ...committed(), [`${PROJECT}:requiredApprovals`]: value };
    // when / then
    expect(() => stackSettings(values, shell)).toThrow(
      `${PROJECT}:requiredApprovals: ${value} approvals would weaken`,
    );
  });

  test('fails without the release app id, naming the key, the file and the reviewed fix', () => {
    // given the stack file before the pull request that sets it
    const values = Object.fromEntries(
      Object.entries(stackFileValues()).filter(([key]) => key !== `${PROJECT}:releaseAppId`),
    );
    // when / then
    expect(() => stackSettings(values, shell)).toThrow(
      `${PROJECT}:releaseAppId is not set in ${STACK_FILE}: it is the numeric App ID of the release GitHub App, the only bypass actor of main's review ruleset; fix: set it in a pull request: pulumi config set releaseAppId <numeric App ID> --stack prod writes it into ${STACK_FILE}; commit that file`,
    );
  });

  test.each(['0', '-5'])('fails for release app id %s, which no GitHub App has', (value) => {
    // given
    const values = { ...committed(), [`${PROJECT}:releaseAppId`]: value };
    // when / then
    expect(() => stackSettings(values, shell)).toThrow(
      `${PROJECT}:releaseAppId is ${value} in ${STACK_FILE}, not a GitHub App ID`,
    );
  });

  test.each([
    ['kubernetes:context', 'export PRODUCTION_KUBE_CONTEXT='],
    ['kubernetes:kubeconfig', 'export PRODUCTION_KUBE_CONTEXT='],
    ['github:token', 'export GITHUB_TOKEN='],
  ])(
    'fails when the stack file holds %s, which is per admin, saying what to export instead',
    (key, instead) => {
      // given the stack file as `pulumi config set` would have left it
      const values = { ...committed(), [key]: 'something-local' };
      // when / then
      for (const read of [() => stackSettings(values, shell), () => clusterSettings(values)]) {
        expect(read).toThrow(
          `${key} is set in ${STACK_FILE}, but it is per admin and must not be committed: remove it (pulumi config rm ${key} --stack prod) and ${instead}`,
        );
      }
    },
  );

  test.each(['GITHUB_TOKEN', 'PRODUCTION_KUBE_CONTEXT'])(
    'fails when %s is missing from the shell, saying what it holds and how to set it',
    (name) => {
      // given
      const env: Record<string, string | undefined> = { ...shell, [name]: undefined };
      // when / then
      expect(() => stackSettings(committed(), env)).toThrow(`${name} is not set.`);
      expect(() => stackSettings(committed(), env)).toThrow(
        `export ${name}=<${ADMIN_ENVIRONMENT[name].holds}>`,
      );
    },
  );

  test('fails naming both variables when the shell has neither, and treats blank as missing', () => {
    // given / when / then
    expect(() => adminEnvironment({ PRODUCTION_KUBE_CONTEXT: '  ' })).toThrow(
      'GITHUB_TOKEN and PRODUCTION_KUBE_CONTEXT are not set. They are per admin and never committed',
    );
  });

  test.each([
    ['is missing', undefined],
    ['names another owner', 'someone-else'],
  ])('fails when github:owner %s', (_case, owner) => {
    // given
    const values: Record<string, string> = { ...committed() };
    if (owner === undefined) delete values['github:owner'];
    else values['github:owner'] = owner;
    // when / then
    expect(() => stackSettings(values, shell)).toThrow(`pulumi config set github:owner ${organisation}`);
  });

  test('fails for an unknown key (a typo would silently keep a default)', () => {
    // given
    const values = { ...committed(), [`${PROJECT}:developerGroup`]: 'robson:everyone' };
    // when / then
    expect(() => stackSettings(values, shell)).toThrow(`unknown configuration ${PROJECT}:developerGroup`);
  });

  test('fails for a service account not written namespace/name', () => {
    // given
    const values = { ...committed(), [`${PROJECT}:argocdServiceAccount`]: 'argocd-application-controller' };
    // when / then
    expect(() => stackSettings(values, shell)).toThrow(
      `${PROJECT}:argocdServiceAccount: "argocd-application-controller" is not a service account`,
    );
  });

  test('fails for the CI account key, which no longer exists (CI has no identity in the cluster)', () => {
    // given
    const values = { ...committed(), [`${PROJECT}:ciServiceAccount`]: 'ci/ci-image-updater' };
    // when / then
    expect(() => stackSettings(values, shell)).toThrow(`unknown configuration ${PROJECT}:ciServiceAccount`);
  });
});

describe('cluster-only mode (clusterOnly: true)', () => {
  /** A cluster-only stack: the committed identities, no GitHub key. */
  const clusterOnly = (): Record<string, string> => ({
    ...Object.fromEntries(
      Object.entries(stackFileValues()).filter(
        ([key]) =>
          !key.startsWith('github:') &&
          ![
            `${PROJECT}:organisation`,
            `${PROJECT}:repository`,
            `${PROJECT}:requiredChecks`,
            `${PROJECT}:requiredApprovals`,
          ].includes(key),
      ),
    ),
    [`${PROJECT}:clusterOnly`]: 'true',
  });
  const kubeOnly = { PRODUCTION_KUBE_CONTEXT: 'dr-admin@dr-cluster' };

  test('declares no GitHub settings and needs no GITHUB_TOKEN, with the same cluster settings', () => {
    // when
    const settings = stackSettings(clusterOnly(), kubeOnly, 'dr-cluster');
    // then
    expect(settings.github).toBeUndefined();
    expect(settings.cluster).toEqual(clusterSettings(stackFileValues()));
    expect(settings.admin.kubeContext).toBe('dr-admin@dr-cluster');
  });

  test('still needs the kubeconfig context', () => {
    expect(() => stackSettings(clusterOnly(), {}, 'dr-cluster')).toThrow(
      'PRODUCTION_KUBE_CONTEXT is not set.',
    );
  });

  test('fails on the prod stack, whose rulesets a cluster-only up would delete', () => {
    expect(() => stackSettings(clusterOnly(), kubeOnly, 'prod')).toThrow(
      `${PROJECT}:clusterOnly is true on stack "prod", which protects main: without its GitHub resources \`pulumi up\` would delete main's rulesets`,
    );
  });

  test.each([
    ['github:owner', 'robson'],
    [`${PROJECT}:requiredChecks`, '["verify"]'],
    [`${PROJECT}:releaseAppId`, '424242'],
  ])('fails while %s is set, which the mode would ignore', (key, value) => {
    expect(() => stackSettings({ ...clusterOnly(), [key]: value }, kubeOnly, 'dr-cluster')).toThrow(
      `${PROJECT}:clusterOnly is true, so no GitHub resource is declared, but ${key} is set and would be ignored`,
    );
  });

  test('still refuses a key that would weaken the protection of main', () => {
    const values = { ...clusterOnly(), [`${PROJECT}:allowForcePushes`]: 'true' };
    expect(() => stackSettings(values, kubeOnly, 'dr-cluster')).toThrow(
      'the protection of main cannot be weakened by configuration',
    );
  });

  test.each(['yes', '1', ''])('fails for clusterOnly %j, which is not true or false', (value) => {
    const values = { ...clusterOnly(), [`${PROJECT}:clusterOnly`]: value };
    expect(() => stackSettings(values, kubeOnly, 'dr-cluster')).toThrow(
      `${PROJECT}:clusterOnly has value ${JSON.stringify(value)}; fix: pulumi config set clusterOnly true|false`,
    );
  });

  test('clusterOnly: false is the full mode', () => {
    const values = { ...committed(), [`${PROJECT}:clusterOnly`]: 'false' };
    expect(stackSettings(values, shell).github?.releaseAppId).toBe(424242);
  });
});

describe(`required checks and ${WORKFLOW}`, () => {
  test('the required status checks are exactly the job names of the pull-request workflow', () => {
    // given: a job's check name is its `name:`, or its id when it has none
    expect(existsSync(WORKFLOW)).toBe(true);
    const workflow = parse(readFileSync(WORKFLOW, 'utf8')) as { jobs: Record<string, { name?: string }> };
    const jobNames = Object.entries(workflow.jobs).map(([id, job]) => job.name ?? id);
    // when
    const required = stackSettings(committed(), shell).github?.requiredChecks ?? [];
    // then
    expect([...required].sort()).toEqual([...jobNames].sort());
  });
});
