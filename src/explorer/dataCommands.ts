/** Wiring of this feature into the extension (filled in by its owner). */
import type * as vscode from 'vscode';
import type { Services } from '../services';

export function wireDataCommands(_s: Services): vscode.Disposable[] {
  return [];
}
