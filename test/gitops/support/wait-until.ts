export { waitUntil } from '../../helpers/wait-until';

/** Runs `action`, prints how long it took under `label`, and returns its value. */
export async function timed<T>(label: string, action: () => Promise<T> | T): Promise<T> {
  const start = Date.now();
  const value = await action();
  process.stdout.write(`[gitops] ${label}: ${((Date.now() - start) / 1000).toFixed(1)}s\n`);
  return value;
}
