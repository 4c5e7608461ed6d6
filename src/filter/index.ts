/**
 * The record filter: Filter Records… and Clear Filter on a collection of the tree (it then lists only the records
 * that match, and says so in the collection's description). The filter itself, its grammar, checks and words, is
 * in core/; asking for one (typed JSON or the quick builder) is input.ts, which queries, exports and deletions use
 * too.
 */
import type * as vscode from 'vscode';
import type { ChromaClient } from '../chroma/client';
import type { Collection } from '../chroma/types';
import { Commands } from '../platform/commandIds';
import type { Logger } from '../platform/log';
import { registerCommand } from '../platform/registerCommand';
import type { Filter } from './core/filter';
import { askFilter } from './input';

/** A collection as the tree shows it: its records are listed through `filter` when it has one. */
export interface TreeCollection {
  readonly collection: Collection;
  readonly filter?: Filter;
}

/** What Filter Records… and Clear Filter need: the tree's collections. */
export interface FilterDeps<N extends TreeCollection> {
  log: Logger;
  /** The tree's node of the collection a command was run on, else of a collection the user picks. */
  collectionNode(arg: unknown, title: string): Promise<N | undefined>;
  /** The client of the node's connection. */
  client(node: N): Promise<ChromaClient>;
  /** Lists only the node's records that match `filter` (undefined or empty: all of them). */
  setFilter(node: N, filter: Filter | undefined): void;
  /** Shows the node in the tree, selected and expanded. */
  reveal(node: N): Promise<void>;
}

export function activate<N extends TreeCollection>(deps: FilterDeps<N>): vscode.Disposable[] {
  return [
    registerCommand(deps.log, Commands.filterRecords, async (arg?: unknown, given?: Filter) => {
      const node = await deps.collectionNode(arg, 'Filter records');
      if (!node) {
        return undefined;
      }
      const filter = given ?? (await askFilter(await deps.client(node), node.collection, node.filter));
      if (!filter) {
        return undefined;
      }
      deps.setFilter(node, filter);
      await deps.reveal(node);
      return node.filter;
    }),
    registerCommand(deps.log, Commands.clearFilter, async (arg?: unknown) => {
      const node = await deps.collectionNode(arg, 'Clear a record filter');
      if (node) {
        deps.setFilter(node, undefined);
      }
    }),
  ];
}
