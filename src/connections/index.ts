/** The connections feature (first use): add, edit, rename, remove connections and their tokens. */
import type * as vscode from 'vscode';
import type { Logger } from '../platform/log';
import { registerConnectionCommands } from './commands';
import type { ConnectionStore } from './store';

export interface ConnectionsDeps {
  log: Logger;
  store: ConnectionStore;
  /** The connection of a tree node a command was run on, if the argument is one. */
  connectionNameOf(arg: unknown): string | undefined;
}

export function activate(deps: ConnectionsDeps): vscode.Disposable[] {
  return registerConnectionCommands(deps.log, deps.store, deps.connectionNameOf);
}
