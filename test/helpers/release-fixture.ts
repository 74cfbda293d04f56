import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readPins, writeTreeAtomically } from '../../lib';
import { IMAGE_PINS_FILE, INFRA_DIR, SYNTH_OWNED_DIRS } from '../../charts/paths';
import { renderWithPins } from '../../charts/release';
import { REPO_ROOT } from './tools';

/**
 * A folder holding what a release touches: the release file of this repository and `infra/` generated
 * from it by the current code (so the fixture never depends on a stale working tree).
 */
export function releaseFixture(): string {
  const root = mkdtempSync(join(tmpdir(), 'release-'));
  cpSync(join(REPO_ROOT, IMAGE_PINS_FILE), join(root, IMAGE_PINS_FILE));
  writeTreeAtomically(
    join(root, INFRA_DIR),
    renderWithPins(readPins(join(root, IMAGE_PINS_FILE))),
    SYNTH_OWNED_DIRS,
  );
  return root;
}
