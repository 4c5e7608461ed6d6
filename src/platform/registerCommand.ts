import * as vscode from 'vscode';
import { describeError, isChromaError } from '../chroma/errors';
import type { Logger } from './log';
import type { CommandId } from './commandIds';
import { Emitter } from '../util/emitter';
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

const runs = new Emitter<CommandId>();

/**
 * Fires as a command registered here starts, whoever runs it (palette, menu, key, status item, another command):
 * the one place that sees every use of the extension's commands. Listeners must be cheap and must not throw.
 */
export const onWillRunCommand = runs.event;

export function registerCommand<A extends unknown[], R>(
  log: Logger,
  id: CommandId,
  handler: (...args: A) => Thenable<R> | R,
): vscode.Disposable {
  const disposable = vscode.commands.registerCommand(id, async (...args: unknown[]) => {
    runs.fire(id);
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
