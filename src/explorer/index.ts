/**
 * The explorer feature: the Chroma view's browsing commands (refresh, load more, open and copy records and
 * collections; Find Collection… is the collections feature's, loaded on first use). The tree itself (model,
 * provider, view) is built by the composition root, which every feature shares.
 */
import type * as vscode from 'vscode';
import type { Logger } from '../platform/log';
import type { CollectionPicker } from '../pickers/collectionPicker';
import { registerExplorerCommands } from './commands';
import type { ExplorerModel } from './core/model';

export interface ExplorerDeps {
  log: Logger;
  model: ExplorerModel;
  /** The collection and record pickers, made on first use. */
  picker(): CollectionPicker;
}

export function activate(deps: ExplorerDeps): vscode.Disposable[] {
  return registerExplorerCommands(deps.log, deps.model, deps.picker);
}
