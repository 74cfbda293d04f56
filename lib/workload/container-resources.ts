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

/** The policy rule a container without requests and limits breaks, quoted in the error. */
const RULE = 'RES001';
const CPU_FIELDS = ['cpuRequest', 'cpuLimit'] as const;
const MEMORY_FIELDS = ['memoryRequest', 'memoryLimit'] as const;

// By shape, not `instanceof`: a second copy of cdk8s (or a test's module registry) has other classes.
const isCpu = (value: unknown): boolean => typeof (value as Cpu | undefined)?.amount === 'string';
const isSize = (value: unknown): boolean => typeof (value as Size | undefined)?.toMebibytes === 'function';

/** The fields of `resources` that are missing or not a `Cpu` / `Size`, in declaration order. */
function missingFields(resources: Partial<ContainerResources> | undefined): string[] {
  const value = (resources ?? {}) as Record<string, unknown>;
  return [
    ...CPU_FIELDS.filter((field) => !isCpu(value[field])),
    ...MEMORY_FIELDS.filter((field) => !isSize(value[field])),
  ];
}

/**
 * Throws, naming the rule (RES001), `owner` and the fix, when `resources` lacks a request or a limit.
 * TypeScript requires all four, but settings built by spreading, or from JavaScript, can still lose one,
 * and cdk8s would otherwise fail deep inside with "Cannot read properties of undefined".
 *
 * @param owner what the resources are for, e.g. `workload "backend"`.
 */
export function checkContainerResources(
  resources: Partial<ContainerResources> | undefined,
  owner: string,
): asserts resources is ContainerResources {
  const missing = missingFields(resources);
  if (missing.length === 0) return;
  throw new Error(
    `[${RULE}] ${owner}: resources have no ${missing.join(', ')}. Fix: give every container all four of ` +
      'cpuRequest and cpuLimit (Cpu.millis(…)) and memoryRequest and memoryLimit (Size.mebibytes(…)): ' +
      'without requests and limits one pod can starve its neighbours',
  );
}

const mebibytes = (size: Size): k8s.Quantity => k8s.Quantity.fromString(`${size.toMebibytes()}Mi`);

/**
 * The container's `resources` field.
 * @param owner what the resources are for, named if one is missing. @default 'a container'
 */
export function renderResources(
  resources: ContainerResources,
  owner: string = 'a container',
): k8s.ResourceRequirements {
  checkContainerResources(resources, owner);
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
