import { Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { ContainerResources, checkContainerResources, renderResources } from '../../../lib';

const resources: ContainerResources = {
  cpuRequest: Cpu.millis(100),
  cpuLimit: Cpu.millis(500),
  memoryRequest: Size.mebibytes(128),
  memoryLimit: Size.gibibytes(1),
};

describe('renderResources', () => {
  test('renders requests and limits', () => {
    // when
    const rendered = renderResources(resources);
    // then
    expect(rendered.requests?.cpu?.value).toBe('100m');
    expect(rendered.requests?.memory?.value).toBe('128Mi');
    expect(rendered.limits?.cpu?.value).toBe('500m');
    expect(rendered.limits?.memory?.value).toBe('1024Mi');
  });

  test.each<[string, Partial<ContainerResources> | undefined, string]>([
    ['no memory limit', { ...resources, memoryLimit: undefined }, 'memoryLimit'],
    ['no CPU request', { ...resources, cpuRequest: undefined }, 'cpuRequest'],
    ['a number for a CPU limit', { ...resources, cpuLimit: 2 as unknown as Cpu }, 'cpuLimit'],
    ['nothing', undefined, 'cpuRequest, cpuLimit, memoryRequest, memoryLimit'],
  ])('fails with RES001, the owner and the fix for %s', (_what, broken, missing) => {
    // when / then
    expect(() => renderResources(broken as ContainerResources, 'container "app"')).toThrow(
      `[RES001] container "app": resources have no ${missing}. Fix: give every container all four of cpuRequest and cpuLimit`,
    );
  });

  test('fails naming "a container" when no owner is given', () => {
    // when / then
    expect(() => renderResources({ ...resources, memoryLimit: undefined } as never)).toThrow(
      /^\[RES001\] a container: resources have no memoryLimit/,
    );
  });
});

describe('checkContainerResources', () => {
  test('accepts all four', () => {
    // when / then
    expect(() => checkContainerResources(resources, 'workload "backend"')).not.toThrow();
  });
});
