import * as vscode from 'vscode';
import { onWillRunCommand } from '../platform/registerCommand';
import type { HeartbeatMonitor } from './core/monitor';

/** Someone is at the window: it has the focus, or was used moments ago (a browser's workbench can lose the first). */
const attended = (w: vscode.WindowState): boolean => w.focused || w.active;

/**
 * Tells the heartbeat when someone is at work, so the status bar is never stale for long while they are: the
 * window's focus and activity set the pace; any Chroma command (the status item's click included), the Chroma view
 * shown, or a node of it expanded checks at once (the monitor lets a burst cost one check). The first check runs
 * once activation is over: nothing in activate() needs it.
 */
export function followAttention(monitor: HeartbeatMonitor, views: readonly vscode.TreeView<unknown>[]): vscode.Disposable[] {
  const interacted = () => void monitor.interacted();
  const first = setTimeout(() => {
    void monitor.setAttended(attended(vscode.window.state));
    void monitor.checkNow();
  }, 0);
  return [
    { dispose: () => clearTimeout(first) },
    vscode.window.onDidChangeWindowState((w) => void monitor.setAttended(attended(w))),
    onWillRunCommand(interacted),
    ...views.flatMap((view) => [
      view.onDidChangeVisibility((e) => e.visible && interacted()),
      view.onDidExpandElement(interacted),
    ]),
  ];
}
