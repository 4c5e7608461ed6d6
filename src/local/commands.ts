/**
 * Stop, Restart, Show Output and Save as Connection of a local Chroma: on the node they were run on, else on one
 * picked among the folders in a state for it. In the local chunk (src/local/serverCode.ts), loaded on first use.
 */
import * as vscode from 'vscode';
import { inputStep, pickStep } from '../platform/quickInput';
import type { FolderEntry, LocalState } from './state';
import { folderKeyOf, stateText } from './tree';

export async function stopCommand(state: LocalState, arg: unknown): Promise<void> {
  const entry = await folderOf(state, arg, 'Stop Local Chroma', (s) => s === 'running');
  if (entry) {
    await state.servers.stop(entry.key);
  }
}

export async function restartCommand(state: LocalState, arg: unknown): Promise<void> {
  const entry = await folderOf(state, arg, 'Restart Local Chroma', (s) => s === 'running' || s === 'stopped-unexpectedly');
  if (entry) {
    await restart(state, entry);
  }
}

export async function showOutputCommand(state: LocalState, arg: unknown): Promise<void> {
  const entry = await folderOf(state, arg, 'Show Local Chroma Output', () => true);
  if (entry) {
    state.output(entry.key, entry.label).show();
  }
}

export async function saveAsConnectionCommand(state: LocalState, arg: unknown): Promise<void> {
  const entry = await folderOf(state, arg, 'Save Local Chroma as Connection', (s) => s === 'running');
  if (entry) {
    await saveAsConnection(state, entry);
  }
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
      prompt: `A saved connection to ${server.url}. ${entry.label}'s server starts on port ${server.port} from now on, so the connection follows the folder.`,
      value: `Chroma ${entry.label}`,
      validate: (v) => (v.trim() ? undefined : 'Type a name for the connection.'),
    },
  );
  if (typeof name !== 'string') {
    return;
  }
  await state.servers.pinPort(entry.key);
  await state.deps.connections.save({ name: name.trim(), url: server.url });
  void vscode.window.showInformationMessage(`Saved the connection "${name.trim()}" to ${server.url}.`);
}
