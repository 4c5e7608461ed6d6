/**
 * Open Chroma Data Folder… and New Local Chroma…: choose a folder (the ones found in the workspace, then Browse…),
 * then the core's openDataFolder with the editor's modals (install, busy folder), progress with cancel, and the
 * server's output in its channel. A server that runs on it becomes the active connection.
 */
import { readdir } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import * as vscode from 'vscode';
import type { Logger } from '../platform/log';
import { inputStep, pickStep } from '../platform/quickInput';
import { setting } from '../platform/settings';
import { DEFAULT_NEW_FOLDER, LocalServerError, SQLITE_FILE, createDataFolder, describeHolder, formatSize, isDataFolder, openDataFolder } from './core';
import type { BusyChoice, BusyCheck, OpenResult } from './core';
import type { FolderEntry, LocalState } from './state';
import { stateText } from './tree';

export const OPEN_TITLE = 'Open Chroma Data Folder';
export const BROWSE_LABEL = 'Browse…';

interface FolderPick extends vscode.QuickPickItem {
  entry?: FolderEntry;
}

/** The first step: found folders, then Browse…. Undefined: cancelled. */
export async function pickDataFolder(state: LocalState): Promise<string | undefined> {
  if (!state.searched) {
    await state.refresh();
  }
  const items: FolderPick[] = state.list().map((entry) => ({
    label: entry.label,
    description: `${entry.info ? `${formatSize(entry.info.sizeBytes, entry.info.sizeComplete)} · ` : ''}${stateText(state.status(entry))}`,
    detail: entry.path,
    entry,
  }));
  items.push({ label: BROWSE_LABEL, description: 'choose a folder', alwaysShow: true });
  const picked = await pickStep<FolderPick>(
    { title: OPEN_TITLE },
    { items, placeholder: items.length > 1 ? 'A Chroma data folder of this workspace (type to filter), or Browse… for another' : 'No Chroma data folder in this workspace: Browse… for one' },
  );
  if (!picked || typeof picked === 'symbol') {
    return undefined;
  }
  if (picked.entry) {
    return picked.entry.path;
  }
  const uris = await vscode.window.showOpenDialog({
    canSelectFolders: true,
    canSelectFiles: false,
    canSelectMany: false,
    openLabel: 'Open Chroma Data Folder',
    title: 'A folder with chroma.sqlite3 in it',
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
  });
  return uris?.[0]?.fsPath;
}

/** A folder without chroma.sqlite3: may we start a new, empty Chroma there (or in its `chroma` subfolder when it has files)? */
async function askNewHere(folder: string, state: LocalState): Promise<string | undefined> {
  const names = await readdir(folder).catch(() => [] as string[]);
  const target = names.length ? join(folder, DEFAULT_NEW_FOLDER) : folder;
  const shown = state.labelOf(target);
  const detail = names.length
    ? `${state.labelOf(folder)} has no ${SQLITE_FILE} and holds other files. A new, empty Chroma can start in ${shown} instead.`
    : `${state.labelOf(folder)} has no ${SQLITE_FILE}: it is not a Chroma data folder yet.`;
  const yes = 'Start New Chroma';
  const choice = await vscode.window.showInformationMessage(`Start a new, empty Chroma in ${shown}?`, { modal: true, detail }, yes);
  if (choice !== yes) {
    return undefined;
  }
  if (!(await isDataFolder(target))) {
    await createDataFolder(target);
  }
  return target;
}

/** Open Chroma Data Folder…: from a node or a path, else asking. */
export async function openFolderCommand(state: LocalState, log: Logger, folder?: string): Promise<OpenResult | undefined> {
  let path = folder ?? (await pickDataFolder(state));
  if (!path) {
    return undefined;
  }
  if (!(await isDataFolder(path)) && state.servers.status(path).state !== 'running') {
    path = await askNewHere(path, state);
    if (!path) {
      return undefined;
    }
  }
  return startOn(path, state, log);
}

/** New Local Chroma…: a new folder (default ./chroma of the first workspace folder) and a server on it. */
export async function newLocalChromaCommand(state: LocalState, log: Logger): Promise<OpenResult | undefined> {
  const base = state.workspaceFolders[0];
  let path: string | undefined;
  if (base) {
    const typed = await inputStep(
      { title: 'New Local Chroma' },
      {
        prompt: 'The folder for the new Chroma, relative to the workspace or absolute. It must be new or empty.',
        value: DEFAULT_NEW_FOLDER,
        validate: (v) => (v.trim() ? undefined : 'Type a folder name, such as chroma.'),
      },
    );
    path = typeof typed !== 'string' ? undefined : isAbsolute(typed.trim()) ? typed.trim() : resolve(base, typed.trim());
  } else {
    const uris = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: 'New Chroma Here', title: 'An empty folder for the new Chroma' });
    path = uris?.[0]?.fsPath;
  }
  if (!path) {
    return undefined;
  }
  await createDataFolder(path);
  return startOn(path, state, log);
}

