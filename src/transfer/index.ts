/**
 * Wiring of export, import and copy: Export Collection…, Export Records…, Import Records… and Copy Collection To….
 * Loaded with the second bundle on first use; registers nothing outside this function.
 */
import type * as vscode from 'vscode';
import { Commands } from '../platform/commandIds';
import { registerCommand } from '../platform/registerCommand';
import type { RecordsDeps } from '../records';
import { copyCollectionCommand } from './copyCommand';
import { exportCollectionCommand, exportRecordsCommand } from './exportCommands';
import { importRecordsCommand } from './importCommand';

/**
 * What export, import and copy need is what the record files need: connections and their clients, embedding
 * functions, the tree to refresh, the picker and the collection a command was run on. One interface, written once.
 */
export type TransferDeps = RecordsDeps;

export function activate(s: TransferDeps): vscode.Disposable[] {
  const log = s.log.for('transfer');
  return [
    registerCommand(log, Commands.exportCollection, (...args: unknown[]) => exportCollectionCommand(s, args)),
    registerCommand(log, Commands.exportRecords, (...args: unknown[]) => exportRecordsCommand(s, args)),
    registerCommand(log, Commands.importRecords, (...args: unknown[]) => importRecordsCommand(s, args)),
    registerCommand(log, Commands.copyCollectionTo, (...args: unknown[]) => copyCollectionCommand(s, args)),
  ];
}
