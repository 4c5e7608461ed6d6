/**
 * What the results view does: Go to Source, Open Record, Copy Results as JSON, Re-run, Filter, Number of Results,
 * Run in Another Collection and History. Each re-run goes through the workbench's one query path.
 */
import * as vscode from 'vscode';
import { isTargetArg } from '../connections/core/target';
import { inputStep, pickStep } from '../platform/quickInput';
import { openRecord } from '../records/uri';
import { displayLine, escapeIcons, notificationText } from '../util/text';
import type { Filter } from '../filter/core/filter';
import { removeFromHistory } from './core/history';
import { clock, describeInput, filterText, resultsJson } from './core/resultsModel';
import type { ResultsEntry } from './core/resultsModel';
import { checkFreshness, describeLink, linesToShow } from './core/sourceLink';
import type { Freshness } from './core/sourceLink';
import type { QueryRun, QuerySpec } from './core/spec';
import { MAX_N_RESULTS } from './core/specInput';
import { nResultsProblem } from './queryInput';
import { isHitNode } from './resultsView';
import type { HitNode, ResultsNode } from './resultsView';
import { runSpec } from './runCommands';
import type { QueryWorkbench } from './workbench';

/** What Go to Source did: the editor it opened, and whether the lines still hold the chunk. */
export interface SourceJump {
  editor: vscode.TextEditor;
  freshness: Freshness;
}

/** The shown queries a results-view command acts on: the node's own query, else all that are shown. */
export function entriesOf(wb: QueryWorkbench, node: unknown): ResultsEntry[] {
  const entry = node && typeof node === 'object' ? (node as Partial<ResultsNode>).entry : undefined;
  const shown = wb.view.shown();
  const own = shown.find((e) => e === entry);
  return own ? [own] : [...shown];
}

export function needResults(entries: readonly ResultsEntry[]): void {
  if (entries.length === 0) {
    throw new Error('There are no results yet: run a query first (Chroma: Query Collection…).');
  }
}

export function hitOf(wb: QueryWorkbench, arg: unknown): HitNode {
  const node = isHitNode(arg) ? arg : wb.view.treeView.selection.find(isHitNode);
  if (!node) {
    throw new Error('Pick a hit in the Chroma Results view first.');
  }
  return node;
}


export async function openHit(node: HitNode): Promise<vscode.TextEditor> {
  const { spec, run } = node.entry;
  return openRecord(
    { connection: spec.connection, tenant: spec.tenant, database: spec.database, collectionId: run?.collection.id ?? '', collectionName: spec.collection, recordId: node.model.hit.id },
    { preview: true },
  );
}

export async function goToSource(wb: QueryWorkbench, node: HitNode): Promise<SourceJump | undefined> {
  const link = node.model.link;
  if (!link) {
    void vscode.window.showInformationMessage(notificationText(`"${displayLine(node.model.hit.id, 80)}" names no source file and lines: opening the record.`));
    await openHit(node);
    return undefined;
  }
  const uri = await wb.files.locate(link);
  if (!uri) {
    const open = await vscode.window.showWarningMessage(
      notificationText(
        `${displayLine(describeLink(link), 200)} is not in this workspace: open the folder it was added from to go to its lines.`,
      ),
      'Open Record',
    );
    if (open) {
      await openHit(node);
    }
    return undefined;
  }
  const doc = await vscode.workspace.openTextDocument(uri);
  // checked against what the editor holds now, unsaved edits included
  const freshness = checkFreshness(link, doc.getText(), node.model.hit.document);
  const { startLine, endLine } = linesToShow(link, freshness, doc.lineCount);
  const range = new vscode.Range(startLine - 1, 0, endLine - 1, doc.lineAt(endLine - 1).range.end.character);
  const editor = await vscode.window.showTextDocument(doc, { selection: range, preview: true });
  editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  const name = displayLine(vscode.workspace.asRelativePath(uri, false), 200);
  if (freshness.state === 'stale') {
    void vscode.window.showWarningMessage(notificationText(`Stale: in ${name}, ${freshness.reason}. Add the file to the collection again to refresh its records.`));
  } else if (freshness.state === 'moved') {
    vscode.window.setStatusBarMessage(
      `$(info) The chunk moved: it is at lines ${freshness.startLine}–${freshness.endLine} of ${escapeIcons(name)} now (added at ${link.startLine}–${link.endLine}).`,
      8_000,
    );
  }
  return { editor, freshness };
}

/** Runs the shown queries again, each changed by `change`. */
export async function rerun(wb: QueryWorkbench, entries: readonly ResultsEntry[], change: (spec: QuerySpec) => QuerySpec = (s) => s): Promise<QueryRun | undefined> {
  needResults(entries);
  const shown = await wb.run(entries.map((e) => change(e.spec)));
  return shown[0]?.run;
}

