/** Exponential backoff with jitter, and a sleep that an AbortSignal can cut short. */

export interface BackoffOptions {
  /** Delay before the first retry, in ms. */
  baseMs: number;
  /** No delay is ever longer than this, in ms. */
  maxMs: number;
  /** 0 = no jitter; 0.5 = the delay is drawn from [50 %, 100 %] of the exponential value. */
  jitter?: number;
}

/** The delay before retry number `attempt` (0-based): base·2^attempt, capped at max, minus up to `jitter` of it. */
export function backoffDelay(attempt: number, opts: BackoffOptions, random: () => number = Math.random): number {
  const exp = Math.min(opts.maxMs, opts.baseMs * 2 ** Math.max(0, attempt));
  const jitter = Math.min(1, Math.max(0, opts.jitter ?? 0));
  return Math.round(exp * (1 - jitter * random()));
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