/** The core's open with the editor's asks; the running server becomes the active connection. */
export async function startOn(path: string, state: LocalState, log: Logger): Promise<OpenResult | undefined> {
  const entry = await state.add(path);
  const channel = state.output(entry.key, entry.label);
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Starting Chroma on ${entry.label}`, cancellable: true },
    async (progress, token) => {
      const controller = new AbortController();
      const cancel = token.onCancellationRequested(() => controller.abort());
      try {
        return await openDataFolder(path, {
          servers: state.servers,
          workspaceFolders: state.workspaceFolders,
          setting: setting('chroma.local.serverCommand'),
          pythonInterpreter: await pythonInterpreter(),
          installDir: state.installDir,
          confirmInstall: () => confirmInstall(entry.label),
          whenBusy: (check) => whenBusy(entry.label, check),
          onCannotCheck: (reason) => log.warn(`${entry.label}: cannot check whether another process has it open: ${reason}`),
          onInstallProgress: (p) => progress.report({ message: p.message }),
          onLine: (line) => channel.info(line),
          signal: controller.signal,
        });
      } catch (e) {
        if (e instanceof LocalServerError && e.kind === 'cancelled') {
          return { outcome: 'cancelled' } as const;
        }
        throw e;
      } finally {
        cancel.dispose();
      }
    },
  ).then(undefined, (e: unknown) => {
    void showStartError(e, entry, state);
    return undefined;
  });
  if (result?.outcome === 'running') {
    log.info(`${result.label}: ${result.server.owned ? 'started' : 'connected to'} ${result.server.description} at ${result.server.url}`);
    const running = state.get(result.server.folder);
    await state.deps.connections.setActive(state.connectionName(running ?? entry));
  }
  return result;
}

async function showStartError(e: unknown, entry: FolderEntry, state: LocalState): Promise<void> {
  const message = e instanceof Error ? e.message : String(e);
  state.output(entry.key, entry.label).error(message);
  const text = /^Chroma/.test(message) ? message : `Chroma did not start on ${entry.label}: ${message}`;
  if ((await vscode.window.showErrorMessage(text.replace(/\s+/g, ' '), 'Show Output')) === 'Show Output') {
    state.output(entry.key, entry.label).show();
  }
}

async function confirmInstall(label: string): Promise<boolean> {
  const yes = 'Install Chroma';
  const choice = await vscode.window.showInformationMessage(
    `No Chroma was found to serve ${label}. Install the npm chromadb package into the extension's storage?`,
    {
      modal: true,
      detail:
        "Looked for: the setting chroma.local.serverCommand, the workspace's node_modules/.bin/chroma and Python environments (.venv, venv, env, the selected interpreter), and chroma on the PATH. The install downloads chromadb's CLI and its platform binding (tens of MB) from the npm registry; nothing else is downloaded.",
    },
    yes,
  );
  return choice === yes;
}

async function whenBusy(label: string, check: Extract<BusyCheck, { checked: true }>): Promise<BusyChoice> {
  const holders = check.holders.slice(0, 5).map(describeHolder).join(', ');
  const snapshot = 'Open a Snapshot';
  const anyway = 'Start Anyway';
  const choice = await vscode.window.showWarningMessage(
    `Another process has ${label} open: ${holders}.`,
    {
      modal: true,
      detail:
        "Chroma's data folder is not safe for two processes at once: starting a server on it may damage the data. A snapshot serves a copy of the folder instead; its writes go only to the copy, which is deleted when its server stops.",
    },
    snapshot,
    anyway,
  );
  return choice === snapshot ? 'snapshot' : choice === anyway ? 'start-anyway' : 'cancel';
}

/** The interpreter the Python extension has selected, when that extension is already active (never activated for this). */
async function pythonInterpreter(): Promise<string | undefined> {
  try {
    const python = vscode.extensions.getExtension('ms-python.python');
    if (!python?.isActive) {
      return undefined;
    }
    const api = python.exports as { environments?: { getActiveEnvironmentPath?: () => { path?: unknown } } } | undefined;
    const path = api?.environments?.getActiveEnvironmentPath?.()?.path;
    return typeof path === 'string' ? path : undefined;
  } catch {
    return undefined;
  }
}
