/**
 * Composition root: builds the services (src/services.ts), registers the features that load with activation
 * (src/featureTable.ts says which) and stubs for the rest, and hands each feature the narrow set of services it
 * asks for. Every disposable goes to the context.
 */
import * as vscode from 'vscode';
import { watchLocalServer } from './connections/localServer';
import type { ConnectionStore } from './connections/store';
import type { EmbeddingService } from './embedding/service';
import * as explorer from './explorer';
import type { ExplorerModel, ExplorerNode } from './explorer/core/model';
import type { ExplorerTreeProvider } from './explorer/treeProvider';
import { Commands } from './platform/commandIds';
import { INFO_SCHEME } from './platform/infoDocuments';
import { createLog } from './platform/log';
import { registerCommand } from './platform/registerCommand';
import { OVERVIEW_VIEW_TYPE } from './platform/viewIds';
import type * as FeaturesBundle from './features';
import type { Features } from './features';
import { LazyFeatures } from './lazyFeatures';
import { mainFeatureNames } from './featureTable';
import type { MainFeature } from './featureTable';
import * as status from './status';
import type { HeartbeatMonitor } from './status/core/monitor';
import type { StatusItem } from './status/statusItem';
import { TELEMETRY_LENS_SELECTOR, TelemetryCodeLens } from './telemetry/codeLens';
import { createServices } from './services';
import type { Services, Shell } from './services';
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
  /** The embedding service, made (its chunk loaded) on first use. */
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
  const { services, shell } = createServices(context, log);
  const { store, model, treeView, pages } = services;
  const { provider, monitor, results, resultsView } = shell;
  context.subscriptions.push(
    ...[log, store, services.clients, provider, treeView, model, pages, monitor, shell.status, results, resultsView],
    treeView.onDidCollapseElement((e) => model.collapsed(e.element)),
    treeView.onDidExpandElement((e) => model.expanded(e.element)),
    vscode.workspace.registerTextDocumentContentProvider(INFO_SCHEME, pages),
    store.onDidChange(() => model.refresh()),
    watchLocalServer(store),
    registerCommand(log, Commands.showLog, () => log.show()),
  );
  const activators = mainActivators(services, shell);
  context.subscriptions.push(...mainFeatureNames().flatMap((name) => activators[name]()));
  // Every declared command the main bundle did not register loads the features on first use.
  const lazy = new LazyFeatures(log.for('features'), Object.values(Commands), () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const bundle = require('./features') as typeof FeaturesBundle;
    return () => bundle.activateFeatures(services, { treeView: resultsView, attach: (p) => results.attach(p) });
  });
  // The agent tools are registered now (VS Code calls only tools registered by then); their code loads on first use.
  const version = String(context.extension.packageJSON.version);
  const agents = new AgentsHost({ toolNames: toolNamesOf(context.extension.packageJSON), load: () => lazy.tryLoad()?.agents, version, log: log.for('agents') });
  shell.onMcpChanged = () => agents.mcpChanged();
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
  log.for('activate').info(`Chroma Explorer ${version} active`);
  return {
    ...{ store, model, tree: provider, treeView, monitor, status: shell.status, logUri: context.logUri, local: shell.local! },
    get embeddings() {
      return services.embeddings;
    },
    features: () => lazy.get(),
    lazyCommandIds: lazy.commandIds,
  };
}

/** One entry per 'activation' feature of the table (src/featureTable.ts); the rest are src/features.ts's. */
function mainActivators(s: Services, shell: Shell): Record<MainFeature, () => vscode.Disposable[]> {
  const { log, store, model, treeView } = s;
  return {
    explorer: () => explorer.activate({ log: log.for('explorer'), model, picker: () => s.picker }),
    status: () => status.activate({ log: log.for('status'), store, clients: s.clients, monitor: shell.monitor, pages: s.pages, views: [treeView, shell.resultsView] }),
    records: () => records.activate(s),
    telemetryLens: () => [vscode.languages.registerCodeLensProvider(TELEMETRY_LENS_SELECTOR, new TelemetryCodeLens())],
    local: () => {
      const feature = local.activate({
        storageDir: s.context.globalStorageUri.fsPath,
        log: log.for('local'),
        connections: { addSession: (c) => store.addSession(c), removeSession: (n) => store.removeSession(n), setActive: (n) => store.setActive(n), save: (c) => store.save(c) },
        addSection: (section) => shell.provider.addSection(section),
      });
      shell.local = feature.api;
      stopLocalServers = () => feature.api.state.stopAll();
      return feature.disposables;
    },
  };
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
