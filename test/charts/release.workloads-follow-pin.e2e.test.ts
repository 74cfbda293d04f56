import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import {
  FileTree,
  KubeObject,
  containersOf,
  parseImageReference,
  podSpecOf,
  prefixTree,
  renderBase,
  renderOverlay,
  repositoryOf,
  writeTree,
} from '../../lib';
import { imageRepositories, loadPinnedImages } from '../../charts/images';
import { INFRA_DIR, overlayDir } from '../../charts/paths';
import { releaseImage } from '../../charts/release';
import { anotherTag } from '../helpers/another-tag';
import { kustomizeBuild } from '../helpers/tools';
import { releaseFixture } from '../helpers/release-fixture';

/** `Kind/name container → image` for every container (init containers too) of every workload. */
function imagesOf(objects: readonly KubeObject[], repository: string): Record<string, string> {
  return Object.fromEntries(
    objects.flatMap((object) => {
      const pod = podSpecOf(object);
      if (!pod) return [];
      return containersOf(pod)
        .filter(({ container }) => repositoryOf(parseImageReference(container.image ?? '')) === repository)
        .map(({ label, container }) => [
          `${object.kind}/${object.metadata?.name} ${label}`,
          container.image as string,
        ]);
    }),
  );
}

const build = (dir: string): KubeObject[] =>
  parseAllDocuments(kustomizeBuild(dir)).map((document) => document.toJS() as KubeObject);

describe('every workload using an image follows its pin', () => {
  test('after npm run release, every backend container of the rendered prod overlay runs the new tag', () => {
    // given
    const root = releaseFixture();
    // when
    const released = anotherTag(loadPinnedImages().backend.tag);
    releaseImage(root, 'backend', released);
    const images = imagesOf(
      build(join(root, INFRA_DIR, overlayDir('backend', 'prod'))),
      imageRepositories.backend,
    );
    rmSync(root, { recursive: true, force: true });
    // then
    const kinds = new Set(Object.keys(images).map((key) => key.split('/')[0]));
    expect(kinds).toEqual(new Set(['Deployment', 'CronJob']));
    for (const image of Object.values(images)) expect(image).toBe(`${imageRepositories.backend}:${released}`);
  });

  describe('the overlay pin, for any workload kind', () => {
    const repository = 'ghcr.io/acme/app';
    const podSpec = {
      initContainers: [{ name: 'migrate', image: `${repository}:sha-1111111` }],
      containers: [{ name: 'app', image: `${repository}:sha-1111111` }],
    };
    const meta = (kind: string) => ({ name: kind.toLowerCase(), namespace: 'production' });
    const base: KubeObject[] = [
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: meta('Deployment'),
        spec: { template: { spec: podSpec } },
      },
      {
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: meta('StatefulSet'),
        spec: { template: { spec: podSpec } },
      },
      { apiVersion: 'batch/v1', kind: 'Job', metadata: meta('Job'), spec: { template: { spec: podSpec } } },
      {
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        metadata: meta('CronJob'),
        spec: { schedule: '0 3 * * *', jobTemplate: { spec: { template: { spec: podSpec } } } },
      },
    ];

    function renderTo(tag: string): KubeObject[] {
      const tree: FileTree = {
        ...prefixTree('base', renderBase(base, 'test')),
        ...prefixTree(
          'prod',
          renderOverlay({
            base,
            target: base,
            basePath: '../base',
            images: [{ name: 'app', repository, tag, reference: `${repository}:${tag}` }],
            source: 'test',
          }),
        ),
      };
      const root = mkdtempSync(join(tmpdir(), 'pin-'));
      writeTree(root, tree);
      const objects = build(join(root, 'prod'));
      rmSync(root, { recursive: true, force: true });
      return objects;
    }

    test('reaches containers and init containers of Deployments, StatefulSets, Jobs and CronJobs', () => {
      // when
      const images = imagesOf(renderTo('sha-0a1b2c3'), repository);
      // then
      expect(Object.keys(images)).toHaveLength(8);
      expect(new Set(Object.values(images))).toEqual(new Set([`${repository}:sha-0a1b2c3`]));
    });

    test('fails to change anything when the pin is the base tag (the check can tell the difference)', () => {
      // when
      const images = imagesOf(renderTo('sha-1111111'), repository);
      // then
      expect(new Set(Object.values(images))).not.toEqual(new Set([`${repository}:sha-0a1b2c3`]));
    });
  });
});
