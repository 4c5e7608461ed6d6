/** The problems of open playground files, as diagnostics, updated a moment after each edit. */
import * as vscode from 'vscode';
import type { Logger } from '../../platform/log';
import type { PlaygroundCatalog } from './catalog';

/** Typing pauses this long before a file is read again. */
const DEBOUNCE_MS = 300;

/** Saved and untitled playground files; not their copies in diff views (`git:` and the like). */
export function isPlaygroundFile(doc: vscode.TextDocument): boolean {
  return (doc.uri.scheme === 'file' || doc.uri.scheme === 'untitled') && doc.uri.path.toLowerCase().endsWith('.chroma.json');
}

export class PlaygroundDiagnostics implements vscode.Disposable {
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('chroma-playground');
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly catalog: PlaygroundCatalog,
    onConnectionsChanged: vscode.Event<void>,
    private readonly log: Logger,
  ) {
    this.subscriptions = [
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document, DEBOUNCE_MS)),
      vscode.workspace.onDidCloseTextDocument((d) => this.forget(d)),
      onConnectionsChanged(() => this.refreshAll()),
    ];
    this.refreshAll();
  }

  private refreshAll(): void {
    vscode.workspace.textDocuments.forEach((d) => this.schedule(d, 0));
  }

  private schedule(doc: vscode.TextDocument, delay: number): void {
    if (!isPlaygroundFile(doc)) {
      return;
    }
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        void this.update(doc);
      }, delay),
    );
  }

  private async update(doc: vscode.TextDocument): Promise<void> {
    const version = doc.version;
    try {
      const file = await this.catalog.read(doc.getText(), { checkCollections: true });
      // a newer edit has its own update coming; a closed file keeps none
      if (doc.isClosed || doc.version !== version) {
        return;
      }
      this.diagnostics.set(
        doc.uri,
        // the editor's JSON support reports syntax errors itself
        file.problems
          .filter((p) => p.kind === 'query')
          .map((p) => {
            const d = new vscode.Diagnostic(
              new vscode.Range(doc.positionAt(p.span.start), doc.positionAt(p.span.end)),
              p.message,
              p.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning,
            );
            d.source = 'Chroma';
            return d;
          }),
      );
    } catch (e) {
      this.log.warn(`could not check ${doc.uri.path.split('/').pop() ?? 'a playground file'}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private forget(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    this.diagnostics.delete(doc.uri);
  }

  dispose(): void {
    this.timers.forEach((t) => clearTimeout(t));
    this.timers.clear();
    this.subscriptions.forEach((s) => s.dispose());
    this.diagnostics.dispose();
  }
}
