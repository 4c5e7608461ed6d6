/**
 * Wiring of the data commands: bulk record operations (delete and copy a selection, delete by filter), databases
 * (create, delete, add to and remove from the view) and collection settings (edit, configuration page, fork).
 */
import type * as vscode from 'vscode';
import type { Services } from '../services';
import { registerBulkCommands } from './bulkCommands';
import { registerCollectionSettings } from './collectionSettings';
import { registerDatabaseCommands } from './databaseCommands';
import { registerDatabaseViewCommands } from './databaseViewCommands';

export function wireDataCommands(s: Services): vscode.Disposable[] {
  return [...registerBulkCommands(s), ...registerDatabaseCommands(s), ...registerDatabaseViewCommands(s), ...registerCollectionSettings(s)];
}
