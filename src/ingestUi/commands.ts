import * as vscode from 'vscode';
import { Commands } from '../commands/ids';
import { registerCommand } from '../commands/register';
import type { ClientCache } from '../connections/clients';
import type { EmbeddingService } from '../embeddingUi/service';
import { chunkText, modeFor } from '../ingest/chunker';
import { gitignoreFilter } from '../ingest/gitignore';
import type { IgnoreFile } from '../ingest/gitignore';
import { describeCounts, ingestRecords, IngestError } from '../ingest/ingest';
import type { IngestCounts } from '../ingest/ingest';
import { chunkId, chunkMetadata, inputProblem, selectionId, textProblem } from '../ingest/records';
import type { IngestRecord, SourceInfo } from '../ingest/records';
import type { CollectionNode, ExplorerModel } from '../model/explorer';
import { connectionOf } from '../model/explorer';
import type { Log } from '../ui/log';
import { readIngestConfig } from './settings';
import { languageIdFor, sourceInfo } from './source';
import type { Target, TargetArg, TargetPicker } from './target';

/** One document to add: its text and where it comes from; `selection` for a single-record add. */
interface Doc {
  name: string;
  text: string;
  info: SourceInfo;
  selection?: { startLine: number; endLine: number };
}

export interface AddResult {
  counts: IngestCounts;
  files: number;
  skipped: string[];
  message: string;
}

function emptyCounts(): IngestCounts {
  return { added: 0, updated: 0, unchanged: 0, removed: 0, written: 0, total: 0 };
}

function add(a: IngestCounts, b: IngestCounts): IngestCounts {
  return {
    added: a.added + b.added,
    updated: a.updated + b.updated,
    unchanged: a.unchanged + b.unchanged,
    removed: a.removed + b.removed,
    written: a.written + b.written,
    total: a.total + b.total,
  };
}

