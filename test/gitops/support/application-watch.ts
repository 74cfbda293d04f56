import { ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { SyncedResource } from './application';
import { gitopsEnv } from './gitops-env';

/**
 * Watches an Application (`kubectl get -w`) and keeps every `operationState.syncResult.resources` it
 * reports: one operation's result can be replaced by the next within a second, which a poll may miss.
 */
export class SyncResultWatch {
  readonly results: (readonly SyncedResource[])[] = [];
  private readonly child: ChildProcess;

  constructor(name: string) {
    const env = gitopsEnv();
    const child = spawn(
      `${env.toolsBin}/kubectl`,
      [
        '--kubeconfig',
        env.kubeconfig,
        'get',
        'application',
        '-n',
        'argocd',
        name,
        '--watch',
        '-o',
        'jsonpath={.status.operationState.syncResult.resources}{"\\n"}',
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    this.child = child;
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.startsWith('[')) this.results.push(JSON.parse(line) as SyncedResource[]);
    });
  }

  /** The first reported result that holds an entry matching `match`. */
  find(match: (resource: SyncedResource) => boolean): readonly SyncedResource[] | undefined {
    return this.results.find((resources) => resources.some(match));
  }

  stop(): void {
    this.child.kill();
  }
}
