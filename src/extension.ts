/**
 * Composition root: builds the services, registers the features that load with activation (src/featureTable.ts
 * says which) and stubs for the rest, and hands each feature the narrow set of services it asks for. Every
 * disposable goes to the context.
 */
import * as vscode from 'vscode';
import { ClientCache } from './connections/clients';
import { watchLocalServer } from './connections/localServer';
import { ConnectionStore } from './connections/store';
import type * as EmbeddingModule from './embedding/service';
import type { EmbeddingService } from './embedding/service';
import type * as PickerModule from './pickers/collectionPicker';
import * as explorer from './explorer';
import { ExplorerModel } from './explorer/core/model';
import type { ExplorerNode } from './explorer/core/model';
import { AddedDatabases } from './explorer/addedDatabases';
import { RememberedLargeDatabases } from './explorer/largeDatabases';
import { ExplorerTreeProvider } from './explorer/treeProvider';
import { Commands } from './platform/commandIds';
import { InfoDocuments, INFO_SCHEME } from './platform/infoDocuments';
import { createLog } from './platform/log';
import { registerCommand } from './platform/registerCommand';
import { affects, setting } from './platform/settings';
import { EXPLORER_VIEW_ID, OVERVIEW_VIEW_TYPE, RESULTS_VIEW_ID } from './platform/viewIds';
import { DeferredTreeData } from './platform/deferredTree';
import type * as FeaturesBundle from './features';
import type { Features } from './features';
import { LazyFeatures } from './lazyFeatures';
import { mainFeatureNames } from './featureTable';
import type { MainFeature } from './featureTable';
import { followAttention } from './status/attention';
import { registerStatusCommands } from './status/commands';
import { HeartbeatMonitor } from './status/core/monitor';
import { StatusItem } from './status/statusItem';
import { TELEMETRY_LENS_SELECTOR, TelemetryCodeLens } from './telemetry/codeLens';
import type { Services } from './services';
import * as records from './records';
import { AgentsHost } from './agents/host';
import { toolNamesOf } from './agents/toolNames';
import * as local from './local';

/** What the extension hands to other extensions (and to its own extension-host tests). */
export interface ChromaExplorerApi {
  store: ConnectionStore;
  model: ExplorerModel;
  tree: ExplorerTreeProvider;
  treeView: vscode.TreeView<ExplorerNode>;
  monitor: HeartbeatMonitor;
  status: StatusItem;
  embeddings: EmbeddingService;
  /** The second bundle's features (the query workbench, …), loaded now if they were not. */
  features(): Features;
  /** The commands whose first run loads them. */
  lazyCommandIds: readonly string[];
  logUri: vscode.Uri;
  local: local.LocalApi;
}

/** Stops the local servers this window started when the extension host ends. */
let stopLocalServers: (() => Promise<void>) | undefined;

