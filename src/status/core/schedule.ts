/** When the heartbeat poller asks next. No `vscode` here. */

/** The longest wait between two checks while a server is down. */
export const MAX_BACKOFF_MS = 5 * 60_000;

/** While nobody is at the window, the poller asks this many times less often (it never stops). */
export const UNATTENDED_FACTOR = 4;

/** Interactions closer together than this to the last check's start cost no new check: a burst costs one. */
export const INTERACTION_GAP_MS = 2_000;

/**
 * The delay before the next check: the interval while the server answers (times UNATTENDED_FACTOR while the window
 * is unattended); after `failures` consecutive failures, that doubled per failure, capped at 5 minutes (or at the
 * undoubled delay, if that is longer).
 */
export function nextPollDelay(intervalMs: number, failures: number, attended = true): number {
  const base = attended ? intervalMs : intervalMs * UNATTENDED_FACTOR;
  if (failures <= 0) {
    return base;
  }
  const cap = Math.max(MAX_BACKOFF_MS, base);
  return Math.min(cap, base * 2 ** Math.min(failures, 20));
}

/**
 * Whether an interaction with the extension (a command, the Chroma view, the status item) should check at once:
 * polling is on, and the last check started at least INTERACTION_GAP_MS ago (or none has run).
 */
export function interactionCheckDue(nowMs: number, lastStartedAt: number | undefined, intervalMs: number): boolean {
  return intervalMs > 0 && (lastStartedAt === undefined || nowMs - lastStartedAt >= INTERACTION_GAP_MS);
}
