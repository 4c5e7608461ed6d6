/** The problems of open playground files, as diagnostics, updated a moment after each edit. */
import * as vscode from 'vscode';
import { chromaDiagnostic, DocumentDiagnostics } from '../../platform/documentDiagnostics';
import type { Logger } from '../../platform/log';
import type { PlaygroundCatalog } from './catalog';

/** Typing pauses this long before a file is read again. */
const DEBOUNCE_MS = 300;

/** Saved and untitled playground files; not their copies in diff views (`git:` and the like). */
export function isPlaygroundFile(doc: vscode.TextDocument): boolean {
  return (doc.uri.scheme === 'file' || doc.uri.scheme === 'untitled') && doc.uri.path.toLowerCase().endsWith('.chroma.json');
}

export class PlaygroundDiagnostics extends DocumentDiagnostics {
  constructor(catalog: PlaygroundCatalog, onConnectionsChanged: vscode.Event<void>, log: Logger) {
    super({
      name: 'chroma-playground',
      debounceMs: DEBOUNCE_MS,
      applies: isPlaygroundFile,
      refreshOn: onConnectionsChanged,
      log,
      label: (doc) => doc.uri.path.split('/').pop() ?? 'a playground file',
      read: async (doc) => {
        const file = await catalog.read(doc.getText(), { checkCollections: true });
        // the editor's JSON support reports syntax errors itself
        return file.problems
          .filter((p) => p.kind === 'query')
          .map((p) => chromaDiagnostic(new vscode.Range(doc.positionAt(p.span.start), doc.positionAt(p.span.end)), p.message, p.severity));
      },
    });
  }
}
