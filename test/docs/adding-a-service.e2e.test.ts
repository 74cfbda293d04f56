import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { KubeObject, formatPins } from '../../lib';
import { copyRepo, runTs } from '../helpers/temp-repo';
import { REPO_ROOT, kustomizeBuild, toolPath } from '../helpers/tools';

const GUIDE = 'docs/adding-a-service.md';
const guide = readFileSync(join(REPO_ROOT, GUIDE), 'utf8');

/** The body of the guide's fenced block whose info string is `info`, e.g. ```` ```ts service ````. */
function block(info: string): string {
  const found = new RegExp('```' + info + '\\n([\\s\\S]*?)```').exec(guide);
  if (!found) throw new Error(`${GUIDE} has no \`\`\`${info} block`);
  return found[1];
}

/** Every `npm run <script> [-- args]` line of the guide's ```sh blocks, in order. */
const commands = [...guide.matchAll(/```sh\n([\s\S]*?)```/g)]
  .flatMap((match) => match[1].split('\n'))
  .map((line) => /^npm run (\S+)(?: -- (.*))?$/.exec(line.trim()))
  .filter((match): match is RegExpExecArray => match !== null)
  .map((match) => ({ script: match[1], args: match[2]?.split(' ') ?? [] }));

const SCRIPTS: Record<string, string> = { synth: 'bin/synth.ts', release: 'bin/release.ts' };

