import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../helpers/tools';
import { sealedSecretsVersion } from '../../../stacks/sealed-secrets';

const PIN_DIR = join(REPO_ROOT, 'tools', 'sealed-secrets');
const SOURCE = 'helm/sealed-secrets/crds/bitnami.com_sealedsecrets.yaml';

/** The module's folder in the module cache, downloaded if needed and checked by the go command against go.sum. */
function moduleDir(module: string): string {
  const info = JSON.parse(
    execFileSync('go', ['mod', 'download', '-json', module], {
      cwd: PIN_DIR,
      encoding: 'utf8',
      env: {
        ...process.env,
        GOWORK: 'off',
        GOFLAGS: '-mod=readonly',
        PATH: `${process.env.PATH}:/usr/local/go/bin`,
      },
    }),
  ) as { Dir?: string; Error?: string; Version?: string };
  if (!info.Dir) throw new Error(`go mod download ${module}: ${info.Error ?? 'no folder'}`);
  return info.Dir;
}

describe('tools/sealed-secrets/crd.yaml (written by update.sh)', () => {
  test("is the pinned release's CRD, byte for byte after its two header lines", () => {
    // given
    const goMod = readFileSync(join(PIN_DIR, 'go.mod'), 'utf8');
    const module = /^\s*(github\.com\/bitnami(?:-labs)?\/sealed-secrets) v/m.exec(goMod)?.[1] ?? '';
    const copy = readFileSync(join(PIN_DIR, 'crd.yaml'), 'utf8').split('\n');
    // when
    const upstream = readFileSync(join(moduleDir(module), SOURCE), 'utf8');
    // then
    expect(copy.slice(0, 2).every((line) => line.startsWith('# '))).toBe(true);
    expect(copy[0]).toContain(`${SOURCE} of ${module} ${sealedSecretsVersion(goMod)}`);
    expect(copy.slice(2).join('\n')).toBe(upstream);
  });
});
