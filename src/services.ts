/**
 * What the composition root hands to each feature's wiring function: the extension's shared services, built once
 * in activate() by createServices. Features take what they need from here instead of importing each other's
 * internals. The pickers and the embedding service are made on first use: their code is a chunk of its own
 * (esbuild.mjs CHUNKS), never loaded at activation.
 */
import * as vscode from 'vscode';
import { ClientCache } from './connections/clients';
import { ConnectionStore } from './connections/store';
import type * as EmbeddingModule from './embedding/service';
import type { EmbeddingService } from './embedding/service';
import { AddedDatabases } from './explorer/addedDatabases';
import { ExplorerModel } from './explorer/core/model';
import type { ExplorerNode } from './explorer/core/model';
import type { LocalApi } from './local';
import { RememberedLargeDatabases } from './explorer/largeDatabases';
import { ExplorerTreeProvider } from './explorer/treeProvider';
import type * as PickerModule from './pickers/collectionPicker';
import type { CollectionPicker, Target } from './pickers/collectionPicker';
import { DeferredTreeData } from './platform/deferredTree';
import { InfoDocuments } from './platform/infoDocuments';
import type { Log } from './platform/log';
import { setting } from './platform/settings';
import { EXPLORER_VIEW_ID, RESULTS_VIEW_ID } from './platform/viewIds';
import { HeartbeatMonitor } from './status/core/monitor';
import { StatusItem } from './status/statusItem';

export interface Services {
  context: vscode.ExtensionContext;
  log: Log;
  store: ConnectionStore;
  clients: ClientCache;
  model: ExplorerModel;
  treeView: vscode.TreeView<ExplorerNode>;
  picker: CollectionPicker;
  embeddings: EmbeddingService;
  pages: InfoDocuments;
  /** The collection a command was run on (tree node, record, result hit), or one the user picks. */
  target(arg: unknown, title: string, opts?: { allowNew?: boolean }): Promise<Target | undefined>;
  /** The agents' MCP server started (its port) or stopped: the status bar and VS Code's MCP list follow. */
  mcpChanged(port: number | undefined): void;
}

/** What activation shows at once beside the services: the tree's provider, the heartbeat and its item, the results view. */
export interface Shell {
  provider: ExplorerTreeProvider;
  monitor: HeartbeatMonitor;
  status: StatusItem;
  /** The results view exists from the start (VS Code needs its provider); its data comes with the features. */
  results: DeferredTreeData<unknown>;
  resultsView: vscode.TreeView<unknown>;
  /** Told when the MCP server's port changes (the agents host, once made). */
  onMcpChanged?: () => void;
  /** The local feature's API, once it is activated. */
  local?: LocalApi;
}

/** The value `make` answers, made on the first call. */
export function onFirstUse<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

export function createServices(context: vscode.ExtensionContext, log: Log): { services: Services; shell: Shell } {
  const store = new ConnectionStore(context.secrets, context.globalState, log.for('connections'));
  const clients = new ClientCache(store, log.for('http'));
  const model = new ExplorerModel({
    connections: () => store.list(),
    clientFor: (c) => clients.clientFor(c),
    sortedListLimit: () => setting('chroma.explorer.sortedListLimit'),
    largeDatabases: new RememberedLargeDatabases(context.globalState),
    addedDatabases: (connection, tenant) => new AddedDatabases(context.globalState).list(connection, tenant),
  });
  const provider = new ExplorerTreeProvider(model);
  const treeView = vscode.window.createTreeView(EXPLORER_VIEW_ID, { treeDataProvider: provider, showCollapseAll: true, canSelectMany: true });
  const monitor = new HeartbeatMonitor({
    intervalMs: () => Math.max(0, setting('chroma.heartbeat.intervalSeconds')) * 1000,
    target: async () => {
      const connection = store.active;
      return connection ? { connection, client: await clients.clientFor(connection) } : undefined;
    },
  });
  const results = new DeferredTreeData<unknown>();
  const shell: Shell = {
    provider,
    monitor,
    status: new StatusItem(monitor),
    results,
    resultsView: vscode.window.createTreeView(RESULTS_VIEW_ID, { treeDataProvider: results, showCollapseAll: false }),
  };
  const picker = onFirstUse(() => {
    // esbuild.mjs (CHUNKS) makes this a require of dist/chunks/pickers.js
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { CollectionPicker } = require('./pickers/collectionPicker') as typeof PickerModule;
    return new CollectionPicker(store, clients, context.globalState);
  });
  const embeddings = onFirstUse(() => {
    // esbuild.mjs (CHUNKS) makes this a require of dist/chunks/embedding.js
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { EmbeddingService } = require('./embedding/service') as typeof EmbeddingModule;
    return new EmbeddingService(context.globalState, context.secrets, log.for('embedding'));
  });
  const services: Services = {
    ...{ context, log, store, clients, model, treeView, pages: new InfoDocuments() },
    get picker() {
      return picker();
    },
    get embeddings() {
      return embeddings();
    },
    target: (arg, title, opts) => picker().targetOf(arg, title, opts),
    mcpChanged: (port) => {
      shell.status.setMcpPort(port);
      shell.onMcpChanged?.();
    },
  };
  return { services, shell };
}
