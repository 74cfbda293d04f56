import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { CLUSTER_ONLY_KEY, PROJECT, STACK_FILE } from '../../../stacks/settings';
import { TEST_RELEASE_APP_ID } from '../../helpers/github-protection';
import { REPO_ROOT } from '../../helpers/tools';

/** The committed stack file's `config:` map, as YAML values (lists stay lists). */
export function committedConfig(): Record<string, unknown> {
  const document = parse(readFileSync(join(REPO_ROOT, STACK_FILE), 'utf8')) as {
    config: Record<string, unknown>;
  };
  return { ...document.config };
}

/** The prod stack once the release app's id is committed: full mode, the GitHub half included. */
export function fullModeConfig(): Record<string, unknown> {
  return { ...committedConfig(), [`${PROJECT}:releaseAppId`]: String(TEST_RELEASE_APP_ID) };
}

/**
 * A cluster-only stack with the committed identities: `clusterOnly: true`, and none of the GitHub keys
 * (the program refuses them in that mode).
 */
export function clusterOnlyConfig(): Record<string, unknown> {
  const githubKeys = ['organisation', 'repository', 'requiredChecks', 'requiredApprovals', 'releaseAppId'];
  const kept = Object.entries(committedConfig()).filter(
    ([key]) => !key.startsWith('github:') && !githubKeys.some((name) => key === `${PROJECT}:${name}`),
  );
  return { ...Object.fromEntries(kept), [`${PROJECT}:${CLUSTER_ONLY_KEY}`]: 'true' };
}
