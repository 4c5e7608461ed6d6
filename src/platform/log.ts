import * as vscode from 'vscode';

/** The extension's one log channel; its level follows VS Code's "Developer: Set Log Level…". */
export type Log = vscode.LogOutputChannel;

export function createLog(): Log {
  return vscode.window.createOutputChannel('Chroma Explorer', { log: true });
}
