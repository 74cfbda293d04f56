import { execFileSync } from 'node:child_process';
import { gitopsEnv } from './gitops-env';

/** Runs the pinned kubectl as the cluster admin; returns stdout, throws with kubectl's own stderr. */
export function kubectl(...args: string[]): string {
  return run(args);
}

/** `kubectl apply -f -` of one object. */
export function kubectlApply(object: unknown): string {
  return run(['apply', '-f', '-'], JSON.stringify(object));
}

function run(args: readonly string[], input?: string): string {
  const env = gitopsEnv();
  try {
    return execFileSync(`${env.toolsBin}/kubectl`, ['--kubeconfig', env.kubeconfig, ...args], {
      encoding: 'utf8',
      input,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? String(error);
    throw new Error(`kubectl ${args.join(' ')}: ${stderr.trim()}`, { cause: error });
  }
}

/** `kubectl get ... -o json`, parsed; undefined when the object does not exist. */
export function kubectlGet<T = Record<string, unknown>>(...args: string[]): T | undefined {
  try {
    return JSON.parse(kubectl('get', ...args, '-o', 'json')) as T;
  } catch (error) {
    if (/NotFound|not found/.test(String(error))) return undefined;
    throw error;
  }
}
