/** Wiring of this feature into the extension (filled in by its owner). */
import * as vscode from 'vscode';
import type { Services } from '../services';
import { RECORD_SCHEME } from '../explorer/core/recordView';
import { ChromaDocumentProvider } from '../explorer/documents';

export function wireRecords(s: Services): vscode.Disposable[] {
  return [vscode.workspace.registerTextDocumentContentProvider(RECORD_SCHEME, new ChromaDocumentProvider(s.store, s.clients))];
}
