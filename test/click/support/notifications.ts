/**
 * The base of a driven workbench window: its page, the step log, the notifications it shows, and the waits (each
 * polls the page and fails at once, with the message, when an unexpected error notification has appeared).
 */
import type { Page } from 'playwright-core';

export interface Toast {
  severity: 'error' | 'warning' | 'info';
  message: string;
  at: number;
}

/**
 * Records every notification the page shows (toasts come and go; this keeps them), as window.__clickToasts.
 * Runs in the page before the workbench loads.
 */
export const TOAST_RECORDER = `(() => {
  const seen = new Set();
  const toasts = (window.__clickToasts = []);
  const scan = () => {
    for (const item of Array.from(document.querySelectorAll('.notification-list-item'))) {
      const message = (item.querySelector('.notification-list-item-message')?.textContent ?? '').trim();
      const icon = item.querySelector('.notification-list-item-icon');
      const severity = icon?.classList.contains('codicon-error') ? 'error' : icon?.classList.contains('codicon-warning') ? 'warning' : 'info';
      const key = severity + '|' + message;
      if (message && !seen.has(key)) {
        seen.add(key);
        toasts.push({ severity, message, at: Date.now() });
      }
    }
  };
  new MutationObserver(scan).observe(document, { subtree: true, childList: true, characterData: true });
  setInterval(scan, 100);
})();`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class NotifyingWindow {
  constructor(
    readonly page: Page,
    /** Where each step is written down, for reading a failure afterwards. */
    protected readonly log: (text: string) => void = () => undefined,
  ) {}

  /**
   * Slows the page's CPU `rate` times (Chromium's CPU throttling, as DevTools does): the workbench of a busy
   * machine, whose rendering lags behind the extension host. 1 turns it off.
   */
  async throttleCpu(rate: number): Promise<void> {
    const cdp = await this.page.context().newCDPSession(this.page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate });
    await cdp.detach();
  }

  /** Closes the window: the page, and with it the workbench's extension host. */
  async close(): Promise<void> {
    await this.page.close().catch(() => undefined);
  }

  // --- notifications -------------------------------------------------------------------------------------------

  toasts(): Promise<Toast[]> {
    return this.page.evaluate(() => ((window as unknown as { __clickToasts?: Toast[] }).__clickToasts ?? []).slice());
  }

  /** Error notifications the test expects (an outcome it asserts), which fail no wait and not the test. */
  private readonly expectedErrors: RegExp[] = [];

  expectError(pattern: RegExp): void {
    this.expectedErrors.push(pattern);
  }

  /** The error notifications shown that the test did not expect. */
  async errorToasts(): Promise<string[]> {
    return (await this.toasts()).filter((t) => t.severity === 'error' && !this.expectedErrors.some((p) => p.test(t.message))).map((t) => t.message);
  }

  async assertNoErrorToasts(): Promise<void> {
    const errors = await this.errorToasts();
    if (errors.length > 0) {
      throw new Error(`error notification: ${errors.join(' | ')}`);
    }
  }

  /** Polls `probe` until it returns something truthy; fails on timeout or as soon as an error notification shows. */
  async waitFor<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 30_000, intervalMs = 100): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const errors = await this.errorToasts();
      if (errors.length > 0) {
        throw new Error(`while waiting for ${what}, an error notification appeared: ${errors.join(' | ')}`);
      }
      const value = await probe();
      if (value) {
        this.log(`seen: ${what}`);
        return value;
      }
      if (Date.now() > deadline) {
        this.log(`NOT seen: ${what}`);
        throw new Error(`${what}: not seen within ${Math.round(timeoutMs / 1000)} s`);
      }
      await sleep(intervalMs);
    }
  }

  /** Waits until a notification (any severity) whose text matches is shown, and returns its text. */
  async waitForToast(what: string, pattern: RegExp, timeoutMs = 30_000): Promise<string> {
    return this.waitFor(what, async () => (await this.toasts()).find((t) => pattern.test(t.message))?.message, timeoutMs);
  }
}
