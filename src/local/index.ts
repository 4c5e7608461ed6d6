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
import { inputStep, pickStep } from '../platform/quickInput';
import { registerCommand } from '../platform/registerCommand';
import { affects } from '../platform/settings';
import { serverCode } from './lazyCode';
import { LocalState } from './state';
import type { FolderEntry } from './state';
import { LocalDataSection, folderKeyOf, stateText } from './tree';

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
    registerCommand(log, Commands.stopLocalChroma, async (arg?: unknown) => {
      const entry = await folderOf(state, arg, 'Stop Local Chroma', (s) => s === 'running');
      if (entry) {
        await state.servers.stop(entry.key);
      }
    }),
    registerCommand(log, Commands.restartLocalChroma, async (arg?: unknown) => {
      const entry = await folderOf(state, arg, 'Restart Local Chroma', (s) => s === 'running' || s === 'stopped-unexpectedly');
      if (entry) {
        await restart(state, entry);
      }
    }),
    registerCommand(log, Commands.showLocalChromaOutput, async (arg?: unknown) => {
      const entry = await folderOf(state, arg, 'Show Local Chroma Output', () => true);
      if (entry) {
        state.output(entry.key, entry.label).show();
      }
    }),
    registerCommand(log, Commands.saveLocalAsConnection, async (arg?: unknown) => {
      const entry = await folderOf(state, arg, 'Save Local Chroma as Connection', (s) => s === 'running');
      if (entry) {
        await saveAsConnection(state, entry);
      }
    }),
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

/** The folder a command acts on: the node it was run on, else one picked among those in a matching state. */
async function folderOf(state: LocalState, arg: unknown, title: string, when: (s: string) => boolean): Promise<FolderEntry | undefined> {
  const key = folderKeyOf(arg);
  if (key !== undefined) {
    const entry = state.get(key);
    if (!entry) {
      throw new Error(`${title}: ${key} is not a Chroma data folder this window knows. Open it with Open Chroma Data Folder… first.`);
    }
    return entry;
  }
  const candidates = state.list().filter((e) => when(state.status(e).state));
  if (!candidates.length) {
    void vscode.window.showInformationMessage(`${title}: no local Chroma of this window is in a state for it. Open one with Open Chroma Data Folder….`);
    return undefined;
  }
  if (candidates.length === 1) {
    return candidates[0];
  }
  const picked = await pickStep({ title }, { items: candidates.map((e) => ({ label: e.label, description: stateText(state.status(e)), detail: e.path, entry: e })), placeholder: 'Which local Chroma?' });
  return picked && typeof picked !== 'symbol' ? picked.entry : undefined;
}

async function restart(state: LocalState, entry: FolderEntry): Promise<void> {
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Restarting Chroma on ${entry.label}` }, () =>
    state.servers.restart(entry.key).catch(async (e: unknown) => {
      const message = e instanceof Error ? e.message : String(e);
      state.output(entry.key, entry.label).error(message);
      if ((await vscode.window.showErrorMessage(message.replace(/\s+/g, ' '), 'Show Output')) === 'Show Output') {
        state.output(entry.key, entry.label).show();
      }
    }),
  );
}

async function saveAsConnection(state: LocalState, entry: FolderEntry): Promise<void> {
  const server = state.running(entry);
  if (!server) {
    throw new Error(`Chroma on ${entry.label} is not running: open it first, then save it as a connection.`);
  }
  const name = await inputStep(
    { title: 'Save Local Chroma as Connection' },
    {
      prompt: `A saved connection to ${server.url}. It answers while a server runs on that port: the port changes when the server starts again.`,
      value: `Chroma ${entry.label}`,
      validate: (v) => (v.trim() ? undefined : 'Type a name for the connection.'),
    },
  );
  if (typeof name !== 'string') {
    return;
  }
  await state.deps.connections.save({ name: name.trim(), url: server.url });
  void vscode.window.showInformationMessage(`Saved the connection "${name.trim()}" to ${server.url}.`);
}
