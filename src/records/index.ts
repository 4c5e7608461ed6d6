/** Wiring of the records feature: the `chroma:` file system, its problems view, and Edit Record / Add Record…. */
import * as vscode from 'vscode';
import type { ClientCache } from '../connections/clients';
import type { ConnectionStore } from '../connections/store';
import type { EmbeddingService } from '../embedding/service';
import type { Log } from '../platform/log';
import type { ExplorerModel } from '../explorer/core/model';
import type { CollectionPicker, Target } from '../pickers/collectionPicker';
import { registerRecordCommands, replaceAddedDrafts } from './commands';
import { RECORD_SCHEME } from './core/address';
import { watchRecordProblems } from './diagnostics';
import { RecordFiles } from './fileSystem';
import { registerEmbeddingHover } from './hover';

/** Whether a tab still shows a URI (a document is also closed and reopened when its language changes). */
function isShown(uri: vscode.Uri): boolean {
  const key = uri.toString();
  return vscode.window.tabGroups.all.some((g) =>
    g.tabs.some((t) =>
      t.input instanceof vscode.TabInputText
        ? t.input.uri.toString() === key
        : t.input instanceof vscode.TabInputTextDiff && (t.input.modified.toString() === key || t.input.original.toString() === key),
    ),
  );
}

/** What the record files and commands need: connections, clients, embedding functions, the tree to refresh, the picker. */
export interface RecordsDeps {
  log: Log;
  store: ConnectionStore;
  clients: ClientCache;
  embeddings: EmbeddingService;
  model: ExplorerModel;
  picker: CollectionPicker;
  /** The collection a command was run on (tree node, record, result hit), or one the user picks. */
  target(arg: unknown, title: string, opts?: { allowNew?: boolean }): Promise<Target | undefined>;
}

export function activate(s: RecordsDeps): vscode.Disposable[] {
  const files = new RecordFiles({
    store: s.store,
    clients: s.clients,
    // the embedding service loads on the first save that needs it, not at activation
    get embeddings() {
      return s.embeddings;
    },
    log: s.log.for('records'),
    onWritten: (connection, collection) => s.model.refreshCollection(connection, collection),
  });
  return [
    files,
    vscode.workspace.registerFileSystemProvider(RECORD_SCHEME, files, { isCaseSensitive: true }),
    // what was read for a closed editor is not needed again (reopening reads the server afresh)
    vscode.workspace.onDidCloseTextDocument((doc) => doc.uri.scheme === RECORD_SCHEME && !isShown(doc.uri) && files.forget(doc.uri)),
    watchRecordProblems(files),
    registerEmbeddingHover(files),
    replaceAddedDrafts(files, s.log.for('records')),
    ...registerRecordCommands(s, files),
  ];
}
