/**
 * Filter Records… / Clear Filter: the tree lists only a collection's records that match a `where` /
 * `where_document` filter (asked by the query feature's filter input), and says so in the collection's description.
 */
import type * as vscode from 'vscode';
import type { ChromaClient } from '../chroma/client';
import type { Collection } from '../chroma/types';
import { Commands } from '../platform/commandIds';
import type { Logger } from '../platform/log';
import { registerCommand } from '../platform/registerCommand';
import type { CollectionPicker } from './collectionPicker';
import type { CollectionNode, ExplorerModel, RecordFilter } from './core/model';
import { revealNode } from './revealNode';

export type AskFilter = (client: ChromaClient, collection: Collection, initial?: RecordFilter) => Promise<RecordFilter | undefined>;

/** The tree node of the collection a command is about: the node itself, or a picked collection's node. */
async function collectionNodeOf(model: ExplorerModel, picker: CollectionPicker, arg: unknown, title: string): Promise<CollectionNode | undefined> {
  const node = arg as CollectionNode | undefined;
  if (node?.kind === 'collection') {
    return node;
  }
  const t = await picker.targetOf(arg, title);
  if (!t) {
    return undefined;
  }
  const db = await model.databaseNode(t.connection.name, t.collection.tenant, t.collection.database);
  return db && model.collectionNode(db, t.collection);
}

export function registerFilterCommands(
  log: Logger,
  model: ExplorerModel,
  picker: CollectionPicker,
  treeView: vscode.TreeView<unknown>,
  askFilter: AskFilter,
): vscode.Disposable[] {
  return [
    registerCommand(log, Commands.filterRecords, async (arg?: unknown, given?: RecordFilter) => {
      const node = await collectionNodeOf(model, picker, arg, 'Filter records');
      if (!node) {
        return undefined;
      }
      const filter = given ?? (await askFilter(await model.client(node), node.collection, node.filter));
      if (!filter) {
        return undefined;
      }
      model.setFilter(node, filter);
      await revealNode(treeView, model, node, { select: true, focus: false, expand: true });
      return node.filter;
    }),
    registerCommand(log, Commands.clearFilter, async (arg?: unknown) => {
      const node = await collectionNodeOf(model, picker, arg, 'Clear a record filter');
      if (node) {
        model.setFilter(node, undefined);
      }
    }),
  ];
}
