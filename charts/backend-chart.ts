import { Chart, Duration, Size } from 'cdk8s';
import { Cpu, k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { DefaultDenyNetworkPolicy, ImageCatalog, ProductionWorkload, checkContainerResources } from '../lib';
import { ImageName, production } from './config';
import { BackendSettings } from './environments';
import { images } from './images';

export interface BackendChartProps {
  readonly settings: BackendSettings;
  /**
   * The images the workloads run.
   * @default - the catalog pinned by `charts/image-pins.json`
   */
  readonly images?: ImageCatalog<ImageName>;
}

/** The team's backend in the `production` namespace. */
export class BackendChart extends Chart {
  constructor(scope: Construct, id: string, props: BackendChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const namespace = production.namespace;
    checkContainerResources(
      props.settings.resources,
      `workload "backend" of chart ${id} (charts/environments.ts)`,
    );

    new DefaultDenyNetworkPolicy(this, 'DefaultDeny', { namespace });
    const appConfig = new k8s.KubeConfigMap(this, 'AppConfig', {
      metadata: { name: 'app-config', namespace },
      data: { ...props.settings.config },
    });

    const backend = new ProductionWorkload(this, 'Backend', {
      name: 'backend',
      namespace,
      image: (props.images ?? images).backend,
      containerPort: Number(props.settings.config.HTTP_PORT),
      replicas: props.settings.replicas,
      resources: props.settings.resources,
      readiness: { path: '/readyz', period: Duration.seconds(5) },
      liveness: { path: '/healthz', initialDelay: Duration.seconds(10) },
      configMaps: [appConfig],
      ingress: {
        host: production.apiHost,
        tlsSecretName: production.tlsSecretName,
        className: production.ingressClassName,
        controllerNamespace: production.ingressControllerNamespace,
      },
    });

    backend.addCronJob('Cleanup', {
      name: 'backend-cleanup',
      schedule: '0 3 * * *',
      command: ['/app/backend', 'cleanup', '--older-than=720h'],
      resources: {
        cpuRequest: Cpu.millis(100),
        cpuLimit: Cpu.millis(500),
        memoryRequest: Size.mebibytes(128),
        memoryLimit: Size.mebibytes(256),
      },
    });
  }
}
