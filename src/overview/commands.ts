/**
 * Collection Overview and Embedding Map: both open the one overview panel of a collection (the tree node they were
 * run on, or a picked collection); Embedding Map scrolls it to the map. A collection's panel is reused while open.
 */
import type * as vscode from 'vscode';
import type { Target } from '../connections/core/target';
import { Commands } from '../platform/commandIds';
import { registerCommand } from '../platform/registerCommand';
import type { Section } from './core/protocol';
import { OverviewPanel } from './panel';
import type { PanelDeps } from './panel';

const keyOf = (t: Target) => JSON.stringify([t.connection.name, t.collection.tenant, t.collection.database, t.collection.id]);

export function registerOverviewCommands(deps: PanelDeps): vscode.Disposable[] {
  const s = deps.services;
  // A collection's panel, or the promise of it while it opens (a second command then waits for the same one).
  const open = new Map<string, Promise<OverviewPanel>>();

  async function show(arg: unknown, section: Section, title: string): Promise<OverviewPanel | undefined> {
    const t = await s.target(arg, title);
    if (!t) {
      return undefined;
    }
    const key = keyOf(t);
    const existing = open.get(key);
    if (existing) {
      const panel = await existing;
      panel.reveal(section);
      return panel;
    }
    const opening = (async () => {
      const client = await s.clients.clientFor(t.connection);
      const panel = await OverviewPanel.open(deps, t, client, section);
      panel.onDidDispose(() => open.delete(key));
      return panel;
    })();
    open.set(key, opening);
    opening.catch(() => open.delete(key));
    return opening;
  }

  return [
    registerCommand(deps.log, Commands.collectionOverview, (arg?: unknown) => show(arg, 'overview', 'Collection overview')),
    registerCommand(deps.log, Commands.embeddingMap, (arg?: unknown) => show(arg, 'map', 'Embedding map')),
    { dispose: () => [...open.values()].forEach((p) => void p.then((panel) => panel.dispose())) },
  ];
}
