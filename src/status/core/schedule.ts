/** When the heartbeat poller asks next. No `vscode` here. */

/** The longest wait between two checks while a server is down. */
export const MAX_BACKOFF_MS = 5 * 60_000;

/**
 * The delay before the next check: the interval while the server answers; after `failures` consecutive failures,
 * the interval doubled per failure, capped at 5 minutes (or at the interval, if that is longer).
 */
export function nextPollDelay(intervalMs: number, failures: number): number {
  if (failures <= 0) {
    return intervalMs;
  }
  const cap = Math.max(MAX_BACKOFF_MS, intervalMs);
  return Math.min(cap, intervalMs * 2 ** Math.min(failures, 20));
}
