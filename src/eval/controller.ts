/**
 * Evaluation sets in the Test Explorer: one test item per `*.chroma-eval.json(l)` file, one per case (with its
 * range, so the editor shows a run icon in the gutter, and its tags, so the explorer filters by them). A run
 * executes the chosen cases through the core's runner; a case passes when it reaches the set's threshold on every
 * target. Failure messages link to the case's hits in the Chroma Results view; the run's output has each file's
 * metrics, and the file's Evaluation Report is refreshed.
 */
import * as vscode from 'vscode';
import { Commands } from '../platform/commandIds';
import type { InfoDocuments } from '../platform/infoDocuments';
import type { Logger } from '../platform/log';
import { escapeMarkdown } from '../util/text';
import { caseLabel } from './core/caseId';
import { isCancel } from './core/queryVectors';
import { summaryLines } from './core/summary';
import type { CaseResult, EvalSet, EvalTarget } from './core/types';
import { hitsLink, reportPage, showReport } from './report';
import type { RecordedRun, EvalRuns } from './runs';
import { baseName, blockingProblem, EVAL_GLOB, findSets, isEvalUri, readSet } from './setFiles';
import type { ReadSet } from './setFiles';
import { KeyedTimers } from '../util/keyedTimers';

export const CONTROLLER_ID = 'chromaEval';
/** Edits settle this long before a set is read again. */
const DEBOUNCE_MS = 400;

/** A case's failure or error in one line; prefixed with the target when the set compares two. */
function messageText(target: EvalTarget, result: CaseResult, named: boolean): string {
  const prefix = named ? `${target.name} (${target.collection}): ` : '';
  return `${prefix}${result.message ?? (result.outcome === 'failed' ? "The case did not reach the set's recall." : 'The case could not run.')}`;
}

export class EvalTestController implements vscode.Disposable {
  readonly controller = vscode.tests.createTestController(CONTROLLER_ID, 'Chroma Evaluation');
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly timers = new KeyedTimers();
  /** Fires after each file's run has been recorded (tests and the report wait on it). */
  private readonly finished = new vscode.EventEmitter<RecordedRun>();
  readonly onDidFinishSet = this.finished.event;
  /** The last state each case was given (by file URI and case id), with its messages' text: what the explorer shows. */
  readonly outcomes = new Map<string, { state: 'passed' | 'failed' | 'errored'; messages: string[] }>();

