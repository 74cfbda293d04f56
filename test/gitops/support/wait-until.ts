/**
 * Polls `check` every 250 ms until it returns a value other than undefined, or fails after `timeoutMs`
 * with `describe` and what `explain` says then (the controller's own words). No fixed sleep: a check that
 * holds at once returns at once.
 */
export async function waitUntil<T>(
  describe: string,
  check: () => T | undefined,
  timeoutMs: number,
  explain: () => string = () => '',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error; // a transient API error: try again until the deadline
    }
    if (Date.now() >= deadline) {
      const last = lastError === undefined ? '' : `\nlast error: ${String(lastError)}`;
      throw new Error(`${describe}: not true after ${timeoutMs / 1000}s${last}\n${explain()}`);
    }
    await new Promise((done) => setTimeout(done, 250));
  }
}

/** Runs `action`, prints how long it took under `label`, and returns its value. */
export async function timed<T>(label: string, action: () => Promise<T> | T): Promise<T> {
  const start = Date.now();
  const value = await action();
  process.stdout.write(`[gitops] ${label}: ${((Date.now() - start) / 1000).toFixed(1)}s\n`);
  return value;
}
