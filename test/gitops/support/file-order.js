// The GitOps suite's files share one stack and change it: they run in this order, the story of a change
// (sync, hand edits, prune, branches, the project's fence, release and rollback). A file not listed runs
// last, by name, so a new file is never skipped.
/* global require, module */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- jest loads a sequencer as CommonJS
const Sequencer = require('@jest/test-sequencer').default;

const ORDER = ['root-sync', 'self-heal', 'prune', 'branches', 'project-fence', 'release-rollback'];

const rank = (path) => {
  const name = path.replace(/^.*\//, '').replace(/\.test\.ts$/, '');
  const index = ORDER.indexOf(name);
  return index === -1 ? ORDER.length : index;
};

class FileOrder extends Sequencer {
  sort(tests) {
    return [...tests].sort((a, b) => rank(a.path) - rank(b.path) || a.path.localeCompare(b.path));
  }
}

module.exports = FileOrder;
