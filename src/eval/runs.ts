/**
 * Runs sets with the extension's connections and embedding functions, and keeps what later runs compare with, per
 * workspace: each set's last JSON report (for "changed since the last run") and its metrics over past runs.
 */
import type * as vscode from 'vscode';
import { quote } from '../chroma/sanitize';
import { changedCases } from './core/changes';
import type { CaseChange } from './core/changes';
import { runSet } from './core/evaluate';
import type { SetRun, SetRunDeps } from './core/evaluate';
import { appendHistory, historyEntry, readHistory } from './core/history';
import type { HistoryEntry } from './core/history';
import { parseJsonReport, toJsonReport } from './core/reportJson';
import type { JsonReport } from './core/reportJson';
import type { EvalSet, EvalTarget } from './core/types';
import type { EvalDeps } from './deps';
import { setTitle, workspacePath } from './setFiles';

const HISTORY_KEY = 'chroma.eval.history';
const LAST_KEY = 'chroma.eval.lastReports';

/** A finished run of a set, with what the report shows beside it. */
export interface RecordedRun {
  uri: vscode.Uri;
  title: string;
  file: string;
  set: EvalSet;
  run: SetRun;
  report: JsonReport;
  /** Since the set's previous full run; undefined when it has none. */
  changes?: CaseChange[];
  history: HistoryEntry[];
}

export type RunOptions = Omit<SetRunDeps, 'connect'>;

export class EvalRuns {
  private readonly latest = new Map<string, RecordedRun>();

  constructor(private readonly deps: Pick<EvalDeps, 'connections' | 'clientFor' | 'embeddings' | 'workspaceState'>) {}

  /** A client and the embedding-function lookup for a target's connection. */
  readonly connect: SetRunDeps['connect'] = async (target: EvalTarget) => {
    const connection = this.deps.connections().find((c) => c.name === target.connection);
    if (!connection) {
      throw new Error(`There is no connection named ${quote(target.connection)}: add it in the Chroma view, or use the name of one you have in the set's "connection".`);
    }
    const client = await this.deps.clientFor(connection);
    return {
      client,
      embedderFor: async (collection) => {
        const fn = await this.deps.embeddings.functionFor(connection, collection);
        return fn && ((texts, signal) => fn.embed(texts, { signal }));
      },
    };
  };

  /** Runs the set (all its cases, or `opts.caseIds`) and records it. */
  async run(uri: vscode.Uri, set: EvalSet, opts: RunOptions = {}): Promise<RecordedRun> {
    const run = await runSet(set, { ...opts, connect: this.connect });
    const subset = opts.caseIds !== undefined && set.cases.some((c) => !opts.caseIds?.has(c.id));
    return this.record(uri, set, run, subset);
  }

  /** The last run of each set in this window, by URI. */
  last(uri: vscode.Uri): RecordedRun | undefined {
    return this.latest.get(uri.toString());
  }

  recorded(): RecordedRun[] {
    return [...this.latest.values()];
  }

  history(file: string): HistoryEntry[] {
    return readHistory(this.state<Record<string, unknown>>(HISTORY_KEY)[file]);
  }

  private async record(uri: vscode.Uri, set: EvalSet, run: SetRun, subset: boolean): Promise<RecordedRun> {
    const file = workspacePath(uri);
    const title = setTitle({ set }, uri);
    const report = toJsonReport(run, { set: title, file });
    const lastReports = this.state<Record<string, unknown>>(LAST_KEY);
    const previous = lastReports[file] === undefined ? undefined : parseJsonReport(JSON.stringify(lastReports[file]));
    const changes = previous && 'report' in previous ? changedCases(previous.report, report, { subset }) : undefined;
    let history = this.history(file);
    // only runs of every case belong in the history and are the baseline of the next run
    if (!subset) {
      history = appendHistory(history, historyEntry(run));
      await this.deps.workspaceState.update(HISTORY_KEY, { ...this.state<Record<string, unknown>>(HISTORY_KEY), [file]: history });
      await this.deps.workspaceState.update(LAST_KEY, { ...lastReports, [file]: report });
    }
    const recorded: RecordedRun = { uri, title, file, set, run, report, changes, history };
    this.latest.set(uri.toString(), recorded);
    return recorded;
  }

  private state<T extends object>(key: string): T {
    const v = this.deps.workspaceState.get<unknown>(key);
    return (typeof v === 'object' && v !== null && !Array.isArray(v) ? v : {}) as T;
  }
}
