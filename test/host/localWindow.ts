/**
 * The tests module of the second VS Code window that localOrphan.test.ts opens (not a test file: index.ts loads only
 * *.test.js). It opens the workspace's ./data through the extension's own command, as a person would from the
 * palette, prints `ready <server pid>` to the console (which reaches the driving test), and never settles: the window
 * stays up, its extension host with it, until the test ends the window and its code-server.
 */
import { join } from 'node:path';
import * as vscode from 'vscode';
import { Commands } from '../../src/platform/commandIds';
import { activateApi } from './support';

export async function run(): Promise<void> {
  try {
    const api = await activateApi();
    const ws = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    if (!ws) {
      throw new Error('the window has no workspace folder');
    }
    await vscode.commands.executeCommand(Commands.openDataFolder, vscode.Uri.file(join(ws, 'data')));
    const entry = api.local.state.list().find((e) => e.label === './data');
    const status = entry && api.local.state.status(entry);
    if (status?.state !== 'running') {
      throw new Error(`./data is not running after Open Chroma Data Folder: ${JSON.stringify(status)}`);
    }
    console.log(`ready ${status.pid}`);
  } catch (e) {
    console.log(`failed ${e instanceof Error ? e.message : String(e)}`);
    throw e;
  }
  return new Promise<void>(() => undefined);
}
