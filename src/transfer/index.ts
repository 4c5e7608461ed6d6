/**
 * Wiring of export, import and copy: Export Collection…, Export Records…, Import Records… and Copy Collection To….
 * Loaded with the second bundle on first use; registers nothing outside this function.
 */
import type * as vscode from 'vscode';
import { Commands } from '../platform/commandIds';
import { registerCommand } from '../platform/registerCommand';
import type { ClientCache } from '../connections/clients';
import type { ConnectionStore } from '../connections/store';
import type { EmbeddingService } from '../embedding/service';
import type { Log } from '../platform/log';
import type { ExplorerModel } from '../explorer/core/model';
import type { CollectionPicker, Target } from '../pickers/collectionPicker';
import { copyCollectionCommand } from './copyCommand';
import { exportCollectionCommand, exportRecordsCommand } from './exportCommands';
import { importRecordsCommand } from './importCommand';

/** What export, import and copy need: connections and their clients, embedding functions, the tree to refresh, the picker. */
export interface TransferDeps {
  log: Log;
  store: ConnectionStore;
  clients: ClientCache;
  embeddings: EmbeddingService;
  model: ExplorerModel;
  picker: CollectionPicker;
  /** The collection a command was run on (tree node, record, result hit), or one the user picks. */
  target(arg: unknown, title: string, opts?: { allowNew?: boolean }): Promise<Target | undefined>;
}

export function activate(s: TransferDeps): vscode.Disposable[] {
  const log = s.log.for('transfer');
  return [
    registerCommand(log, Commands.exportCollection, (...args: unknown[]) => exportCollectionCommand(s, args)),
    registerCommand(log, Commands.exportRecords, (...args: unknown[]) => exportRecordsCommand(s, args)),
    registerCommand(log, Commands.importRecords, (...args: unknown[]) => importRecordsCommand(s, args)),
    registerCommand(log, Commands.copyCollectionTo, (...args: unknown[]) => copyCollectionCommand(s, args)),
  ];
}