export function registerIngestCommands(
  log: Log,
  context: { clients: ClientCache; model: ExplorerModel; embeddings: EmbeddingService; picker: TargetPicker },
): vscode.Disposable[] {
  const { clients, embeddings, picker, model } = context;

  async function target(arg: TargetArg | undefined, title: string): Promise<Target | undefined> {
    return arg ? picker.resolve(arg) : picker.pick(title);
  }

  /** Chunks (or, for a selection, wraps) a document into records. */
  function recordsFor(doc: Doc, measure?: (s: string) => number): IngestRecord[] {
    const cfg = readIngestConfig();
    const addedAt = new Date().toISOString();
    if (doc.selection) {
      const { startLine, endLine } = doc.selection;
      const chunk = { index: 0, text: doc.text, start: 0, end: doc.text.length, coreStart: 0, startLine, endLine };
      return [{ id: selectionId(doc.info.idBase, startLine, endLine), document: doc.text, metadata: chunkMetadata(doc.info, chunk, 1, addedAt) }];
    }
    const tokens = measure !== undefined && cfg.sizeUnit === 'auto';
    const chunks = chunkText(doc.text, {
      size: tokens ? cfg.chunkSizeTokens : cfg.chunkSize,
      overlap: tokens ? cfg.chunkOverlapTokens : cfg.chunkOverlap,
      mode: modeFor(doc.info.languageId),
      measure: tokens ? measure : undefined,
    });
    return chunks.map((c) => ({ id: chunkId(doc.info.idBase, c, cfg.idStrategy), document: c.text, metadata: chunkMetadata(doc.info, c, chunks.length, addedAt) }));
  }

  /** Adds documents to a target with a cancellable progress notification; returns what happened. */
  async function run(t: Target, docs: Doc[], skipped: string[]): Promise<AddResult | undefined> {
    const fn = await embeddings.functionFor(t.connection, t.collection);
    if (!fn) {
      return undefined;
    }
    const client = await clients.clientFor(t.connection);
    // chunk in tokens when the function has a tokenizer (chroma.ingest.sizeUnit "auto")
    const measure = fn.tokenCounter ? await fn.tokenCounter() : undefined;
    await picker.remember(t);
    let total = emptyCounts();
    let files = 0;
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Adding to ${t.collection.name}`, cancellable: true },
      async (progress, token) => {
        const ac = new AbortController();
        token.onCancellationRequested(() => ac.abort());
        const cancelledMessage = () =>
          `Cancelled after ${files} of ${docs.length} files: ${total.written} records written in all (${total.added} new, ${total.updated} updated). ` +
          'Run it again to finish; nothing is duplicated.';
        for (const doc of docs) {
          if (ac.signal.aborted) {
            throw new Error(cancelledMessage());
          }
          const records = recordsFor(doc, measure);
          const base = total;
          try {
            const counts = await ingestRecords(client, t.collection, fn, records, {
              signal: ac.signal,
              replaceSource: doc.selection ? undefined : doc.info.source !== undefined ? { key: 'source', value: doc.info.source } : { key: 'uri', value: doc.info.uri },
              onProgress: (c) => progress.report({ message: `${docs.length > 1 ? `file ${files + 1} of ${docs.length} · ` : ''}${base.written + c.written} records written` }),
            });
            total = add(total, counts);
            files++;
          } catch (e) {
            if (!(e instanceof IngestError) || docs.length === 1) {
              throw e;
            }
            total = add(total, e.counts);
            if (ac.signal.aborted) {
              throw new Error(cancelledMessage());
            }
            throw new Error(`${doc.name}: ${e.message} Before it, ${files} of ${docs.length} files were added (${total.written} records written in all).`);
          }
        }
        return { counts: total, files, skipped, message: '' } satisfies AddResult;
      },
    );
    const label = docs.length === 1 ? docs[0].name : `${result.files} files`;
    result.message = describeCounts(label, result.counts) + (skipped.length ? `; skipped ${skipped.length}: ${skipped.join('; ')}` : '');
    log.info(`[ingest] ${t.connection.name}/${t.collection.name}: ${result.message}`);
    void vscode.window.showInformationMessage(result.message);
    model.refresh();
    return result;
  }

  async function editorDoc(editor: vscode.TextEditor | undefined, selection: boolean): Promise<Doc> {
    if (!editor) {
      throw new Error('Open a file in an editor first.');
    }
    const document = editor.document;
    const info = await sourceInfo(document.uri, document.languageId);
    const name = info.source ?? info.idBase;
    const cfg = readIngestConfig(document.uri);
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
      return { name, text, info, selection: { startLine: sel.start.line + 1, endLine } };
    }
    const text = document.getText();
    const problem = textProblem(text, name, cfg.maxBytes);
    if (problem) {
      throw new Error(problem.message);
    }
    return { name, text, info };
  }

  /** Files under the given URIs: folders walked with the include glob, files.exclude and .gitignore. */
  async function filesUnder(uris: readonly vscode.Uri[]): Promise<vscode.Uri[]> {
    const cfg = readIngestConfig();
    const out = new Map<string, vscode.Uri>();
    for (const uri of uris) {
      const stat = await vscode.workspace.fs.stat(uri);
      if (stat.type & vscode.FileType.Directory) {
        const folder = vscode.workspace.getWorkspaceFolder(uri);
        const found = await vscode.workspace.findFiles(new vscode.RelativePattern(uri, cfg.include));
        let ignored = (_: string) => false;
        if (folder) {
          const ignoreUris = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, '**/.gitignore'));
          const files: IgnoreFile[] = [];
          for (const g of ignoreUris) {
            const rel = vscode.workspace.asRelativePath(g, false).replace(/\\/g, '/');
            const dir = rel.includes('/') ? rel.slice(0, rel.lastIndexOf('/')) : '';
            files.push({ dir, content: Buffer.from(await vscode.workspace.fs.readFile(g)).toString('utf8') });
          }
          const filter = gitignoreFilter(files);
          ignored = (rel) => filter(rel);
        }
        for (const f of found) {
          if (!ignored(vscode.workspace.asRelativePath(f, false).replace(/\\/g, '/'))) {
            out.set(f.toString(), f);
          }
        }
      } else {
        out.set(uri.toString(), uri);
      }
    }
    return [...out.values()].sort((a, b) => a.path.localeCompare(b.path));
  }

  async function fileDocs(uris: readonly vscode.Uri[]): Promise<{ docs: Doc[]; skipped: string[] }> {
    const cfg = readIngestConfig();
    const docs: Doc[] = [];
    const skipped: string[] = [];
    for (const uri of await filesUnder(uris)) {
      const bytes = await vscode.workspace.fs.readFile(uri);
      const rel = vscode.workspace.asRelativePath(uri, false);
      const problem = inputProblem(bytes, rel, cfg.maxBytes);
      if (problem) {
        skipped.push(problem.message.replace(/ Nothing was sent\.$/, ''));
        continue;
      }
      const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      const languageId = open?.languageId ?? languageIdFor(uri.path);
      docs.push({ name: rel, text: open?.getText() ?? Buffer.from(bytes).toString('utf8'), info: await sourceInfo(uri, languageId) });
    }
    return { docs, skipped };
  }

  return [
    registerCommand(log, Commands.addActiveFile, async (arg?: TargetArg | vscode.Uri) => {
      const doc = await editorDoc(vscode.window.activeTextEditor, false);
      const t = await target(arg instanceof vscode.Uri ? undefined : arg, `Add ${doc.name} to a collection`);
      return t ? run(t, [doc], []) : undefined;
    }),
    registerCommand(log, Commands.addSelection, async (arg?: TargetArg | vscode.Uri) => {
      const doc = await editorDoc(vscode.window.activeTextEditor, true);
      const t = await target(arg instanceof vscode.Uri ? undefined : arg, `Add the selection of ${doc.name} to a collection`);
      return t ? run(t, [doc], []) : undefined;
    }),
    registerCommand(log, Commands.addFiles, async (clicked?: vscode.Uri, selected?: vscode.Uri[], arg?: TargetArg) => {
      const uris = selected && selected.length > 0 ? selected : clicked ? [clicked] : [];
      if (uris.length === 0) {
        const picked = await vscode.window.showOpenDialog({ canSelectMany: true, canSelectFolders: true, openLabel: 'Add to Chroma' });
        if (!picked) {
          return undefined;
        }
        uris.push(...picked);
      }
      const { docs, skipped } = await fileDocs(uris);
      if (docs.length === 0) {
        throw new Error(`No text files to add${skipped.length ? `: ${skipped.join('; ')}` : ' (check chroma.ingest.include, files.exclude and .gitignore)'}.`);
      }
      const t = await target(arg, `Add ${docs.length} file${docs.length === 1 ? '' : 's'} to a collection`);
      return t ? run(t, docs, skipped) : undefined;
    }),
    registerCommand(log, Commands.addActiveEditorHere, async (node: CollectionNode) => {
      const doc = await editorDoc(vscode.window.activeTextEditor, false);
      return run({ connection: connectionOf(node), collection: node.collection }, [doc], []);
    }),
  ];
}
