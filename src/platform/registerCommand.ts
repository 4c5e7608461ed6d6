import * as vscode from 'vscode';
import { describeError, isChromaError } from '../chroma';
import type { Logger } from './log';
import type { CommandId } from './commandIds';
import { notificationText } from '../util/text';

/**
 * Registers a command through one wrapper: a failure is logged with the command's name and shown to the user as
 * a one-line message they can act on, never a stack. The command's return value is passed through (for callers
 * that run it with `executeCommand`); on failure it returns undefined.
 */
/** The ids registered through registerCommand and not disposed: which commands the loaded code owns. */
const registered = new Set<string>();

export function registeredCommandIds(): ReadonlySet<string> {
  return registered;
}

export function registerCommand<A extends unknown[], R>(
  log: Logger,
  id: CommandId,
  handler: (...args: A) => Thenable<R> | R,
): vscode.Disposable {
  const disposable = vscode.commands.registerCommand(id, async (...args: unknown[]) => {
    try {
      return await handler(...(args as A));
    } catch (e) {
      const message = describeError(e);
      log.error(`${id}: ${isChromaError(e) ? `${e.code}: ` : ''}${message}`);
      void vscode.window.showErrorMessage(notificationText(message));
      return undefined;
    }
  });
  registered.add(id);
  return {
    dispose: () => {
      registered.delete(id);
      disposable.dispose();
    },
  };
}
