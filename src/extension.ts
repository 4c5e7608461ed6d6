/**
 * Composition root: builds the services, registers each feature, and hands features what they need from each
 * other as functions, so that no feature imports another's internals. Every disposable goes to the context.
 */
import * as vscode from 'vscode';
import { ClientCache } from './connections/clients';
import { registerConnectionCommands } from './connections/commands';
import { watchLocalServer } from './connections/localServer';
import { ConnectionStore } from './connections/store';
import { registerEmbeddingCommands } from './embedding/commands';
import { EmbeddingService } from './embedding/service';
import { CollectionPicker } from './explorer/collectionPicker';
import { registerExplorerCommands } from './explorer/commands';
import { EXPLORER_VIEW_ID } from './explorer/contextValues';
import { connectionOf, ExplorerModel } from './explorer/core/model';
import type { ExplorerNode } from './explorer/core/model';
import { registerFilterCommands } from './explorer/filterCommands';
import { registerFindCollection } from './explorer/findCollection';
import { RememberedLargeDatabases } from './explorer/largeDatabases';
import { registerManageCommands } from './explorer/manageCommands';
import { ExplorerTreeProvider } from './explorer/treeProvider';
import { registerIngestCommands } from './ingest/commands';
import { Commands } from './platform/commandIds';
import { InfoDocuments, INFO_SCHEME } from './platform/infoDocuments';
import { createLog } from './platform/log';
import { registerCommand } from './platform/registerCommand';
import { affects, setting } from './platform/settings';
import { registerQueryCommands } from './query/commands';
import { registerPlayground } from './query/playground';
import { QueryWorkbench } from './query/workbench';
import { describeFilter, explainFilterError } from './query/core/filter';
import { askFilter } from './query/filterInput';
import { registerStatusCommands } from './status/commands';
import { HeartbeatMonitor } from './status/core/monitor';
import { StatusItem } from './status/statusItem';
import { TELEMETRY_LENS_SELECTOR, TelemetryCodeLens } from './telemetry/codeLens';
import { registerTelemetryCommands } from './telemetry/commands';
import type { Services } from './services';
import { wireRecords } from './records/wire';
import { wireDataCommands } from './explorer/dataCommands';
import { wireTransfer } from './transfer/wire';
import { wireOverview } from './overview/wire';

/** What the extension hands to other extensions (and to its own extension-host tests). */
export interface ChromaExplorerApi {
  store: ConnectionStore;
  model: ExplorerModel;
  tree: ExplorerTreeProvider;
  treeView: vscode.TreeView<ExplorerNode>;
  monitor: HeartbeatMonitor;
  status: StatusItem;
  embeddings: EmbeddingService;
  query: QueryWorkbench;
  logUri: vscode.Uri;
}

/** The connection of a tree node a command was run on, if the argument is one. */
function connectionNameOf(arg: unknown): string | undefined {
  const node = arg as ExplorerNode | undefined;
  return node && typeof node === 'object' && typeof node.kind === 'string' && typeof node.id === 'string' ? connectionOf(node).name : undefined;
}

export function activate(context: vscode.ExtensionContext): ChromaExplorerApi {
  const log = createLog();
  const store = new ConnectionStore(context.secrets, context.globalState, log.for('connections'));
  const clients = new ClientCache(store, log.for('http'));
  const model = new ExplorerModel({
    connections: () => store.list(),
    clientFor: (c) => clients.clientFor(c),
    sortedListLimit: () => setting('chroma.explorer.sortedListLimit'),
    explainError: (e, node) => (node.kind === 'collection' && node.filter ? explainFilterError(e, node.filter) : undefined),
    largeDatabases: new RememberedLargeDatabases(context.globalState),
  });
  const provider = new ExplorerTreeProvider(model, describeFilter);
  const treeView = vscode.window.createTreeView(EXPLORER_VIEW_ID, { treeDataProvider: provider, showCollapseAll: true, canSelectMany: true });
  const picker = new CollectionPicker(store, clients, context.globalState);
  const target = picker.targetOf.bind(picker);
  const pages = new InfoDocuments();
  const monitor = new HeartbeatMonitor({
    intervalMs: () => Math.max(0, setting('chroma.heartbeat.intervalSeconds')) * 1000,
    target: async () => {
      const connection = store.active;
      return connection ? { connection, client: await clients.clientFor(connection) } : undefined;
    },
  });
  const status = new StatusItem(monitor);
  const embeddings = new EmbeddingService(context.globalState, context.secrets, log.for('embedding'));
  const query = new QueryWorkbench(log.for('query'), {
    clients,
    embeddings,
    connection: (name) => store.get(name),
    target,
    record: (arg, title) => picker.recordOf(arg, title),
    last: () => picker.last(),
    remember: (t) => picker.remember(t),
    workspaceState: context.workspaceState,
  });

  const services: Services = { context, log, store, clients, model, treeView, picker, embeddings, pages, target };

  context.subscriptions.push(
    log,
    store,
    clients,
    provider,
    treeView,
    model,
    treeView.onDidCollapseElement((e) => model.collapsed(e.element)),
    treeView.onDidExpandElement((e) => model.expanded(e.element)),
    pages,
    vscode.workspace.registerTextDocumentContentProvider(INFO_SCHEME, pages),
    monitor,
    status,
    store.onDidChange(() => {
      model.refresh();
      void monitor.checkNow();
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (affects(e, 'chroma.heartbeat.intervalSeconds')) {
        monitor.reschedule();
      }
    }),
    // Poll only while the window has focus; check at once when it comes back.
    vscode.window.onDidChangeWindowState((w) => (w.focused ? void monitor.resume() : monitor.pause())),
    vscode.languages.registerCodeLensProvider(TELEMETRY_LENS_SELECTOR, new TelemetryCodeLens()),
    watchLocalServer(store),
    registerCommand(log, Commands.showLog, () => log.show()),
    ...registerConnectionCommands(log.for('connections'), store, connectionNameOf),
    ...registerExplorerCommands(log.for('explorer'), model, picker),
    ...registerFindCollection(log.for('explorer'), model, treeView),
    ...registerFilterCommands(log.for('explorer'), model, picker, treeView, askFilter),
    ...registerManageCommands(log.for('manage'), model, picker),
    ...registerStatusCommands(log.for('status'), store, clients, monitor, pages),
    ...registerTelemetryCommands(log.for('telemetry'), pages),
    ...registerEmbeddingCommands(log.for('embedding'), embeddings, target),
    query,
    ...registerQueryCommands(log.for('query'), query),
    ...registerPlayground(log.for('playground'), { connections: () => store.list(), onConnectionsChanged: store.onDidChange, clientFor: (c) => clients.clientFor(c), target }),
    ...registerIngestCommands(log.for('ingest'), {
      clients,
      embeddings,
      target,
      remember: (t) => picker.remember(t),
      onWritten: (t) => model.refreshCollection(t.connection.name, t.collection),
    }),
    ...wireRecords(services),
    ...wireDataCommands(services),
    ...wireTransfer(services),
    ...wireOverview(services),
  );
  // The first heartbeat waits until activation is over: nothing in activate() needs it.
  const firstCheck = setTimeout(() => (vscode.window.state.focused ? void monitor.resume() : monitor.pause()), 0);
  context.subscriptions.push({ dispose: () => clearTimeout(firstCheck) });
  log.for('activate').info(`Chroma Explorer ${String(context.extension.packageJSON.version)} active`);
  return { store, model, tree: provider, treeView, monitor, status, embeddings, query, logUri: context.logUri };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
