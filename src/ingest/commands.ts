import * as vscode from 'vscode';
import { withSignal } from '../platform/progress';
import { Commands } from '../platform/commandIds';
import { registerCommand } from '../platform/registerCommand';
import type { ClientCache } from '../connections/clients';
import type { EmbeddingService } from '../embedding/service';
import { textProblem } from './core/records';
import { ingestDocuments } from './core/run';
import type { IngestDocument, RunResult } from './core/run';
import type { Logger } from '../platform/log';
import { sourceInfo } from './source';
import { filesUnder, readFileDocs, readIngestConfig } from './files';
import type { Target, TargetArg } from '../connections/core/target';
import { notificationText } from '../util/text';

export type AddResult = RunResult;

export interface IngestDeps {
  clients: ClientCache;
  embeddings: EmbeddingService;
  /** The collection to add to: a tree node, a TargetArg, else one the user picks (or creates). */
  target: (arg: unknown, title: string, opts: { allowNew: boolean }) => Promise<Target | undefined>;
  /** Remembers the collection as the most recently used. */
  remember: (t: Target) => Promise<void>;
  /** Records were written: views that show them refresh. */
  onWritten: (t: Target) => void;
}

export function registerIngestCommands(log: Logger, deps: IngestDeps): vscode.Disposable[] {
  const target = (arg: unknown, title: string): Promise<Target | undefined> =>
    deps.target(arg instanceof vscode.Uri ? undefined : arg, title, { allowNew: true });
  /** The active editor's text (or selection) added to the collection of `arg`, or one the user picks. */
  const addEditor = async (arg: unknown, selection: boolean, what: (name: string) => string) => {
    const doc = await editorDoc(vscode.window.activeTextEditor, selection);
    const t = await target(arg, `Add ${what(doc.name)} to a collection`);
    return t ? run(log, deps, t, [doc], []) : undefined;
  };
  return [
    registerCommand(log, Commands.addActiveFile, (arg?: TargetArg | vscode.Uri) => addEditor(arg, false, (name) => name)),
    registerCommand(log, Commands.addSelection, (arg?: TargetArg | vscode.Uri) => addEditor(arg, true, (name) => `the selection of ${name}`)),
    registerCommand(log, Commands.addFiles, async (clicked?: vscode.Uri, selected?: vscode.Uri[], arg?: TargetArg) => {
      const uris = selected && selected.length > 0 ? selected : clicked ? [clicked] : [];
      if (uris.length === 0) {
        const picked = await vscode.window.showOpenDialog({ canSelectMany: true, canSelectFolders: true, openLabel: 'Add to Chroma' });
        if (!picked) {
          return undefined;
        }
        uris.push(...picked);
      }
      const { docs, skipped } = await readFileDocs(await filesUnder(uris));
      if (docs.length === 0) {
        throw new Error(`No text files to add${skipped.length ? `: ${skipped.join('; ')}` : ' (check chroma.ingest.include, files.exclude and .gitignore)'}.`);
      }
      const t = await target(arg, `Add ${docs.length} file${docs.length === 1 ? '' : 's'} to a collection`);
      return t ? run(log, deps, t, docs, skipped) : undefined;
    }),
    registerCommand(log, Commands.addActiveEditorHere, (node?: unknown) => addEditor(node, false, (name) => name)),
  ];
}

/** Adds documents to a target with a cancellable progress notification; returns what happened. */
async function run(log: Logger, deps: IngestDeps, t: Target, docs: IngestDocument[], skipped: string[]): Promise<AddResult | undefined> {
  const fn = await deps.embeddings.functionFor(t.connection, t.collection);
  if (!fn) {
    return undefined;
  }
  const client = await deps.clients.clientFor(t.connection);
  // chunk in tokens when the function has a tokenizer (chroma.ingest.sizeUnit "auto")
  const measure = fn.tokenCounter ? await fn.tokenCounter() : undefined;
  await deps.remember(t);
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Adding to ${t.collection.name}`, cancellable: true },
    (progress, token) =>
      withSignal(token, (signal) => ingestDocuments(client, t.collection, fn, docs, { signal, skipped, measure, onProgress: (message) => progress.report({ message }) })),
  );
  log.info(`${t.connection.name}/${t.collection.name}: ${result.message}`);
  void vscode.window.showInformationMessage(notificationText(result.message));
  deps.onWritten(t);
  return result;
}

/** The editor's whole text, or its selection, as a document to add; refuses an empty selection and too large a text. */
async function editorDoc(editor: vscode.TextEditor | undefined, selection: boolean): Promise<IngestDocument> {
  if (!editor) {
    throw new Error('Open a file in an editor first.');
  }
  const document = editor.document;
  const info = await sourceInfo(document.uri, document.languageId);
  const name = info.source ?? info.idBase;
  const cfg = readIngestConfig(document.uri);
  const config = cfg.chunks;
  if (selection) {
    const sel = editor.selection;
    if (sel.isEmpty) {
      throw new Error('Select some text first: "Add Selection" adds what is selected.');
    }
    const text = document.getText(sel);
    const problem = textProblem(text, `The selection in ${name}`, cfg.maxBytes);
    if (problem) {
      throw new Error(problem.message);
    }
    const endLine = sel.end.character === 0 && sel.end.line > sel.start.line ? sel.end.line : sel.end.line + 1;
    return { name, text, info, config, selection: { startLine: sel.start.line + 1, endLine } };
  }
  const text = document.getText();
  const problem = textProblem(text, name, cfg.maxBytes);
  if (problem) {
    throw new Error(problem.message);
  }
  return { name, text, info, config };
}
