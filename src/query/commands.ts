/**
 * The ways to query (Query Collection…, Search Chroma for Selection, Find Similar Records, Query by Vector…, and
 * `chroma.runQuerySpec` for playground files) and what the results view does (Go to Source, Open Record, Copy
 * Results as JSON, Re-run, Filter, Number of Results, Run in Another Collection, History, Clear). Every way ends in
 * the workbench's one query path; each returns the QueryRun it showed (undefined when the user cancelled).
 */
import * as vscode from 'vscode';
import { isTargetArg } from '../connections/core/target';
import { nodeOf } from '../explorer/commandArgs';
import { Commands } from '../platform/commandIds';
import type { Logger } from '../platform/log';
import { inputStep, pickStep } from '../platform/quickInput';
import { registerCommand } from '../platform/registerCommand';
import { openRecord } from '../records/uri';
import { displayLine, escapeIcons, notificationText } from '../util/text';
import type { Filter } from '../filter/core/filter';
import { removeFromHistory } from './core/history';
import { clock, describeInput, filterText, resultsJson } from './core/resultsModel';
import type { ResultsEntry } from './core/resultsModel';
import { checkFreshness, describeLink, linesToShow } from './core/sourceLink';
import type { Freshness } from './core/sourceLink';
import type { QueryRun, QuerySpec } from './core/spec';
import { MAX_N_RESULTS, parseQuerySpecs, parseVector } from './core/specInput';
import { askQuery, nResultsProblem } from './queryInput';
import { isHitNode } from './resultsView';
import type { HitNode, ResultsNode } from './resultsView';
import type { QueryWorkbench } from './workbench';

/** What Go to Source did: the editor it opened, and whether the lines still hold the chunk. */
export interface SourceJump {
  editor: vscode.TextEditor;
  freshness: Freshness;
}

/** The shown queries a results-view command acts on: the node's own query, else all that are shown. */
function entriesOf(wb: QueryWorkbench, node: unknown): ResultsEntry[] {
  const entry = node && typeof node === 'object' ? (node as Partial<ResultsNode>).entry : undefined;
  const shown = wb.view.shown();
  const own = shown.find((e) => e === entry);
  return own ? [own] : [...shown];
}

/** A filtered collection node of the tree: its filter is where a query on it starts. */
function treeFilterOf(arg: unknown): Filter {
  const filter = nodeOf(arg, 'collection')?.filter;
  return filter ? { where: filter.where, whereDocument: filter.whereDocument } : {};
}

function needResults(entries: readonly ResultsEntry[]): void {
  if (entries.length === 0) {
    throw new Error('There are no results yet: run a query first (Chroma: Query Collection…).');
  }
}

