/**
 * The second bundle (dist/features.js): the features src/featureTable.ts marks 'first use', loaded on the first use
 * of one of their commands, when a playground file is open, or when VS Code restores an overview panel. It shares
 * the main bundle's modules (one ChromaClient class, one connection store: see esbuild.mjs), so it gets the running
 * services, not copies. Each feature gets the narrow set of services its activate() asks for.
 */
import type * as vscode from 'vscode';
import type { Services } from './services';
import { lazyFeatureNames } from './featureTable';
import type { LazyFeature } from './featureTable';
import { registerQueryCommands } from './query/commands';
import { registerPlayground } from './query/playground';
import { QueryWorkbench } from './query/workbench';
import type { ResultsHost } from './query/resultsView';
import * as filter from './filter';
import { explainFilterError } from './filter/core/explain';
import { revealNode } from './explorer/revealNode';
import * as connections from './connections';
import { registerEmbeddingCommands } from './embedding/commands';
import * as collections from './collections';
import { connectionOf } from './explorer/core/model';
import type { ExplorerNode } from './explorer/core/model';
import { nodeOf } from './explorer/commandArgs';
import { registerTelemetryCommands } from './telemetry/commands';
import { registerIngestCommands } from './ingest/commands';
import * as transfer from './transfer';
import * as overviewFeature from './overview';
import type { OverviewCommands } from './overview/commands';
import { lastQueryIn } from './overview/mapData';
import * as evaluationFeature from './eval';
import type { EvalApi } from './eval';
import { shownQueryOf } from './eval/shownQuery';
import { activate as activateAgents } from './agents/index';
import type { AgentsApi } from './agents/host';
import { toolNamesOf } from './agents/toolNames';

export interface Features {
  query: QueryWorkbench;
  /** Opens an overview again in a panel VS Code restored after a window reload. */
  restoreOverview: OverviewCommands['restore'];
  /** Retrieval evaluation: its test controller and runs (the extension's own tests reach them). */
  evaluation: EvalApi;
  /** The agent tools and the MCP server. */
  agents: AgentsApi;
}

/** The connection of a tree node a command was run on, if the argument is one. */
function connectionNameOf(arg: unknown): string | undefined {
  const node = arg as ExplorerNode | undefined;
  return node && typeof node === 'object' && typeof node.kind === 'string' && typeof node.id === 'string' ? connectionOf(node).name : undefined;
}

/** The tree's node of the collection a command is about, when it is not run on one: a picked collection's. */
async function nodeOfTarget(s: Services, arg: unknown, title: string) {
  const t = await s.target(arg, title);
  return t && s.model.nodeOfCollection(t.connection.name, t.collection);
}

export function activateFeatures(s: Services, results: ResultsHost): { features: Features; disposables: vscode.Disposable[] } {
  const { log, store, clients, picker, context } = s;
  const query = new QueryWorkbench(log.for('query'), {
    clients,
    embeddings: s.embeddings,
    connection: (name) => store.get(name),
    target: s.target,
    record: (arg, title) => picker.recordOf(arg, title),
    last: () => picker.last(),
    remember: (t) => picker.remember(t),
    workspaceState: context.workspaceState,
  }, results);
  // The map highlights the last query's hits on its collection, and the query itself.
  const overview = overviewFeature.activate(s, { lastFor: (c, id) => lastQueryIn(query.view.shown(), c, id), onDidChange: (l) => query.view.onDidChangeTreeData(() => l()) });
  const evaluation = evaluationFeature.activate({
    log: log.for('eval'),
    connections: () => store.list(),
    onConnectionsChanged: store.onDidChange,
    clientFor: (c) => clients.clientFor(c),
    embeddings: s.embeddings,
    target: s.target,
    pages: s.pages,
    workspaceState: context.workspaceState,
    shownQuery: (arg) => shownQueryOf(arg, query.view.shown()),
  });
  const agents = activateAgents({
    log: log.for('agents'),
    secrets: context.secrets,
    globalState: context.globalState,
    version: String(context.extension.packageJSON.version),
    toolNames: toolNamesOf(context.extension.packageJSON),
    editor: {
      connections: () => store.list(),
      active: () => store.active,
      clientFor: (c) => clients.clientFor(c),
      embeddingFunction: (c, collection) => s.embeddings.silentFunctionFor(c, collection),
      checkSource: (link, document) => query.files.check(link, document),
      showRun: (run) => query.showRun(run),
    },
    mcpChanged: (port) => s.mcpChanged(port),
  });
  // One entry per 'first use' feature of the root's table (src/extension.ts FEATURES), in that order.
  const activators: Record<LazyFeature, () => vscode.Disposable[]> = {
    connections: () => connections.activate({ log: log.for('connections'), store, connectionNameOf }),
    embedding: () => registerEmbeddingCommands(log.for('embedding'), s.embeddings, s.target),
    filter: () =>
      filter.activate({
        log: log.for('explorer'),
        collectionNode: async (arg, title) => nodeOf(arg, 'collection') ?? (await nodeOfTarget(s, arg, title)),
        client: (node) => s.model.client(node),
        setFilter: (node, f) => s.model.setFilter(node, f, explainFilterError),
        reveal: (node) => revealNode(s.treeView, s.model, node, { select: true, focus: false, expand: true }),
      }),
    collections: () => collections.activate({ ...s, globalState: context.globalState }),
    query: () => [query, ...registerQueryCommands(log.for('query'), query)],
    playground: () =>
      registerPlayground(log.for('playground'), { connections: () => store.list(), onConnectionsChanged: store.onDidChange, clientFor: (c) => clients.clientFor(c), target: s.target }),
    ingest: () =>
      registerIngestCommands(log.for('ingest'), {
        clients,
        embeddings: s.embeddings,
        target: s.target,
        remember: (t) => picker.remember(t),
        onWritten: (t) => s.model.refreshCollection(t.connection.name, t.collection),
      }),
    transfer: () => transfer.activate(s),
    overview: () => overview.disposables,
    telemetry: () => registerTelemetryCommands(log.for('telemetry'), s.pages),
    evaluation: () => evaluation.disposables,
    agents: () => agents.disposables,
  };
  const disposables = lazyFeatureNames().flatMap((name) => activators[name]());
  return { features: { query, restoreOverview: overview.restore, evaluation: evaluation.api, agents: agents.api }, disposables };
}
