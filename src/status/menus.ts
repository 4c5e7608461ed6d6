/**
 * The status item's menu and Switch Active Connection…: quick picks, in the status chunk (serverPages.ts) with the
 * pages, since activation only registers their commands.
 */
import * as vscode from 'vscode';
import type { ConnectionStore } from '../connections/store';
import { Commands } from '../platform/commandIds';
import { pickStep } from '../platform/quickInput';
import type { HeartbeatMonitor } from './core/monitor';

/** Asks which connection the status bar follows (Add Connection when there is none), then checks it now. */
export async function switchConnection(store: ConnectionStore, monitor: HeartbeatMonitor): Promise<unknown> {
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
}

/** The menu the status item opens: switch connection, check now, server info, telemetry facts. */
export async function statusMenu(store: ConnectionStore): Promise<unknown> {
  const items: Array<vscode.QuickPickItem & { run: string }> = [
    { label: '$(arrow-swap) Switch active connection…', run: Commands.switchConnection },
    { label: '$(pulse) Check now', run: Commands.checkNow },
    { label: '$(info) Show server info', run: Commands.showServerInfo },
    { label: '$(shield) Telemetry facts', description: 'configured on the server, never by a client', run: Commands.showTelemetry },
  ];
  const pick = await pickStep({ title: `Chroma${store.active ? `: ${store.active.name}` : ''}` }, { items });
  return pick && typeof pick === 'object' ? vscode.commands.executeCommand(pick.run) : undefined;
}
