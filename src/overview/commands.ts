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

const sameCollection = (a: RestoreInfo, b: RestoreInfo) => JSON.stringify(a) === JSON.stringify(b);
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
  const panels = new OpenPanels(deps);
  return {
    disposables: [
      registerCommand(deps.log, Commands.collectionOverview, (arg?: unknown) => panels.show(arg, 'overview', 'Collection overview')),
      registerCommand(deps.log, Commands.embeddingMap, (arg?: unknown) => panels.show(arg, 'map', 'Embedding map')),
      panels,
    ],
    restore: (panel, state) => panels.restore(panel, state),
  };
}

/** The open overview panels, one per collection, and the list of them kept in workspaceState for a restore. */
class OpenPanels implements vscode.Disposable {
  /** A collection's panel, or the promise of it while it opens (a second command then waits for the same one). */
  private readonly open = new Map<string, Promise<OverviewPanel>>();
  private shuttingDown = false;

  constructor(private readonly deps: PanelDeps) {}

  private get memory(): vscode.Memento {
    return this.deps.services.context.workspaceState;
  }

  private remembered(): OpenPanelEntry[] {
    const v = this.memory.get<unknown>(OPEN_PANELS_KEY);
    return Array.isArray(v) ? (v as OpenPanelEntry[]).slice(0, 50) : [];
  }

  async show(arg: unknown, section: Section, title: string): Promise<OverviewPanel | undefined> {
    const s = this.deps.services;
    const t = await s.target(arg, title);
    if (!t) {
      return undefined;
    }
    const existing = this.open.get(keyOf(t));
    if (existing) {
      const panel = await existing;
      panel.reveal(section);
      return panel;
    }
    return this.track(
      t,
      (async () => OverviewPanel.open(this.deps, t, await s.clients.clientFor(t.connection), section))(),
    );
  }

  private track(t: Target, opening: Promise<OverviewPanel>): Promise<OverviewPanel> {
    const key = keyOf(t);
    const entry: OpenPanelEntry = { title: overviewTitle(t.collection.name), restore: restoreOf(t) };
    const others = () => this.remembered().filter((e) => !sameCollection(e.restore, entry.restore));
    // closed by the user: forgotten; closed with the window (the extension shutting down): kept for the restore
    const forget = () => !this.shuttingDown && void this.memory.update(OPEN_PANELS_KEY, others());
    this.open.set(key, opening);
    opening
      .then((panel) => {
        void this.memory.update(OPEN_PANELS_KEY, [...others(), entry]);
        panel.onDidDispose(() => {
          this.open.delete(key);
          forget();
        });
      })
      .catch(() => this.open.delete(key));
    return opening;
  }

  async restore(panel: vscode.WebviewPanel, state: unknown): Promise<OverviewPanel | undefined> {
    const found = await this.restoredTarget(restoreInfoOf(state) ?? restoreInfoByTitle(this.remembered(), panel.title));
    if ('gone' in found) {
      panel.webview.options = { enableScripts: false, localResourceRoots: [] };
      panel.webview.html = messageHtml(`${found.gone} Open Collection Overview from the Chroma view to see a collection.`);
      return undefined;
    }
    const existing = this.open.get(keyOf(found.t));
    if (existing) {
      // already open (a command ran before VS Code restored this one): one panel per collection
      panel.dispose();
      return existing;
    }
    return this.track(found.t, OverviewPanel.restore(this.deps, found.t, found.client, panel));
  }

  /** The collection a restored panel showed, if its connection is there and the collection is still the same one. */
  private async restoredTarget(info: RestoreInfo | undefined): Promise<{ t: Target; client: ChromaClient } | { gone: string }> {
    if (!info) {
      return { gone: 'This overview cannot open again: it does not say which collection it showed.' };
    }
    const s = this.deps.services;
    const what = `The overview of "${info.name}" on ${info.connection} cannot open again:`;
    const connection = s.store.get(info.connection);
    if (!connection) {
      return { gone: `${what} there is no connection named "${info.connection}" any more.` };
    }
    try {
      const client = await s.clients.clientFor(connection);
      const collection = await client.getCollection(info.name, { scope: { tenant: info.tenant, database: info.database } });
      if (collection.id !== info.id) {
        return { gone: `${what} the collection of that name now is another one (it was deleted and made again).` };
      }
      return { t: { connection, collection }, client };
    } catch (e) {
      return { gone: `${what} ${describeError(e)}` };
    }
  }

  dispose(): void {
    this.shuttingDown = true;
    [...this.open.values()].forEach((p) => void p.then((panel) => panel.dispose()));
  }
}
