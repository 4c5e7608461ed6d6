/**
 * What a transfer command was run on. From the tree: the clicked node and the selected nodes; from the palette:
 * nothing; from code (another extension, a test): a collection (`TargetArg`) and options with the file and the
 * choices a person would make in the dialogs, so nothing needs a setting or a stub.
 */
import type * as vscode from 'vscode';
import { isTargetArg } from '../connections/core/target';
import type { TargetArg } from '../connections/core/target';
import { connectionOf } from '../explorer/core/model';
import type { DatabaseNode, ExplorerNode, RecordNode } from '../explorer/core/model';
import type { CsvMapping } from './core/csv';
import type { Selection } from './core/format';

/** Where a collection goes: a connection by name, a database, a collection name (existing or new). */
export interface DestinationArg {
  connection: string;
  tenant?: string;
  database?: string;
  name: string;
}

export interface TransferOptions {
  /** The file to export to or import from, instead of a dialog. */
  file?: string | vscode.Uri;
  /** Export: resume a partial export of the same collection in `file` (true), or start over (false), without asking. */
  resume?: boolean;
  /** Export Records: what to export, instead of the selection or a filter question. */
  selection?: Selection;
  /** Import and copy: where to, instead of pickers. */
  to?: DestinationArg;
  /** Import and copy into a collection with records: overwrite ids it has, or skip them (resume), without asking. */
  existing?: 'overwrite' | 'skip';
  /** Import and copy: embed the documents with the target's function. */
  reembed?: boolean;
  /** CSV import: which columns hold what, instead of asking. */
  csv?: CsvMapping;
}

export function isNode(arg: unknown): arg is ExplorerNode {
  const n = arg as ExplorerNode | undefined;
  return !!n && typeof n === 'object' && typeof n.kind === 'string' && typeof n.id === 'string';
}

/** Splits a command's arguments into the node or target it is about, the selected nodes, and options. */
export function splitArgs(args: unknown[]): { target?: ExplorerNode | TargetArg; selected: ExplorerNode[]; options: TransferOptions } {
  const [first, second, third] = args;
  const target = isNode(first) || isTargetArg(first) ? first : undefined;
  const selected = Array.isArray(second) ? second.filter(isNode) : [];
  const optionArg = [second, third].find((a) => a !== null && typeof a === 'object' && !Array.isArray(a) && !isNode(a));
  return { target, selected, options: (optionArg ?? {}) as TransferOptions };
}

/** The record nodes a command was run on: the selection when it holds the clicked node, else the clicked node. */
export function selectedRecords(target: unknown, selected: readonly ExplorerNode[]): RecordNode[] {
  if (!isNode(target) || target.kind !== 'record') {
    return [];
  }
  const inSelection = selected.some((n) => n.id === target.id);
  return (inSelection ? selected : [target]).filter((n): n is RecordNode => n.kind === 'record');
}

/** The records' common collection, or an error naming the problem when they span several. */
export function oneCollection(records: readonly RecordNode[]): RecordNode['parent'] {
  const first = records[0].parent;
  const conn = connectionOf(first).name;
  if (records.some((r) => r.parent.collection.id !== first.collection.id || connectionOf(r).name !== conn)) {
    throw new Error('The selected records belong to several collections: select records of one collection to export them together.');
  }
  return first;
}

export function databaseNode(arg: unknown): DatabaseNode | undefined {
  return isNode(arg) && arg.kind === 'database' ? arg : undefined;
}

export function filePath(file: string | vscode.Uri): string {
  return typeof file === 'string' ? file : file.fsPath;
}