export function registerQueryCommands(log: Logger, wb: QueryWorkbench): vscode.Disposable[] {
  const { deps } = wb;

  /** Runs one spec and answers with its run (undefined when the user declined a step). */
  const runSpec = async (spec: QuerySpec): Promise<QueryRun | undefined> => (await wb.run([spec]))[0]?.run;

  const hitOf = (arg: unknown): HitNode => {
    const node = isHitNode(arg) ? arg : wb.view.treeView.selection.find(isHitNode);
    if (!node) {
      throw new Error('Pick a hit in the Chroma Results view first.');
    }
    return node;
  };

  async function openHit(node: HitNode): Promise<vscode.TextEditor> {
    const { spec, run } = node.entry;
    return openRecord(
      { connection: spec.connection, tenant: spec.tenant, database: spec.database, collectionId: run?.collection.id ?? '', collectionName: spec.collection, recordId: node.model.hit.id },
      { preview: true },
    );
  }

  async function goToSource(node: HitNode): Promise<SourceJump | undefined> {
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
  async function rerun(entries: readonly ResultsEntry[], change: (spec: QuerySpec) => QuerySpec = (s) => s): Promise<QueryRun | undefined> {
    needResults(entries);
    const shown = await wb.run(entries.map((e) => change(e.spec)));
    return shown[0]?.run;
  }

  return [
    registerCommand(log, Commands.queryCollection, async (arg?: unknown, text?: unknown) => {
      const t = await deps.target(arg, 'Query a collection');
      if (!t) {
        return undefined;
      }
      const options = { ...wb.defaultOptions(), filter: treeFilterOf(arg) };
      if (typeof text === 'string' && text.trim()) {
        return runSpec(wb.specFor(t, { kind: 'text', text }, options));
      }
      const asked = await askQuery(
        {
          title: `Query "${t.collection.name}"`,
          prompt: "Text to search for (embedded with the collection's embedding function)",
          askFilter: (current) => wb.askFilter(t.connection.name, t.collection, current),
        },
        options,
      );
      return asked && runSpec(wb.specFor(t, { kind: 'text', text: asked.value }, asked.options));
    }),

    registerCommand(log, Commands.searchSelection, async (arg?: unknown) => {
      const editor = vscode.window.activeTextEditor;
      const text = editor && !editor.selection.isEmpty ? editor.document.getText(editor.selection) : '';
      if (!text.trim()) {
        throw new Error('Select some text in an editor first: "Search Chroma for Selection" searches for what is selected.');
      }
      // a tree node or TargetArg names the collection; else the one used last, else one the user picks
      const t = (arg !== undefined && !(arg instanceof vscode.Uri) ? await deps.target(arg, 'Search Chroma for the selection') : undefined) ??
        (await deps.last()) ??
        (await deps.target(undefined, 'Search Chroma for the selection'));
      return t && runSpec(wb.specFor(t, { kind: 'text', text }));
    }),

    registerCommand(log, Commands.findSimilar, async (arg?: unknown) => {
      if (isHitNode(arg)) {
        const { spec } = arg.entry;
        return runSpec({ ...spec, input: { kind: 'record', recordId: arg.model.hit.id }, nResults: wb.defaultOptions().nResults, where: undefined, whereDocument: undefined });
      }
      const r = await deps.record(arg, 'Find records similar to a record');
      return r && runSpec(wb.specFor(r, { kind: 'record', recordId: r.recordId }));
    }),

    registerCommand(log, Commands.queryByVector, async (arg?: unknown, vector?: unknown) => {
      const t = await deps.target(arg, 'Query a collection by vector');
      if (!t) {
        return undefined;
      }
      const dimension = t.collection.dimension;
      if (vector !== undefined) {
        const parsed = parseVector(typeof vector === 'string' ? vector : JSON.stringify(vector), dimension);
        if ('error' in parsed) {
          throw new Error(`${parsed.error} Nothing was sent.`);
        }
        return runSpec(wb.specFor(t, { kind: 'vector', vector: parsed.vector }, { ...wb.defaultOptions(), filter: treeFilterOf(arg) }));
      }
      // a vector on the clipboard is offered as the value
      const clip = await vscode.env.clipboard.readText();
      const value = clip.length < 2_000_000 && 'vector' in parseVector(clip) ? clip.trim() : undefined;
      const asked = await askQuery(
        {
          title: `Query "${t.collection.name}" by vector`,
          prompt: dimension ? `A JSON array of ${dimension} numbers` : 'A JSON array of numbers',
          placeholder: '[0.12, -0.5, …]',
          value,
          validate: (v) => {
            const parsed = parseVector(v, dimension);
            return 'error' in parsed ? parsed.error : undefined;
          },
          askFilter: (current) => wb.askFilter(t.connection.name, t.collection, current),
        },
        { ...wb.defaultOptions(), filter: treeFilterOf(arg) },
      );
      if (!asked) {
        return undefined;
      }
      const parsed = parseVector(asked.value, dimension);
      return 'vector' in parsed ? runSpec(wb.specFor(t, { kind: 'vector', vector: parsed.vector }, asked.options)) : undefined;
    }),

    registerCommand(log, Commands.runQuerySpec, async (arg?: unknown) => {
      const parsed = parseQuerySpecs(arg);
      if ('error' in parsed) {
        throw new Error(`The query is not usable: ${parsed.error}`);
      }
      const specs: QuerySpec[] = [];
      for (const s of parsed.specs) {
        specs.push(await wb.complete(s));
      }
      const shown = await wb.run(specs);
      return Array.isArray(arg) ? shown.map((e) => ({ run: e.run, error: e.error })) : shown[0]?.run;
    }),

    registerCommand(log, Commands.goToSource, (arg?: unknown) => goToSource(hitOf(arg))),
    registerCommand(log, Commands.openResultRecord, (arg?: unknown) => openHit(hitOf(arg))),

    registerCommand(log, Commands.copyResults, async () => {
      const entries = wb.view.shown();
      needResults(entries);
      const json = resultsJson(entries);
      await vscode.env.clipboard.writeText(json);
      const hits = entries.reduce((n, e) => n + (e.run?.hits.length ?? 0), 0);
      vscode.window.setStatusBarMessage(`Copied ${hits} result${hits === 1 ? '' : 's'} as JSON`, 3000);
      return json;
    }),

    registerCommand(log, Commands.rerunQuery, (arg?: unknown) => rerun(entriesOf(wb, arg))),

    registerCommand(log, Commands.filterResults, async (arg?: unknown, filter?: Filter) => {
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
      return rerun(entries, (s) => ({ ...s, where: f.where, whereDocument: f.whereDocument }));
    }),

    registerCommand(log, Commands.setResultCount, async (arg?: unknown, count?: number) => {
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
      return rerun(entries, (s) => ({ ...s, nResults }));
    }),

    registerCommand(log, Commands.rerunInCollection, async (arg?: unknown) => {
      const entries = entriesOf(wb, arg);
      needResults(entries);
      // a TargetArg names the collection; from the view, the user picks one
      const t = await deps.target(isTargetArg(arg) ? arg : undefined, 'Run the query in another collection');
      if (!t) {
        return undefined;
      }
      return rerun(entries, (s) => ({ ...s, connection: t.connection.name, tenant: t.collection.tenant, database: t.collection.database, collection: t.collection.name }));
    }),

    registerCommand(log, Commands.queryHistory, async () => {
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
        return await runSpec(spec);
      } catch (e) {
        // a query that cannot run any more (its connection is gone) leaves the history
        if (!deps.connection(spec.connection)) {
          await wb.setHistory(removeFromHistory(wb.history(), spec));
        }
        throw e;
      }
    }),

    registerCommand(log, Commands.clearResults, () => wb.view.clear()),
  ];
}
