/**
 * Polls `check` every 250 ms until it returns a value other than undefined, or fails after `timeoutMs`
 * with `describe` and what `explain` says then (the controller's own words). No fixed sleep: a check that
 * holds at once returns at once.
 */
export async function waitUntil<T>(
  describe: string,
  check: () => T | undefined | Promise<T | undefined>,
  timeoutMs: number,
  explain: () => string = () => '',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
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
