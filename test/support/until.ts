/**
 * Waits for a condition, polled every 20 ms, failing with what was awaited after `ms`. Tests wait for conditions,
 * never for a time standing in for one.
 */
export async function until(what: string, check: () => Promise<boolean> | boolean, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) {
      throw new Error(`Timed out waiting for: ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