export function activate(context: vscode.ExtensionContext): ChromaExplorerApi {
  const log = createLog();
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
  const picker = onFirstUse(() => {
    // esbuild.mjs (CHUNKS) makes this a require of dist/chunks/pickers.js: the pickers load on the first command that asks
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { CollectionPicker } = require('./pickers/collectionPicker') as typeof PickerModule;
    return new CollectionPicker(store, clients, context.globalState);
  });
  const target: Services['target'] = (arg, title, opts) => picker().targetOf(arg, title, opts);
  const pages = new InfoDocuments();
  const monitor = new HeartbeatMonitor({
    intervalMs: () => Math.max(0, setting('chroma.heartbeat.intervalSeconds')) * 1000,
    target: async () => {
      const connection = store.active;
      return connection ? { connection, client: await clients.clientFor(connection) } : undefined;
    },
  });
  const status = new StatusItem(monitor);
  const embeddings = onFirstUse(() => {
    // esbuild.mjs (CHUNKS) makes this a require of dist/chunks/embedding.js: the service loads on the first embedding
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { EmbeddingService } = require('./embedding/service') as typeof EmbeddingModule;
    return new EmbeddingService(context.globalState, context.secrets, log.for('embedding'));
  });
  const mcpChanged: Services['mcpChanged'] = (port) => {
    status.setMcpPort(port);
    agents.mcpChanged();
  };
  const services: Services = {
    ...{ context, log, store, clients, model, treeView, pages, target, mcpChanged },
    get picker() {
      return picker();
    },
    get embeddings() {
      return embeddings();
    },
  };
  // The results view exists from the start (VS Code needs its provider); its data comes with the features.
  const results = new DeferredTreeData<unknown>();
  const resultsView = vscode.window.createTreeView(RESULTS_VIEW_ID, { treeDataProvider: results, showCollapseAll: false });

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
    watchLocalServer(store),
    registerCommand(log, Commands.showLog, () => log.show()),
    results,
    resultsView,
  );
  let localApi: local.LocalApi | undefined;
  // One entry per 'activation' feature of the table (src/featureTable.ts); the rest are src/features.ts's.
  const activators: Record<MainFeature, () => vscode.Disposable[]> = {
    explorer: () => explorer.activate({ log: log.for('explorer'), model, treeView, picker }),
    status: () => registerStatusCommands(log.for('status'), store, clients, monitor, pages),
    records: () => records.activate(services),
    telemetryLens: () => [vscode.languages.registerCodeLensProvider(TELEMETRY_LENS_SELECTOR, new TelemetryCodeLens())],
    local: () => {
      const localFeature = local.activate({
        storageDir: context.globalStorageUri.fsPath,
        log: log.for('local'),
        connections: { addSession: (c) => store.addSession(c), removeSession: (n) => store.removeSession(n), setActive: (n) => store.setActive(n), save: (c) => store.save(c) },
        addSection: (section) => provider.addSection(section),
      });
      localApi = localFeature.api;
      stopLocalServers = () => localFeature.api.state.stopAll();
      return localFeature.disposables;
    },
  };
  context.subscriptions.push(...mainFeatureNames().flatMap((name) => activators[name]()));
  // Every declared command the main bundle did not register loads the features on first use.
  const lazy = new LazyFeatures(log.for('features'), Object.values(Commands), () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const bundle = require('./features') as typeof FeaturesBundle;
    return () => bundle.activateFeatures(services, { treeView: resultsView, attach: (p) => results.attach(p) });
  });
  // The agent tools are registered now (VS Code calls only tools registered by then); their code loads on first use.
  const agents = new AgentsHost({ toolNames: toolNamesOf(context.extension.packageJSON), load: () => lazy.tryLoad()?.agents, version: String(context.extension.packageJSON.version), log: log.for('agents') });
  context.subscriptions.push(
    lazy,
    agents,
    loadForPlaygrounds(lazy),
    // Overview panels open at the last window reload come back with their collection (the features bundle opens them).
    vscode.window.registerWebviewPanelSerializer(OVERVIEW_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, state: unknown) => {
        await lazy.get().restoreOverview(panel, state);
      },
    }),
  );
  context.subscriptions.push(...followAttention(monitor, [treeView, resultsView]));
  log.for('activate').info(`Chroma Explorer ${String(context.extension.packageJSON.version)} active`);
  return {
    store,
    model,
    tree: provider,
    treeView,
    monitor,
    status,
    get embeddings() {
      return embeddings();
    },
    features: () => lazy.get(),
    lazyCommandIds: lazy.commandIds,
    logUri: context.logUri,
    local: localApi!,
  };
}

/** The value `make` answers, made on the first call. */
function onFirstUse<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

/**
 * Playground files (`*.chroma.json`) need the features' completions, checks and CodeLens while they are open;
 * evaluation sets (`*.chroma-eval.json(l)`) need them too, and their tests are listed when the workspace has any.
 */
function loadForPlaygrounds(lazy: LazyFeatures): vscode.Disposable {
  const isPlayground = (d: vscode.TextDocument) => /\.(chroma\.json|chroma-eval\.jsonl?)$/.test(d.uri.path);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const load = () => {
    if (!lazy.current) {
      // after activation, not inside it
      timer ??= setTimeout(() => void lazy.tryLoad(), 0);
    }
  };
  if (vscode.workspace.textDocuments.some(isPlayground)) {
    load();
  }
  void vscode.workspace.findFiles('**/*.chroma-eval.{json,jsonl}', '**/node_modules/**', 1).then((found) => found.length > 0 && load(), () => undefined);
  const listener = vscode.workspace.onDidOpenTextDocument((d) => isPlayground(d) && load());
  return { dispose: () => (listener.dispose(), timer && clearTimeout(timer)) };
}

export async function deactivate(): Promise<void> {
  // Everything else is disposed through context.subscriptions; the servers this window started are awaited.
  await stopLocalServers?.();
}
