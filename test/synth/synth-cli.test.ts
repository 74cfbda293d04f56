import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderInfra } from '../../charts/app';
import { INFRA_DIR, SYNTH_OWNED_DIRS } from '../../charts/paths';
import { readTree } from '../../lib';
import { copyRepo, runTs } from '../helpers/temp-repo';
import { REPO_ROOT } from '../helpers/tools';

const infraOf = (root: string) => readTree(root, [INFRA_DIR]);

function edit(root: string, file: string, from: string | RegExp, to: string): void {
  const path = join(root, file);
  const before = readFileSync(path, 'utf8');
  const after = before.replace(from, to);
  if (after === before) throw new Error(`test set-up: ${from} not found in ${file}`);
  writeFileSync(path, after);
}

describe('npm run synth (bin/synth.ts)', () => {
  let root: string;
  beforeEach(() => (root = copyRepo()));
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  test('fails on a chart with a Docker Hub image, names rule, object, path and fix, and leaves infra/ unchanged', () => {
    // given
    edit(root, 'charts/config.ts', 'backend: `${registry}/backend`', "backend: 'docker.io/someone/backend'");
    const before = infraOf(root);
    // when
    const result = runTs(root, 'bin/synth.ts');
    // then
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('infra/ was left unchanged');
    expect(result.stderr).toContain(
      '[IMG001] Deployment production/backend (Prod/Backend/Resource): container "backend" uses image "docker.io/someone/backend:',
    );
    expect(result.stderr).toMatch(
      /\[IMG001\] CronJob production\/backend-cleanup \(Prod\/Backend\/Cleanup\).*Fix: /,
    );
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(infraOf(root)).toEqual(before);
  });

  test('fails on a :latest pin, names the release file, and leaves infra/ unchanged', () => {
    // given
    edit(root, 'charts/image-pins.json', /"sha-[0-9a-f]+"/, '"latest"');
    const before = infraOf(root);
    // when
    const result = runTs(root, 'bin/synth.ts');
    // then
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('charts/image-pins.json: image "backend" has pin "latest"');
    expect(infraOf(root)).toEqual(before);
  });

  test('`npx cdk8s synth` writes the same tree as `npm run synth`', () => {
    // given
    rmSync(join(root, 'infra', 'k8s'), { recursive: true });
    // when
    const result = spawnSync(join(REPO_ROOT, 'node_modules', '.bin', 'cdk8s'), ['synth'], {
      cwd: root,
      encoding: 'utf8',
    });
    // then
    expect(result.status).toBe(0);
    const expected = renderInfra();
    expect(readTree(join(root, INFRA_DIR), SYNTH_OWNED_DIRS)).toEqual(expected);
    expect(readTree(join(root, '.cdk8s.out'), SYNTH_OWNED_DIRS)).toEqual(expected);
  });
});
