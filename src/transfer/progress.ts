/** Long transfers run in a notification with a progress bar and Cancel; the core gets an AbortSignal. */
import * as vscode from 'vscode';
import { withSignal } from '../platform/progress';
import { formatCount } from '../util/text';

export type Report = (done: number, total: number, what: string) => void;

/**
 * Runs `task` with a cancellable progress notification titled `title`. `report(done, total, what)` shows
 * "12,000 of 20,000 records written" and moves the bar. The core returns a result saying what was done when it is
 * cancelled while writing; cancelled before that (while counting or preparing), it fails with the aborted request,
 * and this resolves to undefined after saying that nothing was written.
 */
export async function withTransferProgress<T>(title: string, task: (signal: AbortSignal, report: Report) => Promise<T>): Promise<T | undefined> {
  const ac = new AbortController();
  try {
    return await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
      let shown = 0;
      const report: Report = (done, total, what) => {
        const pct = total > 0 ? Math.min(100, (done / total) * 100) : 0;
        progress.report({ message: `${formatCount(done)}${total > 0 ? ` of ${formatCount(total)}` : ''} ${what}`, increment: Math.max(0, pct - shown) });
        shown = Math.max(shown, pct);
      };
      return withSignal(token, (signal) => task(signal, report), ac);
    });
  } catch (e) {
    if (!ac.signal.aborted) {
      throw e;
    }
    void vscode.window.showInformationMessage(`${title}: cancelled before anything was written.`);
    return undefined;
  }
}
