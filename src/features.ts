/**
 * The second bundle (dist/features.js): what activation does not need, loaded on the first use of one of its
 * commands, when a playground file is open, or when a filter is first asked for. The query workbench, playground
 * files, connection and embedding-function commands, the telemetry helpers, adding documents from the editor,
 * managing collections, bulk and database commands, collection settings,
 * export/import/copy and the collection overview. It shares the main bundle's modules (one ChromaClient
 * class, one connection store: see esbuild.mjs), so it gets the running services, not copies.
 */
import type * as vscode from 'vscode';
import type { Services } from './services';
import { registerQueryCommands } from './query/commands';
import { registerPlayground } from './query/playground';
import { QueryWorkbench } from './query/workbench';
import type { ResultsHost } from './query/resultsView';
import { describeFilter, explainFilterError } from './query/core/filter';
import { askFilter } from './query/filterInput';
import { registerConnectionCommands } from './connections/commands';
import { registerEmbeddingCommands } from './embedding/commands';
import { wireDataCommands } from './explorer/dataCommands';
import { connectionOf } from './explorer/core/model';
import type { ExplorerNode } from './explorer/core/model';
import { registerTelemetryCommands } from './telemetry/commands';
import { registerManageCommands } from './explorer/manageCommands';
import { registerIngestCommands } from './ingest/commands';
import { wireTransfer } from './transfer/wire';
import { wireOverview } from './overview/wire';
import type { OverviewCommands } from './overview/commands';
import { lastQueryIn } from './overview/mapData';
import { activate as activateAgents } from './agents/index';
import type { AgentsApi } from './agents/host';
import { toolNamesOf } from './agents/toolNames';

export interface Features {
  query: QueryWorkbench;
  askFilter: typeof askFilter;
  describeFilter: typeof describeFilter;
  explainFilterError: typeof explainFilterError;
  /** Opens an overview again in a panel VS Code restored after a window reload. */
  restoreOverview: OverviewCommands['restore'];
  /** The agent tools and the MCP server. */
  agents: AgentsApi;
}

/** The connection of a tree node a command was run on, if the argument is one. */
function connectionNameOf(arg: unknown): string | undefined {
  const node = arg as ExplorerNode | undefined;
  return node && typeof node === 'object' && typeof node.kind === 'string' && typeof node.id === 'string' ? connectionOf(node).name : undefined;
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
  const overview = wireOverview(s, { lastFor: (c, id) => lastQueryIn(query.view.shown(), c, id), onDidChange: (l) => query.view.onDidChangeTreeData(() => l()) });
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
  const disposables = [
    query,
    ...agents.disposables,
    ...registerQueryCommands(log.for('query'), query),
    ...registerPlayground(log.for('playground'), { connections: () => store.list(), onConnectionsChanged: store.onDidChange, clientFor: (c) => clients.clientFor(c), target: s.target }),
    ...registerConnectionCommands(log.for('connections'), store, connectionNameOf),
    ...registerTelemetryCommands(log.for('telemetry'), s.pages),
    ...registerEmbeddingCommands(log.for('embedding'), s.embeddings, s.target),
    ...registerManageCommands(log.for('manage'), s.model, picker),
    ...registerIngestCommands(log.for('ingest'), {
      clients,
      embeddings: s.embeddings,
      target: s.target,
      remember: (t) => picker.remember(t),
      onWritten: (t) => s.model.refreshCollection(t.connection.name, t.collection),
    }),
    ...wireDataCommands(s),
    ...wireTransfer(s),
    ...overview.disposables,
  ];
  return { features: { query, askFilter, describeFilter, explainFilterError, restoreOverview: overview.restore, agents: agents.api }, disposables };
}
