/**
 * Wiring of export, import and copy: Export Collection…, Export Records…, Import Records… and Copy Collection To….
 * Loaded with the second bundle on first use; registers nothing outside this function.
 */
import type * as vscode from 'vscode';
import { Commands } from '../platform/commandIds';
import { registerCommand } from '../platform/registerCommand';
import type { Services } from '../services';
import { copyCollectionCommand } from './copyCommand';
import { exportCollectionCommand, exportRecordsCommand } from './exportCommands';
import { importRecordsCommand } from './importCommand';

export function wireTransfer(s: Services): vscode.Disposable[] {
  const log = s.log.for('transfer');
  return [
    registerCommand(log, Commands.exportCollection, (...args: unknown[]) => exportCollectionCommand(s, args)),
    registerCommand(log, Commands.exportRecords, (...args: unknown[]) => exportRecordsCommand(s, args)),
    registerCommand(log, Commands.importRecords, (...args: unknown[]) => importRecordsCommand(s, args)),
    registerCommand(log, Commands.copyCollectionTo, (...args: unknown[]) => copyCollectionCommand(s, args)),
  ];
}
