import type * as vscode from 'vscode';
import type { ClientCache } from '../connections/clients';
import type { ConnectionStore } from '../connections/store';
import { Commands } from '../platform/commandIds';
import type { InfoDocuments } from '../platform/infoDocuments';
import { showMarkdownPage } from '../platform/infoDocuments';
import type { Logger } from '../platform/log';
import { registerCommand } from '../platform/registerCommand';
import type { HeartbeatMonitor } from './core/monitor';
import type * as ServerPages from './serverPages';

/**
 * Check Server…, the server info page and the status menus: their chunk (dist/chunks/serverPages.js, esbuild.mjs),
 * loaded on first use.
 */
function serverPages(): typeof ServerPages {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./serverPages') as typeof ServerPages;
}

/** The status bar's menu and what it offers: check now, switch connection, server info; and Check Server…. */
export function registerStatusCommands(
  log: Logger,
  store: ConnectionStore,
  clients: ClientCache,
  monitor: HeartbeatMonitor,
  pages: InfoDocuments,
): vscode.Disposable[] {
  return [
    registerCommand(log, Commands.checkServer, (url?: string) => serverPages().checkServer(log, url)),
    registerCommand(log, Commands.checkNow, () => monitor.checkNow()),
    registerCommand(log, Commands.switchConnection, () => serverPages().switchConnection(store, monitor)),
    registerCommand(log, Commands.showServerInfo, async () => {
      const uri = pages.page(`/server-${encodeURIComponent(store.active?.name ?? 'none')}.md`, () => serverPages().serverInfo(store, clients));
      await showMarkdownPage(uri);
      return uri.toString();
    }),
    registerCommand(log, Commands.statusMenu, () => serverPages().statusMenu(store)),
  ];
}
