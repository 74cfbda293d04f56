import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { organisation, production, registry, repository } from '../../charts/config';
import {
  IDENTITY_DEFAULTS,
  PROJECT,
  clusterSettings,
  stackFileValues,
  stackSettings,
} from '../../stacks/settings';

/** The committed stack file plus the release app id an admin sets with `pulumi config set releaseAppId`. */
const committed = (): Record<string, string> => ({
  ...stackFileValues(),
  [`${PROJECT}:releaseAppId`]: '424242',
});
const WORKFLOW = '.github/workflows/pull-request.yml';

describe('stackSettings', () => {
  test('reads Pulumi.prod.yaml: organisation and repository equal charts/config.ts, identities equal the defaults', () => {
    // given / when
    const settings = stackSettings(committed());
    // then
    expect(settings.github).toEqual({
      owner: organisation,
      repository: repository.name,
      branch: 'main',
      requiredChecks: ['verify', 'manifests', 'diff'],
      requiredApprovals: 1,
      releaseAppId: 424242,
    });
    expect(settings.cluster).toEqual({
      namespace: production.namespace,
      allowedRepositoryPrefix: `${registry}/`,
      developersGroup: 'robson:developers',
      oncallGroup: 'robson:oncall',
      breakGlassGroup: 'robson:break-glass',
      breakGlassUser: 'robson:break-glass-user',
      ciServiceAccount: { namespace: 'ci', name: 'ci-image-updater' },
      argocdServiceAccount: { namespace: 'argocd', name: 'argocd-application-controller' },
    });
    expect(clusterSettings({})).toEqual(settings.cluster);
    expect(Object.keys(IDENTITY_DEFAULTS).every((key) => `${PROJECT}:${key}` in stackFileValues())).toBe(
      true,
    );
  });

  test('the stack file holds no secret and no release app id (an admin sets it)', () => {
    // given / when
    const text = readFileSync('Pulumi.prod.yaml', 'utf8');
    // then
    expect(text).not.toMatch(/secure:|token:|password/i);
    expect(stackFileValues()).not.toHaveProperty(`${PROJECT}:releaseAppId`);
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
    expect(() => stackSettings(values)).toThrow(reason);
    expect(() => stackSettings(values)).toThrow('the protection of main cannot be weakened by configuration');
  });

  test.each(['0', '-1', '11'])('fails for requiredApprovals %s', (value) => {
    // given
    const values = { ...committed(), [`${PROJECT}:requiredApprovals`]: value };
    // when / then
    expect(() => stackSettings(values)).toThrow(
      `${PROJECT}:requiredApprovals: ${value} approvals would weaken`,
    );
  });

  test('fails without the release app id, saying how to set it', () => {
    // given
    const values = stackFileValues();
    // when / then
    expect(() => stackSettings(values)).toThrow(
      `${PROJECT}:releaseAppId is not set; fix: pulumi config set releaseAppId <number>`,
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
    expect(() => stackSettings(values)).toThrow(`pulumi config set github:owner ${organisation}`);
  });

  test('fails for an unknown key (a typo would silently keep a default)', () => {
    // given
    const values = { ...committed(), [`${PROJECT}:developerGroup`]: 'robson:everyone' };
    // when / then
    expect(() => stackSettings(values)).toThrow(`unknown configuration ${PROJECT}:developerGroup`);
  });

  test('fails for a service account not written namespace/name', () => {
    // given
    const values = { ...committed(), [`${PROJECT}:ciServiceAccount`]: 'ci-image-updater' };
    // when / then
    expect(() => stackSettings(values)).toThrow(
      `${PROJECT}:ciServiceAccount: "ci-image-updater" is not a service account`,
    );
  });
});

describe(`required checks and ${WORKFLOW}`, () => {
  test('the required status checks are exactly the job names of the pull-request workflow', () => {
    // given: a job's check name is its `name:`, or its id when it has none
    expect(existsSync(WORKFLOW)).toBe(true);
    const workflow = parse(readFileSync(WORKFLOW, 'utf8')) as { jobs: Record<string, { name?: string }> };
    const jobNames = Object.entries(workflow.jobs).map(([id, job]) => job.name ?? id);
    // when
    const required = stackSettings(committed()).github.requiredChecks;
    // then
    expect([...required].sort()).toEqual([...jobNames].sort());
  });
});
