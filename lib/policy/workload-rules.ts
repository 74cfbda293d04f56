import { containerRule } from './pod-rule';
import { LONG_RUNNING_KINDS } from './pod-spec';
import { PolicyRule } from './types';

const REQUIRED_RESOURCES = ['requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory'].map((path) => ({
  path,
  section: path.split('.')[0] as 'requests' | 'limits',
  resource: path.split('.')[1],
}));

export const RESOURCES: PolicyRule = containerRule(
  {
    id: 'RES001',
    title: 'Containers set CPU and memory requests and limits',
    fix: 'Set resources.requests and resources.limits for both cpu and memory.',
  },
  ({ container, type }) => {
    // The API refuses resources on ephemeral containers: they run within the pod's.
    if (type === 'ephemeral') return undefined;
    const missing = REQUIRED_RESOURCES.filter(
      ({ section, resource }) => container.resources?.[section]?.[resource] === undefined,
    );
    return missing.length > 0
      ? { message: `is missing ${missing.map(({ path }) => path).join(', ')}`, at: ['resources'] }
      : undefined;
  },
);

export const PROBES: PolicyRule = containerRule(
  {
    id: 'PRB001',
    title: 'Long-running containers have readiness and liveness probes',
    fix: 'Add readinessProbe and livenessProbe to every container of a Deployment, StatefulSet or DaemonSet.',
  },
  ({ container, object, type }) => {
    if (type !== 'container' || !LONG_RUNNING_KINDS.has(object.kind)) return undefined;
    const missing = (['readinessProbe', 'livenessProbe'] as const).filter((probe) => !container[probe]);
    return missing.length > 0 ? `has no ${missing.join(' and no ')}` : undefined;
  },
);
