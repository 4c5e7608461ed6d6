/**
 * Retrieval evaluation (issue 23): evaluation sets (`*.chroma-eval.json` / `.jsonl`) checked and completed as they
 * are typed, run as tests in the Test Explorer, reported per file (the Evaluation Report, with past runs and the
 * changes since the last), and made from a collection or from the Chroma Results view. The schema comes through
 * package.json's `jsonValidation`.
 */
import * as vscode from 'vscode';
import { Commands } from '../platform/commandIds';
import { registerCommand } from '../platform/registerCommand';
import { PlaygroundCatalog } from '../query/playground/catalog';
import { PlaygroundCompletion } from '../query/playground/completion';
import { evalCompletionSite } from './core/completion';
import { formatOf } from './core/parse';
import { addCaseCommand } from './addCase';
import type { AddCaseAnswers } from './addCase';
import { EvalTestController } from './controller';
import type { EvalDeps } from './deps';
import { EvalDiagnostics } from './diagnostics';
import { generateCommand } from './generate';
import { showReport } from './report';
import { EvalRuns } from './runs';
import { EVAL_SELECTOR } from './setFiles';
import { writeReportsCommand } from './writeReports';

export type { EvalDeps, ShownQuery } from './deps';

/** What the extension's own tests reach. */
export interface EvalApi {
  tests: EvalTestController;
  runs: EvalRuns;
}

/** Shows the last run's report of a set: the one given (a URI), else one picked among this window's runs. */
async function reportCommand(deps: EvalDeps, runs: EvalRuns, arg: unknown): Promise<vscode.Uri | undefined> {
  const recorded = runs.recorded();
  let chosen = arg instanceof vscode.Uri ? runs.last(arg) : recorded.length === 1 ? recorded[0] : undefined;
  if (!chosen && recorded.length > 1) {
    const pick = await vscode.window.showQuickPick(
      recorded.map((r) => ({ label: r.title, description: r.file, r })),
      { title: 'Show Evaluation Report', placeHolder: 'The set whose last run to show' },
    );
    chosen = pick?.r;
    if (!pick) {
      return undefined;
    }
  }
  if (!chosen) {
    throw new Error('No evaluation set has run in this window yet: run one from the Test Explorer (or its gutter icon), then show its report.');
  }
  const r = chosen;
  return showReport(deps.pages, r, () => runs.last(r.uri));
}

export function activate(deps: EvalDeps): { api: EvalApi; disposables: vscode.Disposable[] } {
  const log = deps.log;
  const catalog = new PlaygroundCatalog({ connections: deps.connections, onConnectionsChanged: deps.onConnectionsChanged, clientFor: deps.clientFor, nResults: () => 10 }, log);
  const runs = new EvalRuns(deps);
  const tests = new EvalTestController(runs, deps.pages, log);
  void tests.discover().catch((e: unknown) => log.warn(`could not list the evaluation sets: ${e instanceof Error ? e.message : String(e)}`));
  const completion = new PlaygroundCompletion(catalog, async (doc, offset) => evalCompletionSite(doc.getText(), offset, formatOf(doc.uri.path)));
  const disposables = [
    catalog,
    tests,
    new EvalDiagnostics(catalog, deps, log),
    vscode.languages.registerCompletionItemProvider(EVAL_SELECTOR, completion, '"'),
    registerCommand(log, Commands.generateEvalSet, (arg?: unknown) => generateCommand(deps, arg)),
    registerCommand(log, Commands.addToEvalSet, (arg?: unknown, answers?: AddCaseAnswers) => addCaseCommand(deps, arg, answers)),
    registerCommand(log, Commands.writeEvalReports, () => writeReportsCommand(runs)),
    registerCommand(log, Commands.showEvalReport, (arg?: unknown) => reportCommand(deps, runs, arg)),
  ];
  return { api: { tests, runs }, disposables };
}
