/**
 * Configuration keys an admin might reach for that could only weaken the protection of the production
 * branch, each with the reason it does not exist. Setting any of them, to any value, is an error.
 */
export const PROTECTION_WEAKENING_KEYS: Readonly<Record<string, string>> = {
  allowDeletions: 'the protected branch can never be deleted',
  allowForcePushes: 'force pushes to the protected branch are always blocked',
  bypassActors:
    'the release app (releaseAppId) is the only actor that may bypass review; no other can be added',
  dismissStaleReviews: 'approvals are always dismissed when new commits are pushed',
  enforceAdmins: 'the rules always apply to administrators',
  requireConversationResolution: 'review conversations must always be resolved before merging',
  requireLastPushApproval: 'the last push must always be approved by someone other than its author',
  strictStatusChecks: 'the branch must always be up to date with the protected branch before merging',
};

/** The most approvals a GitHub ruleset accepts. */
export const MAX_REQUIRED_APPROVALS = 10;

/** Throws, naming every offending key, if `keys` holds any of `PROTECTION_WEAKENING_KEYS`. */
export function rejectWeakeningKeys(keys: Iterable<string>, namespace: string): void {
  const found = [...keys].filter((key) => Object.hasOwn(PROTECTION_WEAKENING_KEYS, key));
  if (found.length === 0) return;
  const lines = found.map(
    (key) => `  ${namespace}:${key}: ${PROTECTION_WEAKENING_KEYS[key]}; remove it (pulumi config rm ${key})`,
  );
  throw new Error(`the protection of main cannot be weakened by configuration:\n${lines.join('\n')}`);
}

/** Throws unless `value` is a whole number of approvals from 1 to `MAX_REQUIRED_APPROVALS`. */
export function checkRequiredApprovals(value: number, source: string): number {
  if (!Number.isInteger(value) || value < 1 || value > MAX_REQUIRED_APPROVALS) {
    throw new Error(
      `${source}: ${value} approvals would weaken or break the protection of main; use a whole number from 1 to ${MAX_REQUIRED_APPROVALS}`,
    );
  }
  return value;
}
