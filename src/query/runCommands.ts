/**
 * The ways to query: Query Collection…, Search Chroma for Selection, Find Similar Records, Query by Vector… and
 * `chroma.runQuerySpec` for playground files. Each ends in the workbench's one query path and returns the QueryRun
 * it showed (undefined when the user cancelled).
 */
import * as vscode from 'vscode';
import { nodeOf } from '../explorer/commandArgs';
import type { Filter } from '../filter/core/filter';
import type { QueryRun, QuerySpec } from './core/spec';
import { parseQuerySpecs, parseVector } from './core/specInput';
import { askQuery } from './queryInput';
import { isHitNode } from './resultsView';
import type { QueryWorkbench } from './workbench';

/** Runs one spec and answers with its run (undefined when the user declined a step). */
export const runSpec = async (wb: QueryWorkbench, spec: QuerySpec): Promise<QueryRun | undefined> => (await wb.run([spec]))[0]?.run;

/** A filtered collection node of the tree: its filter is where a query on it starts. */
function treeFilterOf(arg: unknown): Filter {
  const filter = nodeOf(arg, 'collection')?.filter;
  return filter ? { where: filter.where, whereDocument: filter.whereDocument } : {};
}

/** Query Collection…: the text given, else asked for with the filter of a filtered tree node. */
export async function queryCollectionCommand(wb: QueryWorkbench, arg?: unknown, text?: unknown) {
  const t = await wb.deps.target(arg, 'Query a collection');
  if (!t) {
    return undefined;
  }
  const options = { ...wb.defaultOptions(), filter: treeFilterOf(arg) };
  if (typeof text === 'string' && text.trim()) {
    return runSpec(wb, wb.specFor(t, { kind: 'text', text }, options));
  }
  const asked = await askQuery(
    {
      title: `Query "${t.collection.name}"`,
      prompt: "Text to search for (embedded with the collection's embedding function)",
      askFilter: (current) => wb.askFilter(t.connection.name, t.collection, current),
    },
    options,
  );
  return asked && runSpec(wb, wb.specFor(t, { kind: 'text', text: asked.value }, asked.options));
}

/** Search Chroma for Selection: the selected text in the named collection, the one used last, or one picked. */
export async function searchSelectionCommand(wb: QueryWorkbench, arg?: unknown) {
  const editor = vscode.window.activeTextEditor;
  const text = editor && !editor.selection.isEmpty ? editor.document.getText(editor.selection) : '';
  if (!text.trim()) {
    throw new Error('Select some text in an editor first: "Search Chroma for Selection" searches for what is selected.');
  }
  // a tree node or TargetArg names the collection; else the one used last, else one the user picks
  const t = (arg !== undefined && !(arg instanceof vscode.Uri) ? await wb.deps.target(arg, 'Search Chroma for the selection') : undefined) ??
    (await wb.deps.last()) ??
    (await wb.deps.target(undefined, 'Search Chroma for the selection'));
  return t && runSpec(wb, wb.specFor(t, { kind: 'text', text }));
}

/** Find Similar Records: the records nearest to a hit or a record. */
export async function findSimilarCommand(wb: QueryWorkbench, arg?: unknown) {
  if (isHitNode(arg)) {
    const { spec } = arg.entry;
    return runSpec(wb, { ...spec, input: { kind: 'record', recordId: arg.model.hit.id }, nResults: wb.defaultOptions().nResults, where: undefined, whereDocument: undefined });
  }
  const r = await wb.deps.record(arg, 'Find records similar to a record');
  return r && runSpec(wb, wb.specFor(r, { kind: 'record', recordId: r.recordId }));
}

/** Query by Vector…: the vector given, else asked for (one on the clipboard offered). */
export async function queryByVectorCommand(wb: QueryWorkbench, arg?: unknown, vector?: unknown) {
  const t = await wb.deps.target(arg, 'Query a collection by vector');
  if (!t) {
    return undefined;
  }
  const dimension = t.collection.dimension;
  if (vector !== undefined) {
    const parsed = parseVector(typeof vector === 'string' ? vector : JSON.stringify(vector), dimension);
    if ('error' in parsed) {
      throw new Error(`${parsed.error} Nothing was sent.`);
    }
    return runSpec(wb, wb.specFor(t, { kind: 'vector', vector: parsed.vector }, { ...wb.defaultOptions(), filter: treeFilterOf(arg) }));
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
  return 'vector' in parsed ? runSpec(wb, wb.specFor(t, { kind: 'vector', vector: parsed.vector }, asked.options)) : undefined;
}

/** `chroma.runQuerySpec`: one spec (its run) or a list (each run or error), completed where they leave things out. */
export async function runQuerySpecCommand(wb: QueryWorkbench, arg?: unknown) {
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
}