  constructor(
    private readonly runs: EvalRuns,
    private readonly pages: InfoDocuments,
    private readonly log: Logger,
  ) {
    const c = this.controller;
    c.resolveHandler = async (item) => (item ? void (await this.refresh(item.uri as vscode.Uri)) : this.discover());
    c.refreshHandler = () => this.discover();
    c.createRunProfile('Run', vscode.TestRunProfileKind.Run, (req, token) => this.run(req, token, false), true);
    c.createRunProfile('Run and Show Evaluation Report', vscode.TestRunProfileKind.Run, (req, token) => this.run(req, token, true), false);
    const watcher = vscode.workspace.createFileSystemWatcher(EVAL_GLOB);
    this.subscriptions.push(
      c,
      this.finished,
      watcher,
      watcher.onDidCreate((u) => this.schedule(u, 0)),
      watcher.onDidChange((u) => this.schedule(u, 0)),
      watcher.onDidDelete((u) => c.items.delete(u.toString())),
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d.uri, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document.uri, DEBOUNCE_MS)),
    );
  }

  /** Finds every set of the workspace (and the open ones) and lists their cases. */
  async discover(): Promise<void> {
    const uris = await findSets();
    const open = vscode.workspace.textDocuments.map((d) => d.uri).filter((u) => isEvalUri(u) && !uris.some((x) => x.toString() === u.toString()));
    await Promise.all([...uris, ...open].map((u) => this.refresh(u)));
  }

  private schedule(uri: vscode.Uri, delay: number): void {
    if (!isEvalUri(uri)) {
      return;
    }
    this.timers.schedule(uri.toString(), delay, () => void this.refresh(uri));
  }

  /** Reads one set and replaces its items. Undefined when it cannot be read at all. */
  async refresh(uri: vscode.Uri): Promise<ReadSet | undefined> {
    let parsed: ReadSet;
    try {
      parsed = await readSet(uri);
    } catch (e) {
      this.log.warn(`could not read ${baseName(uri)}: ${e instanceof Error ? e.message : String(e)}`);
      this.controller.items.delete(uri.toString());
      return undefined;
    }
    const file = this.controller.items.get(uri.toString()) ?? this.controller.createTestItem(uri.toString(), baseName(uri), uri);
    file.label = parsed.set?.name ?? baseName(uri);
    file.description = parsed.set?.name ? baseName(uri) : undefined;
    file.error = blockingProblem(parsed);
    file.canResolveChildren = false;
    const items = (parsed.set?.cases ?? []).map((c) => {
      const item = this.controller.createTestItem(c.id, caseLabel(c), uri);
      item.range = parsed.lines.range(c.span);
      item.tags = c.tags.map((t) => new vscode.TestTag(t));
      item.sortText = String(c.span.start).padStart(12, '0');
      return item;
    });
    file.children.replace(items);
    this.controller.items.add(file);
    return parsed;
  }

  /** The files of a request, each with the case ids to run (undefined: all of them). */
  private chosen(req: vscode.TestRunRequest): Map<string, { uri: vscode.Uri; ids?: Set<string> }> {
    const out = new Map<string, { uri: vscode.Uri; ids?: Set<string> }>();
    const roots: vscode.TestItem[] = [];
    this.controller.items.forEach((i) => roots.push(i));
    for (const item of req.include ?? roots) {
      const file = item.parent ?? item;
      const entry = out.get(file.id) ?? { uri: file.uri as vscode.Uri, ids: new Set<string>() };
      if (item.parent === undefined) {
        entry.ids = undefined;
      } else if (entry.ids) {
        entry.ids.add(item.id);
      }
      out.set(file.id, entry);
    }
    for (const item of req.exclude ?? []) {
      const entry = out.get((item.parent ?? item).id);
      if (entry && item.parent === undefined) {
        out.delete(item.id);
      } else if (entry) {
        const ids = entry.ids ?? new Set<string>(this.caseIds(item.parent as vscode.TestItem));
        ids.delete(item.id);
        entry.ids = ids;
      }
    }
    return out;
  }

  private caseIds(file: vscode.TestItem): string[] {
    const ids: string[] = [];
    file.children.forEach((c) => ids.push(c.id));
    return ids;
  }

  private async run(req: vscode.TestRunRequest, token: vscode.CancellationToken, report: boolean): Promise<void> {
    const run = this.controller.createTestRun(req);
    const abort = new AbortController();
    const cancel = token.onCancellationRequested(() => abort.abort());
    try {
      for (const { uri, ids } of this.chosen(req).values()) {
        if (token.isCancellationRequested) {
          break;
        }
        const recorded = await this.runFile(run, uri, ids, abort.signal);
        if (recorded && report) {
          await showReport(this.pages, recorded, () => this.runs.last(uri));
        }
      }
    } finally {
      cancel.dispose();
      run.end();
    }
  }

  /** Runs one file's cases in a test run; the recorded run, or undefined when it could not run. */
  private async runFile(run: vscode.TestRun, uri: vscode.Uri, ids: Set<string> | undefined, signal: AbortSignal): Promise<RecordedRun | undefined> {
    const parsed = await this.refresh(uri);
    const fileItem = this.controller.items.get(uri.toString());
    if (!parsed?.set || !fileItem) {
      if (fileItem) {
        run.errored(fileItem, new vscode.TestMessage(fileItem.error ? String(fileItem.error) : `${baseName(uri)} cannot be read.`));
      }
      return undefined;
    }
    const set = parsed.set;
    const items = new Map<string, vscode.TestItem>();
    fileItem.children.forEach((i) => (ids === undefined || ids.has(i.id)) && items.set(i.id, i));
    items.forEach((i) => run.enqueued(i));
    const results = new Map<string, Array<{ target: EvalTarget; result: CaseResult }>>();
    const targets = set.compare ? 2 : 1;
    try {
      const recorded = await this.runs.run(uri, set, {
        caseIds: new Set(items.keys()),
        signal,
        onStart: (target, caseIds) => target === set.target && caseIds.forEach((id) => items.get(id) && run.started(items.get(id) as vscode.TestItem)),
        onResult: (target, result) => {
          const list = [...(results.get(result.caseId) ?? []), { target, result }];
          results.set(result.caseId, list);
          const item = items.get(result.caseId);
          if (item && list.length === targets) {
            this.report(run, item, set, list);
          }
        },
      });
      run.appendOutput(`${summaryLines(recorded.run, recorded.title).join('\r\n')}\r\n`);
      reportPage(this.pages, recorded, () => this.runs.last(uri));
      run.appendOutput(`The Evaluation Report of ${recorded.title}: run "Chroma: Show Evaluation Report".\r\n`);
      this.finished.fire(recorded);
      return recorded;
    } catch (e) {
      const why = isCancel(e, signal) ? 'The run was cancelled.' : e instanceof Error ? e.message : String(e);
      items.forEach((i) => !results.has(i.id) && (isCancel(e, signal) ? run.skipped(i) : run.errored(i, new vscode.TestMessage(why))));
      if (!isCancel(e, signal)) {
        run.appendOutput(`${baseName(uri)}: ${why}\r\n`);
      }
      return undefined;
    }
  }

  /** A case's state once every target has judged it. */
  private report(run: vscode.TestRun, item: vscode.TestItem, set: EvalSet, list: Array<{ target: EvalTarget; result: CaseResult }>): void {
    const bad = list.filter((x) => x.result.outcome !== 'passed');
    const key = `${item.uri?.toString() ?? ''}#${item.id}`;
    if (bad.length === 0) {
      run.passed(item);
      this.outcomes.set(key, { state: 'passed', messages: [] });
      return;
    }
    const messages = bad.map((x) => this.message(item, set, x.target, x.result, list.length > 1));
    const state = bad.some((x) => x.result.outcome === 'failed') ? 'failed' : 'errored';
    if (state === 'failed') {
      run.failed(item, messages);
    } else {
      run.errored(item, messages);
    }
    this.outcomes.set(key, { state, messages: bad.map((x) => messageText(x.target, x.result, list.length > 1)) });
  }

  private message(item: vscode.TestItem, set: EvalSet, target: EvalTarget, result: CaseResult, named: boolean): vscode.TestMessage {
    const md = new vscode.MarkdownString(escapeMarkdown(messageText(target, result, named)));
    const link = result.outcome === 'failed' ? hitsLink(set, target, result) : undefined;
    if (link) {
      md.appendMarkdown(`\n\n[Open these hits in the Chroma Results view](${link})`);
      md.isTrusted = { enabledCommands: [Commands.runQuerySpec] };
    }
    const message = new vscode.TestMessage(md);
    if (item.uri && item.range) {
      message.location = new vscode.Location(item.uri, item.range);
    }
    return message;
  }

  dispose(): void {
    this.timers.clear();
    this.subscriptions.forEach((s) => s.dispose());
  }
}
