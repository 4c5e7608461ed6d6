/**
 * The query workbench's VS Code side: runs QuerySpecs through the one query path (`runQuery`) with the
 * connection's client and the collection's own embedding function, shows them in the results view, keeps the
 * workspace's query history, and owns the view, the source-file checks and the gutter marks.
 */
import * as vscode from 'vscode';
import { describeError } from '../chroma';
import type { ChromaClient, Collection } from '../chroma';
import type { ClientCache } from '../connections/clients';
import type { ConnectionConfig } from '../connections/core/connectionConfig';
import type { Target } from '../connections/core/target';
import type { EmbeddingService } from '../embedding/service';
import type { Logger } from '../platform/log';
import { affects, setting } from '../platform/settings';
import { CollectionCache } from './core/collectionCache';
import type { Filter } from '../filter/core/filter';
import { addToHistory, readHistory } from './core/history';
import type { HistoryEntry } from './core/history';
import type { ResultsEntry } from './core/resultsModel';
import { runQuery } from './core/run';
import type { QueryInput, QueryRun, QuerySpec } from './core/spec';
import { completeSpec, DEFAULT_INCLUDE } from './core/specInput';
import type { QuerySpecArg } from './core/specInput';
import { SourceLineDecorations } from './decorations';
import { askFilter } from '../filter/input';
import type { QueryOptions } from './queryInput';
import { RESULTS_VIEW_ID, ResultsView } from './resultsView';
import type { ResultsHost } from './resultsView';
import { SourceFiles } from './sourceFiles';

/** What the workbench needs from the rest of the extension, handed over by the composition root. */
export interface QueryDeps {
  clients: Pick<ClientCache, 'clientFor'>;
  embeddings: Pick<EmbeddingService, 'functionFor'>;
  /** A saved connection by name. */
  connection: (name: string) => ConnectionConfig | undefined;
  /** The collection a command is about: its tree node or TargetArg, else one the user picks. */
  target: (arg: unknown, title: string) => Promise<Target | undefined>;
  /** The record a command is about: its tree node, else one the user picks. */
  record: (arg: unknown, title: string) => Promise<(Target & { recordId: string }) | undefined>;
  /** The collection used last (by a query or an add), if it still exists. */
  last: () => Promise<Target | undefined>;
  remember: (t: Target) => Promise<void>;
  /** Where the history lives: the workspace's own state. */
  workspaceState: vscode.Memento;
}

const HISTORY_KEY = 'chroma.query.history';

/** The user declined a step (e.g. choosing an embedding function): nothing to report. */
class Declined extends Error {}

