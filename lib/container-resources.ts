import { Size } from 'cdk8s';
import { Cpu, k8s } from 'cdk8s-plus-28';

/** CPU and memory a container asks for and may not exceed. Both halves are required. */
export interface ContainerResources {
  /** CPU reserved for the container. */
  readonly cpuRequest: Cpu;
  /** CPU the container is throttled at. */
  readonly cpuLimit: Cpu;
  /** Memory reserved for the container. */
  readonly memoryRequest: Size;
  /** Memory at which the container is killed. */
  readonly memoryLimit: Size;
}

const mebibytes = (size: Size): k8s.Quantity => k8s.Quantity.fromString(`${size.toMebibytes()}Mi`);

export function renderResources(resources: ContainerResources): k8s.ResourceRequirements {
  return {
    requests: {
      cpu: k8s.Quantity.fromString(resources.cpuRequest.amount),
      memory: mebibytes(resources.memoryRequest),
    },
    limits: {
      cpu: k8s.Quantity.fromString(resources.cpuLimit.amount),
      memory: mebibytes(resources.memoryLimit),
    },
  };
}
