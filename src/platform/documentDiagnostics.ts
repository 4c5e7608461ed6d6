/**
 * Diagnostics of the open documents of one kind: each is read again a moment after an edit (debounced per
 * document), all of them when `refreshOn` fires, and its diagnostics go when it closes. The playground's and the
 * evaluation sets' diagnostics are both this, with their own `read`.
 */
import * as vscode from 'vscode';
import { KeyedTimers } from '../util/keyedTimers';
import type { Logger } from './log';

export interface DocumentDiagnosticsOptions {
  /** The diagnostic collection's name. */
  name: string;
  /** Typing pauses this long before a document is read again. */
  debounceMs: number;
  /** Whether a document is of this kind. */
  applies: (doc: vscode.TextDocument) => boolean;
  /** The document's diagnostics (it may have changed meanwhile: the answer is then dropped). */
  read: (doc: vscode.TextDocument) => Promise<vscode.Diagnostic[]>;
  /** The document's name for the log line of a read that failed. */
  label: (doc: vscode.TextDocument) => string;
  /** Everything is read again when it fires (e.g. the connections changed). */
  refreshOn: vscode.Event<void>;
  log: Logger;
}

/** A diagnostic from a problem of a file of ours: an error or a warning, with the source "Chroma". */
export function chromaDiagnostic(range: vscode.Range, message: string, severity: 'error' | 'warning'): vscode.Diagnostic {
  const d = new vscode.Diagnostic(range, message, severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
  d.source = 'Chroma';
  return d;
}

export class DocumentDiagnostics implements vscode.Disposable {
  private readonly diagnostics: vscode.DiagnosticCollection;
  private readonly timers = new KeyedTimers();
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly opts: DocumentDiagnosticsOptions) {
    this.diagnostics = vscode.languages.createDiagnosticCollection(opts.name);
    this.subscriptions = [
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document, opts.debounceMs)),
      vscode.workspace.onDidCloseTextDocument((d) => this.forget(d)),
      opts.refreshOn(() => this.refreshAll()),
    ];
    this.refreshAll();
  }

  private refreshAll(): void {
    vscode.workspace.textDocuments.forEach((d) => this.schedule(d, 0));
  }

  private schedule(doc: vscode.TextDocument, delay: number): void {
    if (!this.opts.applies(doc)) {
      return;
    }
    this.timers.schedule(doc.uri.toString(), delay, () => void this.update(doc));
  }

  private async update(doc: vscode.TextDocument): Promise<void> {
    const version = doc.version;
    try {
      const diagnostics = await this.opts.read(doc);
      // a newer edit has its own update coming; a closed file keeps none
      if (doc.isClosed || doc.version !== version) {
        return;
      }
      this.diagnostics.set(doc.uri, diagnostics);
    } catch (e) {
      this.opts.log.warn(`could not check ${this.opts.label(doc)}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private forget(doc: vscode.TextDocument): void {
    this.timers.cancel(doc.uri.toString());
    this.diagnostics.delete(doc.uri);
  }

  dispose(): void {
    this.timers.clear();
    this.subscriptions.forEach((s) => s.dispose());
    this.diagnostics.dispose();
  }
}
