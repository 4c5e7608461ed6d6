/** Composition root: builds the services and registers each feature; every disposable goes to the context. */
import * as vscode from 'vscode';
import { checkServer } from './commands/checkServer';
import { Commands } from './commands/ids';
import { registerCommand } from './commands/register';
import { ClientCache } from './connections/clients';
import { registerConnectionCommands } from './connections/commands';
import { watchLocalServer } from './connections/localServer';
import { ConnectionStore } from './connections/store';
import { registerExplorerCommands } from './explorer/commands';
import { EXPLORER_VIEW_ID } from './explorer/contextValues';
import { ChromaDocumentProvider } from './explorer/documents';
import { ExplorerTreeProvider } from './explorer/treeProvider';
import { ExplorerModel } from './model/explorer';
import type { ExplorerNode } from './model/explorer';
import { RECORD_SCHEME } from './model/recordView';
import { HeartbeatMonitor } from './health/monitor';
import { registerStatusCommands } from './status/commands';
import { InfoDocuments, INFO_SCHEME } from './status/infoDocuments';
import { StatusItem } from './status/statusItem';
import { TELEMETRY_LENS_SELECTOR, TelemetryCodeLens } from './status/telemetryLens';
import { createLog } from './ui/log';
import { registerEmbeddingCommands } from './embeddingUi/commands';
import { EmbeddingService } from './embeddingUi/service';
import { registerIngestCommands } from './ingestUi/commands';
import { CollectionPicker } from './explorer/collectionPicker';
import { registerManageCommands } from './manage/commands';

export const HEARTBEAT_INTERVAL_SETTING = 'chroma.heartbeat.intervalSeconds';

/** What the extension hands to other extensions (and to its own extension-host tests). */
export interface ChromaExplorerApi {
  store: ConnectionStore;
  model: ExplorerModel;
  tree: ExplorerTreeProvider;
  treeView: vscode.TreeView<ExplorerNode>;
  monitor: HeartbeatMonitor;
  status: StatusItem;
  embeddings: EmbeddingService;
  logUri: vscode.Uri;
}

export function activate(context: vscode.ExtensionContext): ChromaExplorerApi {
  const log = createLog();
  const store = new ConnectionStore(context.secrets, context.globalState, log);
  const clients = new ClientCache(store, log);
  const model = new ExplorerModel({ connections: () => store.list(), clientFor: (c) => clients.clientFor(c) });
  const provider = new ExplorerTreeProvider(model);
  const treeView = vscode.window.createTreeView(EXPLORER_VIEW_ID, { treeDataProvider: provider, showCollapseAll: true });
  const documents = new ChromaDocumentProvider(store, clients);
  const pages = new InfoDocuments();
  const monitor = new HeartbeatMonitor({
    intervalMs: () => Math.max(0, vscode.workspace.getConfiguration().get<number>(HEARTBEAT_INTERVAL_SETTING, 15)) * 1000,
    target: async () => {
      const connection = store.active;
      return connection ? { connection, client: await clients.clientFor(connection) } : undefined;
    },
  });
  const status = new StatusItem(monitor);
  const embeddings = new EmbeddingService(context.globalState, context.secrets, log);

  context.subscriptions.push(
    log,
    store,
    clients,
    provider,
    treeView,
    vscode.workspace.registerTextDocumentContentProvider(RECORD_SCHEME, documents),
    pages,
    vscode.workspace.registerTextDocumentContentProvider(INFO_SCHEME, pages),
    monitor,
    status,
    store.onDidChange(() => {
      model.refresh();
      void monitor.checkNow();
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(HEARTBEAT_INTERVAL_SETTING)) {
        monitor.reschedule();
      }
    }),
    // Poll only while the window has focus; check at once when it comes back.
    vscode.window.onDidChangeWindowState((w) => (w.focused ? void monitor.resume() : monitor.pause())),
    vscode.languages.registerCodeLensProvider(TELEMETRY_LENS_SELECTOR, new TelemetryCodeLens()),
    watchLocalServer(store),
    registerCommand(log, Commands.checkServer, (url?: string) => checkServer(log, url)),
    registerCommand(log, Commands.showLog, () => log.show()),
    ...registerConnectionCommands(log, store),
    ...registerExplorerCommands(log, model),
    ...registerStatusCommands(log, store, clients, monitor, pages),
    ...registerEmbeddingCommands(log, model, embeddings, pages),
    ...registerManageCommands(log, model),
    ...registerIngestCommands(log, { clients, model, embeddings, picker: new CollectionPicker(store, clients, context.globalState) }),
  );
  if (vscode.window.state.focused) {
    void monitor.resume();
  } else {
    monitor.pause();
  }
  log.info(`[activate] Chroma Explorer ${String(context.extension.packageJSON.version)} active`);
  return { store, model, tree: provider, treeView, monitor, status, embeddings, logUri: context.logUri };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
