/** Composition root: builds the services and registers each feature; every disposable goes to the context. */
import type * as vscode from 'vscode';
import { checkServer } from './commands/checkServer';
import { Commands } from './commands/ids';
import { registerCommand } from './commands/register';
import { createLog } from './ui/log';

export function activate(context: vscode.ExtensionContext): void {
  const log = createLog();
  context.subscriptions.push(
    log,
    registerCommand(log, Commands.checkServer, (url?: string) => checkServer(log, url)),
    registerCommand(log, Commands.showLog, () => log.show()),
  );
  log.info(`[activate] Chroma Explorer ${String(context.extension.packageJSON.version)} active`);
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