export class QueryWorkbench implements vscode.Disposable {
  readonly files = new SourceFiles();
  readonly decorations = new SourceLineDecorations(() => setting('chroma.query.highlightSourceLines'));
  readonly view: ResultsView;
  private seq = 0;
  private readonly collections = new CollectionCache();
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly log: Logger,
    readonly deps: QueryDeps,
    results: ResultsHost,
  ) {
    this.view = new ResultsView(this.files, this.decorations, results);
    this.subscriptions = [
      this.view,
      this.decorations,
      this.files,
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (affects(e, 'chroma.query.highlightSourceLines')) {
          this.decorations.refresh();
        }
      }),
    ];
  }

  /** The options a query starts with: `chroma.query.nResults`, no filter, no embeddings. */
  defaultOptions(): QueryOptions {
    return { nResults: Math.min(1000, Math.max(1, Math.floor(setting('chroma.query.nResults') || 10))), filter: {}, includeEmbeddings: false };
  }

  specFor(t: Target, input: QueryInput, options: QueryOptions = this.defaultOptions()): QuerySpec {
    return {
      connection: t.connection.name,
      tenant: t.collection.tenant,
      database: t.collection.database,
      collection: t.collection.name,
      input,
      nResults: options.nResults,
      ...(options.filter.where ? { where: options.filter.where } : {}),
      ...(options.filter.whereDocument ? { whereDocument: options.filter.whereDocument } : {}),
      include: options.includeEmbeddings ? [...DEFAULT_INCLUDE, 'embeddings'] : [...DEFAULT_INCLUDE],
    };
  }

  connectionOf(name: string): ConnectionConfig {
    const connection = this.deps.connection(name);
    if (!connection) {
      throw new Error(`There is no connection named "${name.slice(0, 100)}": add it in the Chroma view, or use the name of one you have. Nothing was sent.`);
    }
    return connection;
  }

  async clientFor(name: string): Promise<ChromaClient> {
    return this.deps.clients.clientFor(this.connectionOf(name));
  }

  /** An argument's spec completed: the connection's tenant and database, the configured n_results. */
  async complete(arg: QuerySpecArg): Promise<QuerySpec> {
    const defaults = { tenant: arg.tenant ?? '', database: arg.database ?? '', nResults: this.defaultOptions().nResults };
    if (arg.tenant === undefined || arg.database === undefined) {
      const scope = await (await this.clientFor(arg.connection)).scope();
      defaults.tenant = arg.tenant ?? scope.tenant;
      defaults.database = arg.database ?? scope.database;
    }
    return completeSpec(arg, defaults);
  }

  /** Asks for a filter for a collection, starting from `current` (undefined: cancelled). */
  async askFilter(connection: string, collection: Collection, current: Filter): Promise<Filter | undefined> {
    return askFilter(await this.clientFor(connection), collection, current);
  }

  /** Runs one query. Undefined when the user declined a step it needed (choosing an embedding function). */
  async runOne(spec: QuerySpec): Promise<QueryRun | undefined> {
    const connection = this.connectionOf(spec.connection);
    const client = await this.deps.clients.clientFor(connection);
    try {
      const run = await runQuery(spec, {
        client,
        collections: this.collections,
        embed: async (collection, texts) => {
          const fn = await this.deps.embeddings.functionFor(connection, collection);
          if (!fn) {
            throw new Declined();
          }
          return { vectors: await fn.embed(texts), functionName: fn.name };
        },
      });
      void this.deps.remember({ connection, collection: run.collection });
      return run;
    } catch (e) {
      if (e instanceof Declined) {
        return undefined;
      }
      this.log.warn(`${spec.connection}/${spec.collection}: ${describeError(e)}`);
      throw e;
    }
  }

  /**
   * Runs queries and shows them. One query that fails throws (the command shows why) and leaves the view as it
   * was; of several, each failure is shown under its own header. Resolves to what was shown (empty: declined).
   */
  async run(specs: readonly QuerySpec[]): Promise<ResultsEntry[]> {
    const title = specs.length === 1 ? `Querying ${specs[0].collection}` : `Running ${specs.length} queries`;
    const entries = await vscode.window.withProgress({ location: { viewId: RESULTS_VIEW_ID }, title }, () =>
      vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title }, async () => {
        const out: ResultsEntry[] = [];
        for (const spec of specs) {
          const seq = ++this.seq;
          try {
            const run = await this.runOne(spec);
            if (run) {
              out.push({ seq, spec, run });
            } else if (specs.length === 1) {
              return [];
            } else {
              out.push({ seq, spec, error: 'Cancelled: no embedding function was chosen.' });
            }
          } catch (e) {
            if (specs.length === 1) {
              throw e;
            }
            out.push({ seq, spec, error: describeError(e) });
          }
        }
        return out;
      }),
    );
    if (entries.length === 0) {
      return entries;
    }
    await this.view.show(entries);
    await this.record(entries);
    const failed = entries.filter((e) => e.error !== undefined);
    if (failed.length > 0) {
      void vscode.window.showWarningMessage(`${failed.length} of ${entries.length} queries failed; the Chroma Results view says why.`);
    }
    return entries;
  }

  /** Shows a query another part ran (an agent tool), in place of what the view showed, without taking the focus. */
  async showRun(run: QueryRun): Promise<void> {
    await this.view.show([{ seq: ++this.seq, spec: run.spec, run }]);
  }

  history(): HistoryEntry[] {
    return readHistory(this.deps.workspaceState.get(HISTORY_KEY));
  }

  async setHistory(list: readonly HistoryEntry[]): Promise<void> {
    await this.deps.workspaceState.update(HISTORY_KEY, list.length > 0 ? list : undefined);
  }

  private async record(entries: readonly ResultsEntry[]): Promise<void> {
    let list = this.history();
    for (const e of entries) {
      if (e.run) {
        list = addToHistory(list, { spec: e.spec, ranAt: e.run.ranAt, hits: e.run.hits.length });
      }
    }
    await this.setHistory(list);
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
  }
}
