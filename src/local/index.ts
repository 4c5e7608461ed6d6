/**
 * Local Chroma in the editor (issue 21): the Local data node, Open Chroma Data Folder…, New Local Chroma…, and
 * Stop / Restart / Show Output / Save as Connection for the servers this window runs. Registered at activation
 * (the tree node, and the servers must be stopped when the extension host ends).
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ConnectionConfig } from '../connections/core/connectionConfig';
import type { TreeSection } from '../explorer/treeProvider';
import { Commands } from '../platform/commandIds';
import type { Logger } from '../platform/log';
import { registerCommand } from '../platform/registerCommand';
import { affects } from '../platform/settings';
import { serverCode } from './lazyCode';
import { LocalState } from './state';
import { LocalDataSection, folderKeyOf } from './tree';

export interface LocalDeps {
  /** The extension's global storage folder (state files, snapshots, installs). */
  storageDir: string;
  log: Logger;
  /** Session connections (never in settings) for the running servers, and the active one. */
  connections: {
    addSession(conn: ConnectionConfig): void;
    removeSession(name: string): void;
    setActive(name: string | undefined): Thenable<void> | Promise<void>;
    save(conn: ConnectionConfig): Promise<void>;
  };
  /** Shows the Local data node in the Chroma view. */
  addSection(section: TreeSection): vscode.Disposable;
}

/** What the host tests reach through the extension's API. */
export interface LocalApi {
  state: LocalState;
  section: LocalDataSection;
}

export function activate(deps: LocalDeps): { disposables: vscode.Disposable[]; api: LocalApi } {
  const log = deps.log;
  const state = new LocalState(deps, log);
  const section = new LocalDataSection(state);
  const disposables: vscode.Disposable[] = [
    state,
    deps.addSection(section),
    vscode.workspace.onDidChangeWorkspaceFolders(() => void state.refresh()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (affects(e, 'chroma.local.serverCommand')) {
        void state.refresh();
      }
    }),
    registerCommand(log, Commands.openDataFolder, (arg?: unknown) => serverCode().openFolderCommand(state, log, pathOf(state, arg))),
    registerCommand(log, Commands.newLocalChroma, () => serverCode().newLocalChromaCommand(state, log)),
    registerCommand(log, Commands.refreshLocalData, () => state.refresh()),
    registerCommand(log, Commands.stopLocalChroma, (arg?: unknown) => serverCode().stopCommand(state, arg)),
    registerCommand(log, Commands.restartLocalChroma, (arg?: unknown) => serverCode().restartCommand(state, arg)),
    registerCommand(log, Commands.showLocalChromaOutput, (arg?: unknown) => serverCode().showOutputCommand(state, arg)),
    registerCommand(log, Commands.saveLocalAsConnection, (arg?: unknown) => serverCode().saveAsConnectionCommand(state, arg)),
  ];
  // The search runs after activation, not inside it.
  const first = setTimeout(() => void state.refresh(), 0);
  disposables.push(new vscode.Disposable(() => clearTimeout(first)));
  void removeLeftoverSnapshots(state, deps).catch((e: unknown) => log.warn(`leftover snapshots: ${String(e)}`));
  return { disposables, api: { state, section } };
}

/** Snapshots a crashed window left behind go; the servers' code loads for it only when there are any. */
async function removeLeftoverSnapshots(state: LocalState, deps: LocalDeps): Promise<void> {
  const names = await readdir(join(deps.storageDir, 'snapshots')).catch(() => [] as string[]);
  if (names.length > 0) {
    await state.servers.removeLeftoverSnapshots();
  }
}

function pathOf(state: LocalState, arg: unknown): string | undefined {
  const key = folderKeyOf(arg);
  return key === undefined ? (arg instanceof vscode.Uri ? arg.fsPath : undefined) : (state.get(key)?.path ?? key);
}
