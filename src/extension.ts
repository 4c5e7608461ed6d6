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
import { createLog } from './ui/log';

/** What the extension hands to other extensions (and to its own extension-host tests). */
export interface ChromaExplorerApi {
  store: ConnectionStore;
  model: ExplorerModel;
  tree: ExplorerTreeProvider;
  treeView: vscode.TreeView<ExplorerNode>;
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

  context.subscriptions.push(
    log,
    store,
    clients,
    provider,
    treeView,
    documents,
    vscode.workspace.registerTextDocumentContentProvider(RECORD_SCHEME, documents),
    store.onDidChange(() => model.refresh()),
    watchLocalServer(store),
    registerCommand(log, Commands.checkServer, (url?: string) => checkServer(log, url)),
    registerCommand(log, Commands.showLog, () => log.show()),
    ...registerConnectionCommands(log, store),
    ...registerExplorerCommands(log, model),
  );
  log.info(`[activate] Chroma Explorer ${String(context.extension.packageJSON.version)} active`);
  return { store, model, tree: provider, treeView, logUri: context.logUri };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
