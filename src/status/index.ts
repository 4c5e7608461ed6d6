/**
 * The status feature: the heartbeat's pace (its setting, and the window's attention) and the status bar's
 * commands. The monitor and the status item themselves are built with the services (src/services.ts): the
 * extension's API and the agents' MCP port reach them.
 */
import * as vscode from 'vscode';
import type { ClientCache } from '../connections/clients';
import type { ConnectionStore } from '../connections/store';
import type { InfoDocuments } from '../platform/infoDocuments';
import type { Logger } from '../platform/log';
import { affects } from '../platform/settings';
import { followAttention } from './attention';
import { registerStatusCommands } from './commands';
import type { HeartbeatMonitor } from './core/monitor';

export interface StatusDeps {
  log: Logger;
  store: ConnectionStore;
  clients: ClientCache;
  monitor: HeartbeatMonitor;
  pages: InfoDocuments;
  /** The views whose showing and expanding count as someone at work. */
  views: readonly vscode.TreeView<unknown>[];
}

export function activate(deps: StatusDeps): vscode.Disposable[] {
  const { monitor } = deps;
  return [
    deps.store.onDidChange(() => void monitor.checkNow()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (affects(e, 'chroma.heartbeat.intervalSeconds')) {
        monitor.reschedule();
      }
    }),
    ...registerStatusCommands(deps.log, deps.store, deps.clients, monitor, deps.pages),
    ...followAttention(monitor, deps.views),
  ];
}
