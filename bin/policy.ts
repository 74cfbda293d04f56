import { ManifestError, evaluatePolicy, formatViolation, loadManifests } from '../lib';
import { policyOptions } from '../charts/policy-options';

const USAGE = 'usage: npm run policy -- <file or folder>...';

/** 0: clean; 1: violations; 2: bad input. */
function main(args: readonly string[]): number {
  if (args.length === 0) {
    console.error(USAGE);
    return 2;
  }
  try {
    const objects = loadManifests(args);
    const violations = evaluatePolicy(objects, policyOptions);
    for (const violation of violations) console.log(formatViolation(violation));
    console.log(`policy: ${violations.length} violation(s) in ${objects.length} object(s)`);
    return violations.length > 0 ? 1 : 0;
  } catch (error) {
    const reason = error instanceof ManifestError ? error.message : `unexpected error: ${String(error)}`;
    console.error(`policy: ${reason}`);
    return 2;
  }
}

process.exitCode = main(process.argv.slice(2));
