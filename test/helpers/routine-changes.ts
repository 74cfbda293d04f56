import { Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import type { FileTree } from '../../lib';

/**
 * Everything synth writes after the routine changes a team makes every week, all at once: a release of
 * every image, production scaled to 5 replicas, new resources and a changed config value. Built in an
 * isolated module registry, so the charts read the changed settings exactly as synth would.
 */
export function renderWithRoutineChanges(): FileTree {
  let tree: FileTree = {};
  jest.isolateModules(() => {
    jest.doMock('../../charts/services', () => {
      const actual = jest.requireActual('../../charts/services');
      return {
        ...actual,
        services: actual.services.map((service: { name: string; settings: Record<string, object> }) => {
          if (service.name !== 'backend') return service;
          const prod = service.settings.prod as { config: Record<string, string> };
          return {
            ...service,
            settings: {
              ...service.settings,
              prod: {
                ...prod,
                replicas: 5,
                resources: {
                  cpuRequest: Cpu.millis(750),
                  cpuLimit: Cpu.units(3),
                  memoryRequest: Size.mebibytes(768),
                  memoryLimit: Size.gibibytes(2),
                },
                config: { ...prod.config, LOG_LEVEL: 'warn' },
              },
            },
          };
        }),
      };
    });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { buildModel, renderInfra } = require('../../charts/app');
    // A new sha- tag for every image, unlike any pin in the file.
    const released = Object.fromEntries(
      Object.keys(buildModel().images).map((name, index) => [
        name,
        `sha-${(index + 1).toString(16).padStart(7, 'a')}`,
      ]),
    );
    tree = renderInfra(buildModel({ imagePins: released }));
  });
  jest.dontMock('../../charts/services');
  return tree;
}
