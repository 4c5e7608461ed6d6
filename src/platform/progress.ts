import * as vscode from 'vscode';

/** Reports what is done so far: a message, and the share of the whole it adds (0–100), when known. */
export type Report = (message: string, increment?: number) => void;

/**
 * Runs `work` under a cancellable notification: Cancel fires the signal, which the work checks between its
 * steps (it decides what a cancel leaves done, and says so in what it returns).
 */
export function withCancel<T>(title: string, work: (report: Report, signal: AbortSignal) => Promise<T>): Promise<T> {
  return Promise.resolve(
    vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
      const controller = new AbortController();
      const listener = token.onCancellationRequested(() => controller.abort());
      try {
        return await work((message, increment) => progress.report({ message, increment }), controller.signal);
      } finally {
        listener.dispose();
      }
    }),
  );
}
