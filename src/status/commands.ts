import * as vscode from 'vscode';
import type { ClientCache } from '../connections/clients';
import type { ConnectionStore } from '../connections/store';
import { Commands } from '../platform/commandIds';
import type { InfoDocuments } from '../platform/infoDocuments';
import { showMarkdownPage } from '../platform/infoDocuments';
import type { Logger } from '../platform/log';
import { pickStep } from '../platform/quickInput';
import { registerCommand } from '../platform/registerCommand';
import type { HeartbeatMonitor } from './core/monitor';
import type * as ServerPages from './serverPages';

/** Check Server… and the server info page: their chunk (dist/chunks/serverPages.js, esbuild.mjs), loaded on first use. */
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
    registerCommand(log, Commands.switchConnection, async () => {
      const all = store.list();
      if (all.length === 0) {
        return vscode.commands.executeCommand(Commands.addConnection);
      }
      const active = store.active?.name;
      const items = all.map((c) => ({ label: c.name, description: c.url, detail: c.name === active ? 'active' : undefined }));
      const pick = await pickStep(
        { title: 'Switch active connection' },
        { items, active: items.find((i) => i.label === active), placeholder: 'Which connection should the status bar follow?' },
      );
      if (pick && typeof pick === 'object') {
        await store.setActive(pick.label);
        return monitor.checkNow();
      }
      return undefined;
    }),
    registerCommand(log, Commands.showServerInfo, async () => {
      const uri = pages.page(`/server-${encodeURIComponent(store.active?.name ?? 'none')}.md`, () => serverPages().serverInfo(store, clients));
      await showMarkdownPage(uri);
      return uri.toString();
    }),
    registerCommand(log, Commands.statusMenu, async () => {
      const items: Array<vscode.QuickPickItem & { run: string }> = [
        { label: '$(arrow-swap) Switch active connection…', run: Commands.switchConnection },
        { label: '$(pulse) Check now', run: Commands.checkNow },
        { label: '$(info) Show server info', run: Commands.showServerInfo },
        { label: '$(shield) Telemetry facts', description: 'configured on the server, never by a client', run: Commands.showTelemetry },
      ];
      const pick = await pickStep({ title: `Chroma${store.active ? `: ${store.active.name}` : ''}` }, { items });
      return pick && typeof pick === 'object' ? vscode.commands.executeCommand(pick.run) : undefined;
    }),
  ];
}
