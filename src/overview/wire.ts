/** Wiring of this feature into the extension (filled in by its owner). */
import type * as vscode from 'vscode';
import type { Services } from '../services';

export function wireOverview(_s: Services): vscode.Disposable[] {
  return [];
}
