import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
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
    edit(
      root,
      'charts/services.ts',
      'image: { source:',
      "image: { repository: 'docker.io/someone/backend', source:",
    );
    const before = infraOf(root);
    // when
    const result = runTs(root, 'bin/synth.ts');
    // then
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('infra/ was left unchanged');
    expect(result.stderr).toContain(
      '[IMG001] Deployment production/backend (prod/backend/Workload/Resource): container "backend" uses image "docker.io/someone/backend:',
    );
    expect(result.stderr).toMatch(
      /\[IMG001\] CronJob production\/backend-cleanup \(prod\/backend\/Workload\/backend-cleanup\).*Fix: /,
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

/**
 * Every file of the copy but node_modules and .tools/ (the git-ignored cache of the commands' bundles),
 * with its content and modification time: "nothing written".
 */
function everything(root: string): Record<string, string> {
  return Object.fromEntries(
    Object.entries(readTree(root, ['.']))
      .filter(([path]) => !path.startsWith('.tools/'))
      .map(([path, content]) => [path, `${statSync(join(root, path)).mtimeMs} ${content}`]),
  );
}

const HEADER =
  '# Generated from charts/services.ts by `npm run synth`. Do not edit: change the source and re-run synth.\n';

describe('npm run synth: --check, and files it did not generate', () => {
  // A copy whose infra/ is what its code generates; each test starts from a copy of it.
  let fresh: string;
  let root: string;
  beforeAll(() => {
    fresh = copyRepo();
    const synth = runTs(fresh, 'bin/synth.ts');
    if (synth.status !== 0) throw new Error(`test set-up: synth failed: ${synth.stderr}`);
  });
  afterAll(() => rmSync(fresh, { recursive: true, force: true }));
  beforeEach(() => {
    root = copyRepo();
    rmSync(join(root, INFRA_DIR), { recursive: true, force: true });
    cpSync(join(fresh, INFRA_DIR), join(root, INFRA_DIR), { recursive: true });
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  test('--check exits 0 when infra/ is what the code generates, and writes nothing', () => {
    // given
    const before = everything(root);
    // when
    const result = runTs(root, 'bin/synth.ts', ['--check']);
    // then
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(
      /^synth --check: infra\/k8s and infra\/argocd match what the code generates \(\d+ files\); nothing was written\n$/,
    );
    expect(everything(root)).toEqual(before);
  });

  test('fails --check with exit 1, naming each file that differs, is missing or is extra, and writes nothing', () => {
    // given: a generated file edited by hand, one deleted, one left from an earlier synth, one added by hand
    edit(root, 'infra/k8s/backend/base/deployment-backend.yaml', 'replicas:', 'replicas: 9 #');
    rmSync(join(root, 'infra/k8s/backend/base/service-backend.yaml'));
    writeFileSync(join(root, 'infra/k8s/backend/base/service-old.yaml'), `${HEADER}kind: Service\n`);
    writeFileSync(join(root, 'infra/argocd/mine.yaml'), 'kind: ConfigMap\n');
    const before = everything(root);
    // when
    const result = runTs(root, 'bin/synth.ts', ['--check']);
    // then
    expect(result.status).toBe(1);
    expect(result.stdout).toContain(
      'synth --check: infra/k8s and infra/argocd differ from what the code generates (4 files); nothing was written\n' +
        '  differs: infra/k8s/backend/base/deployment-backend.yaml\n' +
        '  missing: infra/k8s/backend/base/service-backend.yaml\n' +
        '  extra:   infra/k8s/backend/base/service-old.yaml (generated earlier, no longer: synth removes it)\n' +
        '  extra:   infra/argocd/mine.yaml (not generated by synth, which refuses to run)\n',
    );
    expect(result.stdout).toContain('Move each into the TypeScript');
    expect(result.stdout).toContain('Run `npm run synth` and commit the result.');
    expect(everything(root)).toEqual(before);
  });

  test('fails with exit 1 on a file added by hand to infra/k8s, naming it and the fix, and leaves infra/ unchanged', () => {
    // given
    writeFileSync(
      join(root, 'infra/k8s/backend/base/configmap-extra.yaml'),
      'apiVersion: v1\nkind: ConfigMap\n',
    );
    const before = everything(root);
    // when
    const result = runTs(root, 'bin/synth.ts');
    // then
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('synth refused; infra/ was left unchanged.');
    expect(result.stderr).toContain('\n  infra/k8s/backend/base/configmap-extra.yaml\n');
    expect(result.stderr).toContain(
      'Move each into the TypeScript (charts/, so that synth generates it) or delete it, then run npm run synth.',
    );
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(everything(root)).toEqual(before);
  });

  test('removes a file it generated earlier and no longer generates (a rename), and says so', () => {
    // given
    writeFileSync(
      join(root, 'infra/k8s/backend/base/deployment-old-name.yaml'),
      `${HEADER}kind: Deployment\n`,
    );
    // when
    const result = runTs(root, 'bin/synth.ts');
    // then
    expect(result.status).toBe(0);
    expect(result.stderr).toContain(
      '  removed infra/k8s/backend/base/deployment-old-name.yaml (generated earlier, no longer)',
    );
    expect(readTree(join(root, INFRA_DIR), SYNTH_OWNED_DIRS)).toEqual(
      readTree(join(fresh, INFRA_DIR), SYNTH_OWNED_DIRS),
    );
  });
});
