import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { readTree } from '../../lib';
import { IMAGE_PINS_FILE, INFRA_DIR, SYNTH_OWNED_DIRS } from '../../charts/paths';
import { copyRepo, runTs } from '../helpers/temp-repo';
import { loadPinnedImages } from '../../charts/images';
import { anotherTag } from '../helpers/another-tag';

/** A release: a tag CI could build that is not the current pin. */
const NEW_TAG = anotherTag(loadPinnedImages().backend.tag);

describe('npm run release (bin/release.ts)', () => {
  let root: string;
  beforeAll(() => {
    root = copyRepo();
    const synth = runTs(root, 'bin/synth.ts');
    if (synth.status !== 0) throw new Error(`test set-up: synth failed: ${synth.stderr}`);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test('fails with exit 1 and a clear message for a tag of the wrong length, modifying nothing', () => {
    // given
    const pins = readFileSync(join(root, IMAGE_PINS_FILE), 'utf8');
    const infra = readTree(join(root, INFRA_DIR), SYNTH_OWNED_DIRS);
    // when
    const result = runTs(root, 'bin/release.ts', ['backend', 'sha-0a1b2c3d']);
    // then
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('release failed; nothing was modified.');
    expect(result.stderr).toContain(
      'tag "sha-0a1b2c3d" has 8 hex digits; expected "sha-" followed by exactly 7',
    );
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(readFileSync(join(root, IMAGE_PINS_FILE), 'utf8')).toBe(pins);
    expect(readTree(join(root, INFRA_DIR), SYNTH_OWNED_DIRS)).toEqual(infra);
  });

  test('fails with exit 2 and the usage without two arguments', () => {
    // when
    const result = runTs(root, 'bin/release.ts', ['backend']);
    // then
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('usage: npm run release -- <image> <tag>');
  });

  test('pins the image and prints the pin change and every generated file that changed', () => {
    // when
    const result = runTs(root, 'bin/release.ts', ['backend', NEW_TAG]);
    // then
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(
      new RegExp(`^release: backend sha-[0-9a-f]{7} -> ${NEW_TAG} in charts/image-pins\\.json$`, 'm'),
    );
    expect(result.stdout).toContain('  M infra/k8s/backend/base/deployment-backend.yaml');
    expect(result.stdout).toContain('  M infra/k8s/backend/base/cronjob-backend-cleanup.yaml');
    expect(result.stdout).toContain('  M infra/k8s/backend/overlays/prod/kustomization.yaml');
    expect(JSON.parse(readFileSync(join(root, IMAGE_PINS_FILE), 'utf8')).backend).toBe(NEW_TAG);
  });
});
