import * as vscode from 'vscode';

/** Reports what is done so far: a message, and the share of the whole it adds (0–100), when known. */
export type Report = (message: string, increment?: number) => void;

/**
 * Runs `work` with an AbortSignal that fires when `token` is cancelled (the one way from VS Code's cancellation to
 * the cores' signals); the token's listener is removed once the work settles. `controller`: the caller's, when it
 * needs to know afterwards whether the work was aborted.
 */
export async function withSignal<T>(token: vscode.CancellationToken, work: (signal: AbortSignal) => Promise<T>, controller = new AbortController()): Promise<T> {
  const listener = token.onCancellationRequested(() => controller.abort());
  try {
    return await work(controller.signal);
  } finally {
    listener.dispose();
  }
}

/**
 * Runs `work` under a cancellable notification: Cancel fires the signal, which the work checks between its
 * steps (it decides what a cancel leaves done, and says so in what it returns).
 */
export function withCancel<T>(title: string, work: (report: Report, signal: AbortSignal) => Promise<T>): Promise<T> {
  return Promise.resolve(
    vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) =>
      withSignal(token, (signal) => work((message, increment) => progress.report({ message, increment }), signal)),
    ),
  );
}