// Follows docs/adding-a-service.md word for word on a copy of the repository: its two blocks go where
// it says, its commands run as it writes them, and what it promises is checked in the generated files.
describe(`${GUIDE}, followed literally on a copy of the repository`, () => {
  let root: string;
  const read = (path: string): string => readFileSync(join(root, path), 'utf8');
  const yamlAt = (path: string): KubeObject => parse(read(path)) as KubeObject;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const specAt = (path: string): any => yamlAt(path).spec;

  beforeAll(() => {
    root = copyRepo();
    // step 1: the entry, added to `services` in charts/services.ts
    const services = read('charts/services.ts');
    const end = '] as const satisfies readonly ServiceDeclaration[];';
    if (!services.includes(end))
      throw new Error('charts/services.ts no longer ends its catalog as the test expects');
    writeFileSync(join(root, 'charts/services.ts'), services.replace(end, `${block('ts service')}${end}`));
    // step 2: the first pin, added to the release file
    const pins = { ...JSON.parse(read('charts/image-pins.json')), ...JSON.parse(`{${block('json pin')}}`) };
    writeFileSync(join(root, 'charts/image-pins.json'), formatPins(pins));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test('the guide runs synth, the tests and a release of the new image, in that order', () => {
    expect(commands.map((command) => command.script)).toEqual(['synth', 'release']);
    expect(guide).toContain('```sh\nnpm run synth\nnpm test\n```');
    expect(commands[1].args).toEqual(['worker', 'sha-7c4a8d0']);
  });

  describe('step 3: npm run synth', () => {
    let synth: ReturnType<typeof runTs>;
    beforeAll(() => {
      synth = runTs(root, SCRIPTS.synth);
    });

    test('succeeds', () => {
      expect(synth.stderr).toContain('synth: wrote');
      expect(synth.status).toBe(0);
    });

    test("the worker's Application, listed in the app of apps' folder, syncs its prod overlay into production", () => {
      const spec = specAt('infra/argocd/applications/robson-worker-prod.yaml');
      expect(spec.source.path).toBe('infra/k8s/worker/overlays/prod');
      expect(spec.destination).toEqual({ server: 'https://kubernetes.default.svc', namespace: 'production' });
      expect(spec.syncPolicy.automated).toMatchObject({ prune: true, selfHeal: true });
      expect(specAt('infra/argocd/applications/root.yaml').source).toMatchObject({
        path: 'infra/argocd',
        directory: { recurse: true },
      });
    });

    test('its overlay pins its image, sets the namespace and adds the budget of its 2 replicas', () => {
      const kustomization = parse(read('infra/k8s/worker/overlays/prod/kustomization.yaml'));
      expect(kustomization.images).toEqual([{ name: 'ghcr.io/robson/worker', newTag: 'sha-5d41402' }]);
      expect(kustomization.namespace).toBe('production');
      expect(kustomization.resources).toContain('resources/poddisruptionbudget-worker.yaml');
      expect(existsSync(join(root, 'infra/k8s/worker/base/poddisruptionbudget-worker.yaml'))).toBe(false);
    });

    test('rendered by the real kustomize: a worker without port or Service, alive by its command, on the pin', () => {
      const objects = parseAllDocuments(kustomizeBuild(join(root, 'infra/k8s/worker/overlays/prod'))).map(
        (document) => document.toJS() as KubeObject,
      );
      expect(objects.map((object) => object.kind).sort()).toEqual([
        'ConfigMap',
        'Deployment',
        'NetworkPolicy',
        'PodDisruptionBudget',
        'ServiceAccount',
      ]);
      for (const object of objects) expect(object.metadata?.namespace).toBe('production');
      const deployment = objects.find((object) => object.kind === 'Deployment');
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const [container] = (deployment?.spec as any).template.spec.containers;
      expect(container.image).toBe('ghcr.io/robson/worker:sha-5d41402');
      expect(container.ports).toBeUndefined();
      expect(container.livenessProbe.exec.command).toEqual(['/app/worker', 'healthcheck']);
      expect(container.readinessProbe).toEqual(container.livenessProbe);
      expect((deployment?.spec as { replicas: number }).replicas).toBe(2);
    });

    test('NetworkPolicies allow exactly the declared peer: worker to backend, on the backend port only', () => {
      const egress = specAt('infra/k8s/worker/base/networkpolicy-worker-allow-egress-to-peers.yaml');
      expect(egress.podSelector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'worker' } });
      expect(egress.egress).toEqual([
        {
          to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'backend' } } }],
          ports: [{ port: 8080, protocol: 'TCP' }],
        },
      ]);
      const ingress = specAt('infra/k8s/backend/base/networkpolicy-backend-allow-ingress-from-peers.yaml');
      expect(ingress.podSelector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'backend' } });
      expect(ingress.ingress).toEqual([
        {
          from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'worker' } } }],
          ports: [{ port: 8080, protocol: 'TCP' }],
        },
      ]);
    });

    test('every preview runs it: its line in the ApplicationSet and its base in the preview kustomization', () => {
      const template = specAt('infra/argocd/applicationsets/previews.yaml').template.spec;
      expect(template.source.kustomize.images).toContain('ghcr.io/robson/worker:sha-{{ .head_short_sha_7 }}');
      expect(parse(read('infra/k8s/preview/kustomization.yaml')).resources).toContain('../worker/base');
    });

    test('the snapshot suites pass on the copy as they are: no snapshot to update by hand', () => {
      const jest = spawnSync(
        join(REPO_ROOT, 'node_modules', '.bin', 'jest'),
        ['--ci', 'test/charts/infra-tree.test.ts', 'test/charts/argocd-chart.test.ts'],
        // The copy has no .tools/: its tests use this checkout's tools.
        { cwd: root, encoding: 'utf8', env: { ...process.env, TOOLS_BIN: dirname(toolPath('kustomize')) } },
      );
      // The summary's line holds only passed snapshots: none obsolete, written or updated (a loaded
      // machine adds jest's own warnings elsewhere, which are not about snapshots).
      expect(jest.stderr).toMatch(/^Snapshots:\s+\d+ passed, \d+ total$/m);
      expect(jest.status).toBe(0);
    }, 240_000);
  });

  describe('step 4: npm run release -- worker <tag>', () => {
    test('pins the new tag and regenerates the overlay, as for any catalog image', () => {
      const [, release] = commands;
      const result = runTs(root, SCRIPTS[release.script], release.args);
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      expect(JSON.parse(read('charts/image-pins.json')).worker).toBe('sha-7c4a8d0');
      expect(parse(read('infra/k8s/worker/overlays/prod/kustomization.yaml')).images).toEqual([
        { name: 'ghcr.io/robson/worker', newTag: 'sha-7c4a8d0' },
      ]);
    });
  });
});
