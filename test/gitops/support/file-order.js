// The GitOps suite's files share one stack. They run in groups, side by side (run.sh starts one jest per
// group), and one after another inside a group, in the order listed:
// - `production`: the files that change main or production, the story of a change (sync, hand edits,
//   prune, branches, the project's fence, release:verify, release and rollback, a stuck rollout, a new
//   environment, previews last, as they widen the controller's rights). Each leaves main as it found it.
// - `probe`: the sync-failed alert, three minutes of ArgoCD's own retries on an Application of its own.
// - `beside`: what only reads production or makes objects of its own (the ci role's refusals, the alerts'
//   delivery with a copy of the settings, the Sealed Secrets controller and a restore of its keys).
// A file not listed joins `production`, last, by name, so a new file is never skipped.
/* global require, module, process */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- jest loads a sequencer as CommonJS
const Sequencer = require('@jest/test-sequencer').default;

const GROUPS = {
  production: [
    'root-sync',
    'self-heal',
    'prune',
    'branches',
    'project-fence',
    'release-verify',
    'release-rollback',
    'degraded-rollout',
    'sealed-secrets-delivery',
    'staging-environment',
    'previews',
  ],
  probe: ['sync-failed-alert'],
  beside: ['argocd-server', 'ten-minute-alerts-short-threshold-copy', 'sealed-secrets-controller'],
};

const ORDER = Object.values(GROUPS).flat();
const nameOf = (path) => path.replace(/^.*\//, '').replace(/\.test\.ts$/, '');
const rank = (path) => {
  const index = ORDER.indexOf(nameOf(path));
  return index === -1 ? ORDER.length : index;
};

class FileOrder extends Sequencer {
  sort(tests) {
    return [...tests].sort((a, b) => rank(a.path) - rank(b.path) || a.path.localeCompare(b.path));
  }
}

/**
 * `name<TAB>pattern` per group, for jest's --testPathPatterns: `production` is every file the other
 * groups do not name.
 */
function groupPatterns() {
  const others = Object.entries(GROUPS).filter(([name]) => name !== 'production');
  const named = (names) => `/(${names.join('|')})\\.test\\.ts$`;
  const notOthers = `/(?!(${others.flatMap(([, names]) => names).join('|')})\\.test\\.ts$)[^/]+\\.test\\.ts$`;
  return [['production', notOthers], ...others.map(([name, names]) => [name, named(names)])];
}

if (require.main === module) {
  for (const [name, pattern] of groupPatterns()) process.stdout.write(`${name}\t${pattern}\n`);
}

module.exports = FileOrder;
module.exports.GROUPS = GROUPS;
