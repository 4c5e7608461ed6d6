/**
 * The Collection Overview panel: one webview per collection, its session (the data work), and what the page may
 * ask for: open a record, filter the tree by a value, copy or export selected ids, scan again, re-project. Every
 * message from the page is checked against the protocol first, and names things by index into what this side sent.
 * The page is not kept alive while hidden (it is small to rebuild): when it comes back it says `ready` and gets the
 * session's state again; its own view state (zoom, selection, scroll) it keeps with setState.
 */
import * as vscode from 'vscode';
import type { ChromaClient } from '../chroma/client';
import { describeError } from '../chroma/errors';
import type { Target } from '../connections/core/target';
import { storedFunction } from '../embedding/core/resolve';
import type { CollectionNode, ExplorerNode, RecordNode } from '../explorer/core/model';
import { Commands } from '../platform/commandIds';
import type { Logger } from '../platform/log';
import { setting } from '../platform/settings';
import type { OverviewDeps } from './index';
import { displayLine, formatCount, notificationText } from '../util/text';
import { validateToHost, validateToWebview } from './core/protocol';
import type { Section, ToHost, ToWebview } from './core/protocol';
import { MEDIA_DIR, overviewHtml } from './html';
import type { QueryHighlights } from './mapData';
import { OverviewSession } from './session';
import type { FunctionFact } from './views';
import { OVERVIEW_VIEW_TYPE } from '../platform/viewIds';
import { sourceExistsInWorkspace } from './workspaceFiles';

/** Above this many points, UMAP asks first. */
const UMAP_ASK_ABOVE = 20_000;

export { OVERVIEW_VIEW_TYPE };

/** A panel's tab title (VS Code restores it with the panel after a reload). */
export const overviewTitle = (collectionName: string): string => `Overview: ${displayLine(collectionName, 60)}`;

export interface PanelDeps {
  services: OverviewDeps;
  log: Logger;
  queries?: QueryHighlights;
}

function functionFact(s: OverviewDeps, t: Target): FunctionFact | undefined {
  const stored = storedFunction(t.collection);
  if (stored?.name) {
    return { name: stored.name, from: 'stored', config: stored.config };
  }
  const chosen = s.embeddings.choiceFor(t.connection, t.collection);
  return chosen?.name ? { name: chosen.name, from: 'chosen', config: chosen.config } : undefined;
}

export class OverviewPanel implements vscode.Disposable {
  readonly panel: vscode.WebviewPanel;
  private readonly session: OverviewSession;
  private readonly received = new vscode.EventEmitter<ToHost>();
  /** Every message the page sent that passed the check (what the page reports, for tests and status). */
  readonly onDidReceiveMessage = this.received.event;
  private readonly disposed = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposed.event;
  private readonly subscriptions: vscode.Disposable[] = [];
  /** The page has said `ready` since it was last (re)loaded: messages sent before that would be lost. */
  private pageReady = false;
  private pendingReveal: Section | undefined;

  static async open(deps: PanelDeps, target: Target, client: ChromaClient, section: Section): Promise<OverviewPanel> {
    const canExport = (await vscode.commands.getCommands(true)).includes(Commands.exportRecords);
    return new OverviewPanel(deps, target, client, canExport, section);
  }

  /** The overview in a panel VS Code brings back after a window reload (see the serializer in src/extension.ts). */
  static async restore(deps: PanelDeps, target: Target, client: ChromaClient, panel: vscode.WebviewPanel): Promise<OverviewPanel> {
    const canExport = (await vscode.commands.getCommands(true)).includes(Commands.exportRecords);
    return new OverviewPanel(deps, target, client, canExport, 'overview', panel);
  }

  private constructor(
    private readonly deps: PanelDeps,
    readonly target: Target,
    client: ChromaClient,
    canExport: boolean,
    section: Section,
    restored?: vscode.WebviewPanel,
  ) {
    const s = deps.services;
    const mediaRoot = vscode.Uri.joinPath(s.context.extensionUri, ...MEDIA_DIR);
    const title = overviewTitle(target.collection.name);
    const webviewOptions = { enableScripts: true, localResourceRoots: [mediaRoot], enableCommandUris: false };
    if (restored) {
      this.panel = restored;
      this.panel.title = title;
      this.panel.webview.options = webviewOptions;
    } else {
      this.panel = vscode.window.createWebviewPanel(OVERVIEW_VIEW_TYPE, title, { viewColumn: vscode.ViewColumn.Active, preserveFocus: false }, {
        ...webviewOptions,
        enableFindWidget: true,
      });
    }
    this.panel.iconPath = vscode.Uri.joinPath(s.context.extensionUri, 'media', 'chroma.svg');
    this.pendingReveal = section === 'map' ? 'map' : undefined;
    this.session = new OverviewSession({
      client,
      collection: target.collection,
      connection: target.connection.name,
      fn: functionFact(s, target),
      sampleSize: () => setting('chroma.overview.sampleSize'),
      sourceExists: sourceExistsInWorkspace(),
      workerFile: vscode.Uri.joinPath(s.context.extensionUri, 'dist', 'projectionWorker.js').fsPath,
      queries: deps.queries,
      canExport,
      post: (m) => this.post(m),
      log: deps.log,
    });
    this.subscriptions.push(
      this.received,
      this.disposed,
      this.panel.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
      this.panel.onDidChangeViewState(() => {
        if (!this.panel.visible) {
          // a hidden page is unloaded; it says `ready` again when shown
          this.pageReady = false;
        }
      }),
      this.panel.onDidDispose(() => this.dispose()),
    );
    if (deps.queries?.onDidChange) {
      this.subscriptions.push(toDisposable(deps.queries.onDidChange(() => this.session.refreshHighlight())));
    }
    const { tenant, database, id, name } = target.collection;
    this.panel.webview.html = overviewHtml(this.panel.webview, s.context.extensionUri, { connection: target.connection.name, tenant, database, id, name });
    void this.session.run(false);
  }

