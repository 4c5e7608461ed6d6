/**
 * Marks what a save would refuse while a record file is edited: the same checks as the save (core/recordFile.ts), at
 * their place in the file, so a wrong metadata value shows before the save fails on it.
 */
import * as vscode from 'vscode';
import { DEFAULT_RECORD_LIMITS } from '../chroma/limits';
import { RECORD_SCHEME } from './core/address';
import { recordCode } from './lazyRecordCode';
import type { RecordFiles } from './fileSystem';

/** Waits this long after the last keystroke before checking again. */
const DEBOUNCE_MS = 250;

export function watchRecordProblems(files: RecordFiles): vscode.Disposable {
  const collection = vscode.languages.createDiagnosticCollection('chroma-records');
  const timers = new Map<string, ReturnType<typeof setTimeout>>();

  const check = (doc: vscode.TextDocument): void => {
    const state = files.editState(doc.uri);
    if (!state || doc.isClosed) {
      return;
    }
    const text = doc.getText();
    const code = recordCode();
    const parsed = code.parseRecordFile(text, { mode: state.mode, base: state.base, id: state.id, ...code.metadataChecks(state.limits ?? DEFAULT_RECORD_LIMITS) });
    collection.set(
      doc.uri,
      parsed.problems.map((p) => {
        const range = new vscode.Range(doc.positionAt(p.offset), doc.positionAt(p.offset + Math.max(1, p.length)));
        const d = new vscode.Diagnostic(range, p.message, vscode.DiagnosticSeverity.Error);
        d.source = 'Chroma';
        return d;
      }),
    );
  };
  const schedule = (doc: vscode.TextDocument): void => {
    if (doc.uri.scheme !== RECORD_SCHEME) {
      return;
    }
    const key = doc.uri.toString();
    clearTimeout(timers.get(key));
    timers.set(
      key,
      setTimeout(() => {
        timers.delete(key);
        check(doc);
      }, DEBOUNCE_MS),
    );
  };

  vscode.workspace.textDocuments.forEach(schedule);
  return vscode.Disposable.from(
    collection,
    vscode.workspace.onDidOpenTextDocument(schedule),
    vscode.workspace.onDidChangeTextDocument((e) => schedule(e.document)),
    // a save reads the record again: its base (and so what is checked) may have changed
    vscode.workspace.onDidSaveTextDocument(schedule),
    vscode.workspace.onDidCloseTextDocument((doc) => {
      clearTimeout(timers.get(doc.uri.toString()));
      timers.delete(doc.uri.toString());
      collection.delete(doc.uri);
    }),
    { dispose: () => timers.forEach((t) => clearTimeout(t)) },
  );
}
