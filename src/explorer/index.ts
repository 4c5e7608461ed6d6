/**
 * The explorer feature: the Chroma view's browsing commands (refresh, load more, open and copy records and
 * collections, Find Collection…). The tree itself (model, provider, view) is built by the composition root, which
 * every feature shares.
 */
import type * as vscode from 'vscode';
import type { Logger } from '../platform/log';
import type { CollectionPicker } from '../pickers/collectionPicker';
import { registerExplorerCommands } from './commands';
import type { ExplorerModel, ExplorerNode } from './core/model';
import { registerFindCollection } from './findCollection';

export interface ExplorerDeps {
  log: Logger;
  model: ExplorerModel;
  treeView: vscode.TreeView<ExplorerNode>;
  /** The collection and record pickers, made on first use. */
  picker(): CollectionPicker;
}

export function activate(deps: ExplorerDeps): vscode.Disposable[] {
  return [...registerExplorerCommands(deps.log, deps.model, deps.picker), ...registerFindCollection(deps.log, deps.model, deps.treeView)];
}
