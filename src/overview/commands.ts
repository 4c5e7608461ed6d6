/**
 * Collection Overview and Embedding Map: both open the one overview panel of a collection (the tree node they were
 * run on, or a picked collection); Embedding Map scrolls it to the map. A collection's panel is reused while open.
 * After a window reload, VS Code hands back the panels that were open (restore).
 */
import type * as vscode from 'vscode';
import type { ChromaClient } from '../chroma/client';
import { describeError } from '../chroma/errors';
import type { Target } from '../connections/core/target';
import { Commands } from '../platform/commandIds';
import { registerCommand } from '../platform/registerCommand';
import type { Section } from './core/protocol';
import { restoreInfoByTitle, restoreInfoOf } from './core/restoreState';
import type { OpenPanelEntry, RestoreInfo } from './core/restoreState';
import { messageHtml } from './html';
import { OverviewPanel, overviewTitle } from './panel';
import type { PanelDeps } from './panel';

const keyOf = (t: Target) => JSON.stringify([t.connection.name, t.collection.tenant, t.collection.database, t.collection.id]);
/** workspaceState: the overview panels open in this workspace, for a restore whose page state is missing. */
const OPEN_PANELS_KEY = 'chroma.overview.openPanels';
const restoreOf = (t: Target): RestoreInfo => {
  const { tenant, database, id, name } = t.collection;
  return { connection: t.connection.name, tenant, database, id, name };
};

export interface OverviewCommands {
  disposables: vscode.Disposable[];
  /**
   * Opens the overview again in a panel VS Code restored after a window reload, from the page's saved state. A
   * panel whose connection or collection is gone says so and is left for the user to close. Undefined then.
   */
  restore(panel: vscode.WebviewPanel, state: unknown): Promise<OverviewPanel | undefined>;
}

export function registerOverviewCommands(deps: PanelDeps): OverviewCommands {
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
    return track(
      t,
      (async () => OverviewPanel.open(deps, t, await s.clients.clientFor(t.connection), section))(),
    );
  }

  const memory = s.context.workspaceState;
  let shuttingDown = false;
  const remembered = (): OpenPanelEntry[] => {
    const v = memory.get<unknown>(OPEN_PANELS_KEY);
    return Array.isArray(v) ? (v as OpenPanelEntry[]).slice(0, 50) : [];
  };
  const sameCollection = (a: RestoreInfo, b: RestoreInfo) => JSON.stringify(a) === JSON.stringify(b);

  function track(t: Target, opening: Promise<OverviewPanel>): Promise<OverviewPanel> {
    const key = keyOf(t);
    const entry: OpenPanelEntry = { title: overviewTitle(t.collection.name), restore: restoreOf(t) };
    // closed by the user: forgotten; closed with the window (the extension shutting down): kept for the restore
    const forget = () => !shuttingDown && void memory.update(OPEN_PANELS_KEY, remembered().filter((e) => !sameCollection(e.restore, entry.restore)));
    open.set(key, opening);
    opening
      .then((panel) => {
        void memory.update(OPEN_PANELS_KEY, [...remembered().filter((e) => !sameCollection(e.restore, entry.restore)), entry]);
        panel.onDidDispose(() => {
          open.delete(key);
          forget();
        });
      })
      .catch(() => open.delete(key));
    return opening;
  }

  async function restore(panel: vscode.WebviewPanel, state: unknown): Promise<OverviewPanel | undefined> {
    const info = restoreInfoOf(state) ?? restoreInfoByTitle(remembered(), panel.title);
    const gone = (why: string) => {
      panel.webview.options = { enableScripts: false, localResourceRoots: [] };
      panel.webview.html = messageHtml(`${why} Open Collection Overview from the Chroma view to see a collection.`);
      return undefined;
    };
    if (!info) {
      return gone('This overview cannot open again: it does not say which collection it showed.');
    }
    const what = `The overview of "${info.name}" on ${info.connection} cannot open again:`;
    const connection = s.store.get(info.connection);
    if (!connection) {
      return gone(`${what} there is no connection named "${info.connection}" any more.`);
    }
    let t: Target;
    let client: ChromaClient;
    try {
      client = await s.clients.clientFor(connection);
      const collection = await client.getCollection(info.name, { scope: { tenant: info.tenant, database: info.database } });
      if (collection.id !== info.id) {
        return gone(`${what} the collection of that name now is another one (it was deleted and made again).`);
      }
      t = { connection, collection };
    } catch (e) {
      return gone(`${what} ${describeError(e)}`);
    }
    const existing = open.get(keyOf(t));
    if (existing) {
      // already open (a command ran before VS Code restored this one): one panel per collection
      panel.dispose();
      return existing;
    }
    return track(t, OverviewPanel.restore(deps, t, client, panel));
  }

  return {
    disposables: [
      registerCommand(deps.log, Commands.collectionOverview, (arg?: unknown) => show(arg, 'overview', 'Collection overview')),
      registerCommand(deps.log, Commands.embeddingMap, (arg?: unknown) => show(arg, 'map', 'Embedding map')),
      {
        dispose: () => {
          shuttingDown = true;
          [...open.values()].forEach((p) => void p.then((panel) => panel.dispose()));
        },
      },
    ],
    restore,
  };
}
