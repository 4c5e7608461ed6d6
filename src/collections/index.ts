/**
 * Collections: managing what the tree shows. Create / rename / delete collections and records, bulk record work
 * (delete or copy a selection, delete by filter), Find Collection…, databases (create, delete, add to and remove from the view) and
 * collection settings (edit, configuration page, fork). The tree itself is explorer/; this feature acts on its nodes
 * and refreshes them.
 */
import type * as vscode from 'vscode';
import type { ConnectionStore } from '../connections/store';
import type { ExplorerModel, ExplorerNode } from '../explorer/core/model';
import type { InfoDocuments } from '../platform/infoDocuments';
import type { Log } from '../platform/log';
import type { CollectionPicker, Target } from '../pickers/collectionPicker';
import { registerBulkCommands } from './bulkCommands';
import { registerDatabaseCommands } from './databaseCommands';
import { registerDatabaseViewCommands } from './databaseViewCommands';
import { registerFindCollection } from './findCollection';
import { registerManageCommands } from './manageCommands';
import { registerCollectionSettings } from './settings';

/** What the collection commands need: the tree (model and view), the connections, the picker, info pages. */
export interface CollectionsDeps {
  log: Log;
  /** Where the databases a user added to a connection's view are remembered. */
  globalState: vscode.Memento;
  store: ConnectionStore;
  model: ExplorerModel;
  treeView: vscode.TreeView<ExplorerNode>;
  picker: CollectionPicker;
  pages: InfoDocuments;
  /** The collection a command was run on (tree node, record, result hit), or one the user picks. */
  target(arg: unknown, title: string, opts?: { allowNew?: boolean }): Promise<Target | undefined>;
}

export function activate(deps: CollectionsDeps): vscode.Disposable[] {
  return [
    ...registerManageCommands(deps.log.for('manage'), deps.model, deps.picker),
    ...registerBulkCommands(deps),
    ...registerDatabaseCommands(deps),
    ...registerDatabaseViewCommands(deps),
    ...registerCollectionSettings(deps),
    ...registerFindCollection(deps.log.for('find'), deps.model, deps.treeView),
  ];
}
