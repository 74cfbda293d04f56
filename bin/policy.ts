import {
  CommandSpec,
  ManifestError,
  PinFileError,
  evaluatePolicy,
  formatViolation,
  loadManifests,
  runCommand,
} from '../lib';

const SPEC: CommandSpec = {
  name: 'policy',
  description:
    'Checks Kubernetes manifests against the production policy, the same rules synth enforces: every ' +
    '.yaml/.yml file named, or below a named folder (kustomize patch files left out).',
  arguments: [{ name: 'file or folder', variadic: true, description: 'YAML files or folders of them' }],
  exitStatus: {
    0: 'no violation',
    1: 'violations (printed with rule, object, file and fix)',
    2: 'bad usage, unreadable input, or no Kubernetes object',
  },
  examples: ['npm run policy -- infra', 'npm run policy -- rendered.yaml'],
};

runCommand(SPEC, async ({ args }) => {
  try {
    // Loaded here, not at import: --help works, and an error in the charts is reported like any other.
    const { policyOptions } = await import('../charts/policy-options');
    const objects = loadManifests(args, { requireObjects: true });
    const violations = evaluatePolicy(objects, policyOptions);
    for (const violation of violations) console.log(formatViolation(violation));
    console.log(`policy: ${violations.length} violation(s) in ${objects.length} object(s)`);
    return violations.length > 0 ? 1 : 0;
  } catch (error) {
    // A bad pin file is the policy's own configuration failing: its message names the rule and the fix.
    const known = error instanceof ManifestError || error instanceof PinFileError;
    const reason = known ? error.message : `unexpected error: ${String(error)}`;
    console.error(`policy: ${reason}`);
    return 2;
  }
});