  /** Shows the panel, scrolled to a section. */
  reveal(section: Section): void {
    this.panel.reveal(undefined, false);
    if (this.pageReady) {
      this.post({ type: 'reveal', section });
    } else {
      this.pendingReveal = section;
    }
  }

  /** Sends a message to the page (checked against the protocol first; a message that fails is a bug, logged). */
  post(m: ToWebview): boolean {
    if (!this.pageReady) {
      return false;
    }
    if (!validateToWebview(m)) {
      this.deps.log.error(`overview: a ${m.type} message does not fit the protocol; not sent`);
      return false;
    }
    void this.panel.webview.postMessage(m);
    return true;
  }

  private receive(raw: unknown): void {
    const m = validateToHost(raw);
    if (!m) {
      const type = typeof raw === 'object' && raw !== null ? String((raw as { type?: unknown }).type).slice(0, 40) : typeof raw;
      this.deps.log.warn(`overview: dropped a message from the page that does not fit the protocol (${type})`);
      return;
    }
    void this.handle(m).catch((e: unknown) => {
      const message = describeError(e);
      this.deps.log.error(`overview ${m.type}: ${message}`);
      void vscode.window.showErrorMessage(notificationText(message));
    });
    this.received.fire(m);
  }

  /**
   * UMAP is slow past some 20,000 points (umap-js: 10,000 × 384 took 30 s here, and it grows faster than the
   * count): ask before such a run. PCA's map stays while it runs, and Cancel stops it.
   */
  private async umapAgreed(points: number): Promise<boolean> {
    if (points <= UMAP_ASK_ABOVE) {
      return true;
    }
    const run = 'Run UMAP';
    const answer = await vscode.window.showWarningMessage(
      `UMAP of ${formatCount(points)} points may take many minutes (10,000 points take about half a minute). The PCA map stays while it runs, and Cancel stops it.`,
      { modal: true },
      run,
    );
    return answer === run;
  }

  private async handle(m: ToHost): Promise<void> {
    switch (m.type) {
      case 'ready':
        this.pageReady = true;
        this.session.replay();
        if (this.pendingReveal) {
          this.post({ type: 'reveal', section: this.pendingReveal });
          this.pendingReveal = undefined;
        }
        return;
      case 'rescan':
        return this.session.run(false);
      case 'scanAll':
        return this.session.run(true);
      case 'cancel':
        return this.session.cancel();
      case 'project':
        if (m.method === 'umap' && !(await this.umapAgreed(this.session.pointCount))) {
          return;
        }
        return this.session.reproject(m.method);
      case 'colorBy':
        return this.session.colorBy(m.facet);
      case 'pointInfo': {
        const info = this.session.pointInfo(m.index);
        if (info) {
          this.post(info);
        }
        return;
      }
      case 'openPoint':
        return this.openRecord(this.session.idAt(m.index));
      case 'openExample':
        return this.openRecord(this.session.exampleId(m.finding, m.example));
      case 'filter':
        return this.filter(m.facet, m.value);
      case 'copyIds':
        return this.copyIds(this.session.idsOf(m.indices));
      case 'exportSelection':
        return this.exportIds(this.session.idsOf(m.indices));
      case 'status':
      case 'probeReport':
        return;
    }
  }

  /** The collection's node in the tree (fetching its database's listing if needed). */
  private async collectionNode(): Promise<CollectionNode | undefined> {
    return this.deps.services.model.nodeOfCollection(this.target.connection.name, this.target.collection);
  }

  private async openRecord(id: string | undefined): Promise<void> {
    const parent = id === undefined ? undefined : await this.collectionNode();
    if (id === undefined || !parent) {
      return;
    }
    // The record's tree node, as Open Record takes it (the record need not be listed in the tree).
    const node: RecordNode = { kind: 'record', id: `${parent.id}/overview:${id}`, parent, recordId: id, documentStart: null, documentLength: 0 };
    await vscode.commands.executeCommand(Commands.openRecord, node satisfies ExplorerNode, true);
  }

  private async filter(facet: number, value: number): Promise<void> {
    const f = this.session.filterOf(facet, value);
    const node = f && (await this.collectionNode());
    if (!f || !node) {
      return;
    }
    await vscode.commands.executeCommand(Commands.filterRecords, node, { where: { [f.key]: f.value } });
  }

  private async copyIds(ids: string[]): Promise<void> {
    if (ids.length === 0) {
      return;
    }
    await vscode.env.clipboard.writeText(ids.join('\n'));
    vscode.window.setStatusBarMessage(`Copied ${formatCount(ids.length)} record id${ids.length === 1 ? '' : 's'}`, 3000);
  }

  private async exportIds(ids: string[]): Promise<void> {
    if (ids.length === 0) {
      return;
    }
    if ((await vscode.commands.getCommands(true)).includes(Commands.exportRecords)) {
      const c = this.target.collection;
      await vscode.commands.executeCommand(Commands.exportRecords, { connection: this.target.connection.name, tenant: c.tenant, database: c.database, collection: c.name, ids });
      return;
    }
    await this.copyIds(ids);
    void vscode.window.showInformationMessage(`Export is not available in this version; the ${formatCount(ids.length)} selected ids were copied instead.`);
  }

  private isDisposed = false;

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this.isDisposed = true;
    this.session.dispose();
    this.disposed.fire();
    this.subscriptions.forEach((d) => d.dispose());
    this.subscriptions.length = 0;
    this.panel.dispose();
  }
}

function toDisposable(d: { dispose(): unknown }): vscode.Disposable {
  return { dispose: () => void d.dispose() };
}