/** Copy Results as JSON: every shown query with its hits. */
export async function copyResultsCommand(wb: QueryWorkbench) {
  const entries = wb.view.shown();
  needResults(entries);
  const json = resultsJson(entries);
  await vscode.env.clipboard.writeText(json);
  const hits = entries.reduce((n, e) => n + (e.run?.hits.length ?? 0), 0);
  vscode.window.setStatusBarMessage(`Copied ${hits} result${hits === 1 ? '' : 's'} as JSON`, 3000);
  return json;
}

/** Filter: the shown queries again with the filter given or asked for. */
export async function filterResultsCommand(wb: QueryWorkbench, arg?: unknown, filter?: Filter) {
  const entries = entriesOf(wb, arg);
  needResults(entries);
  const first = entries[0];
  let chosen = filter;
  if (chosen === undefined) {
    const collection = first.run?.collection ?? (await (await wb.clientFor(first.spec.connection)).getCollection(first.spec.collection, { scope: first.spec }));
    chosen = await wb.askFilter(first.spec.connection, collection, { where: first.spec.where, whereDocument: first.spec.whereDocument });
  }
  if (!chosen) {
    return undefined;
  }
  const f = chosen;
  return rerun(wb, entries, (s) => ({ ...s, where: f.where, whereDocument: f.whereDocument }));
}

/** Number of Results: the shown queries again with another n_results. */
export async function setResultCountCommand(wb: QueryWorkbench, arg?: unknown, count?: number) {
  const entries = entriesOf(wb, arg);
  needResults(entries);
  let n = count;
  if (n === undefined) {
    const typed = await inputStep(
      { title: 'Number of results' },
      { prompt: 'How many nearest records to show (n_results) for this query', value: String(entries[0].spec.nResults), validate: nResultsProblem },
    );
    if (typeof typed !== 'string') {
      return undefined;
    }
    n = Number(typed.trim());
  } else if (nResultsProblem(String(n))) {
    throw new Error(`The number of results must be a whole number from 1 to ${MAX_N_RESULTS} (got ${String(n).slice(0, 40)}).`);
  }
  const nResults = n;
  return rerun(wb, entries, (s) => ({ ...s, nResults }));
}

/** Run in Another Collection: the shown queries against a collection named or picked. */
export async function rerunInCollectionCommand(wb: QueryWorkbench, arg?: unknown) {
  const entries = entriesOf(wb, arg);
  needResults(entries);
  // a TargetArg names the collection; from the view, the user picks one
  const t = await wb.deps.target(isTargetArg(arg) ? arg : undefined, 'Run the query in another collection');
  if (!t) {
    return undefined;
  }
  return rerun(wb, entries, (s) => ({ ...s, connection: t.connection.name, tenant: t.collection.tenant, database: t.collection.database, collection: t.collection.name }));
}

/** History: a query of this workspace run again, or the history cleared. */
export async function queryHistoryCommand(wb: QueryWorkbench) {
  const history = wb.history();
  if (history.length === 0) {
    void vscode.window.showInformationMessage('No queries in this workspace yet: run one with "Chroma: Query Collection…".');
    return undefined;
  }
  const CLEAR = { label: '$(clear-all) Clear history', entry: undefined };
  const items = history.map((entry) => {
    const filter = filterText(entry.spec);
    return {
      label: escapeIcons(describeInput(entry.spec.input, 100)),
      description: escapeIcons(displayLine(`${entry.spec.collection} · ${entry.spec.connection}${filter ? ` · ${filter}` : ''}`, 200)),
      detail: `${new Date(entry.ranAt).toDateString()} ${clock(entry.ranAt)} · ${entry.hits ?? '?'} hits · n_results ${entry.spec.nResults}`,
      entry,
    };
  });
  const pick = await pickStep(
    { title: 'Query history' },
    { items: [...items, { label: '', kind: vscode.QuickPickItemKind.Separator, entry: undefined }, CLEAR], placeholder: 'Run a query of this workspace again' },
  );
  if (!pick || typeof pick !== 'object') {
    return undefined;
  }
  if (!pick.entry) {
    await wb.setHistory([]);
    return undefined;
  }
  const spec = pick.entry.spec;
  try {
    return await runSpec(wb, spec);
  } catch (e) {
    // a query that cannot run any more (its connection is gone) leaves the history
    if (!wb.deps.connection(spec.connection)) {
      await wb.setHistory(removeFromHistory(wb.history(), spec));
    }
    throw e;
  }
}
