import { Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { ContainerResources } from '../lib';

/** What differs between the environment-neutral base and production. */
export interface BackendSettings {
  readonly replicas: number;
  readonly resources: ContainerResources;
  /** Values of the `app-config` ConfigMap. */
  readonly config: Readonly<Record<string, string>>;
}

/** The base: small, verbose, valid anywhere (previews deploy it as is). */
export const baseSettings: BackendSettings = {
  replicas: 1,
  resources: {
    cpuRequest: Cpu.millis(100),
    cpuLimit: Cpu.millis(500),
    memoryRequest: Size.mebibytes(128),
    memoryLimit: Size.mebibytes(256),
  },
  config: { LOG_LEVEL: 'debug', HTTP_PORT: '8080', FEATURE_FLAGS: '' },
};

export const productionSettings: BackendSettings = {
  replicas: 3,
  resources: {
    cpuRequest: Cpu.millis(500),
    cpuLimit: Cpu.units(2),
    memoryRequest: Size.mebibytes(512),
    memoryLimit: Size.gibibytes(1),
  },
  config: { ...baseSettings.config, LOG_LEVEL: 'info' },
};
