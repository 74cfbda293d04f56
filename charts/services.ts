import { Duration, Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { ImageSource } from '../lib';
import { organisation } from './config';
import { ServiceDeclaration, ServiceSettings } from './service-declaration';

const backendBase: ServiceSettings = {
  replicas: 1,
  resources: {
    cpuRequest: Cpu.millis(100),
    cpuLimit: Cpu.millis(500),
    memoryRequest: Size.mebibytes(128),
    memoryLimit: Size.mebibytes(256),
  },
  config: { LOG_LEVEL: 'debug', HTTP_PORT: '8080', FEATURE_FLAGS: '' },
};

/**
 * The service catalog: every service production runs, and everything each environment of it is
 * generated from (docs/adding-a-service.md). Tags come from the release file (`image-pins.json`).
 */
export const services = [
  {
    name: 'backend',
    // Not in this repository: its own CI builds the image and dispatches the release here.
    image: { source: ImageSource.externalRepository(`${organisation}/backend`) },
    workload: {
      kind: 'http',
      port: Number(backendBase.config.HTTP_PORT),
      readiness: { path: '/readyz', period: Duration.seconds(5) },
      liveness: { path: '/healthz', initialDelay: Duration.seconds(10) },
    },
    ingress: { hostLabel: 'api' },
    configMapName: 'app-config',
    cronJobs: [
      {
        name: 'backend-cleanup',
        schedule: '0 3 * * *',
        command: ['/app/backend', 'cleanup', '--older-than=720h'],
        resources: {
          cpuRequest: Cpu.millis(100),
          cpuLimit: Cpu.millis(500),
          memoryRequest: Size.mebibytes(128),
          memoryLimit: Size.mebibytes(256),
        },
      },
    ],
    settings: {
      // The base: small, verbose, valid anywhere (previews deploy it as is).
      base: backendBase,
      prod: {
        replicas: 3,
        resources: {
          cpuRequest: Cpu.millis(500),
          cpuLimit: Cpu.units(2),
          memoryRequest: Size.mebibytes(512),
          memoryLimit: Size.gibibytes(1),
        },
        config: { ...backendBase.config, LOG_LEVEL: 'info' },
      },
    },
  },
] as const satisfies readonly ServiceDeclaration[];

/** A service's name: the logical name of its image too. */
export type ServiceName = (typeof services)[number]['name'];
