/**
 * New Query Playground: an untitled `<collection>.chroma.json` beside the workspace's files, prefilled with a query
 * on the collection the command was run on (or one picked, most recent first), its text selected for typing over.
 * Nothing is written to disk until the user saves.
 */
import * as vscode from 'vscode';
import type { Target } from '../../connections/core/target';
import { Commands } from '../../platform/commandIds';
import type { Logger } from '../../platform/log';
import { registerCommand } from '../../platform/registerCommand';
import { setting } from '../../platform/settings';
import { loadPlaygroundCore } from './catalog';
import type { PlaygroundCatalog } from './catalog';

/** A selection longer than this is not a query someone means to keep in a file. */
const MAX_SELECTION_CHARS = 2_000;

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/** An untitled document's address: in the first workspace folder when there is one, under a name no file or open document has. */
async function freeUri(base: string): Promise<vscode.Uri> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const open = new Set(vscode.workspace.textDocuments.map((d) => d.uri.path));
  for (let i = 1; ; i++) {
    const name = i === 1 ? `${base}.chroma.json` : `${base}-${i}.chroma.json`;
    const file = folder ? vscode.Uri.joinPath(folder, name) : vscode.Uri.file(`/${name}`);
    if (!open.has(file.path) && !(folder && (await exists(file)))) {
      return folder ? file.with({ scheme: 'untitled' }) : vscode.Uri.from({ scheme: 'untitled', path: name });
    }
  }
}

export function registerNewPlayground(
  log: Logger,
  catalog: PlaygroundCatalog,
  target: (arg: unknown, title: string) => Promise<Target | undefined>,
): vscode.Disposable {
  return registerCommand(log, Commands.newPlayground, async (arg?: unknown): Promise<vscode.Uri | undefined> => {
    const selection = vscode.window.activeTextEditor?.selection;
    const selected = selection && !selection.isEmpty ? vscode.window.activeTextEditor?.document.getText(selection) : undefined;
    const t = await target(arg, 'New Query Playground');
    if (!t) {
      return undefined;
    }
    const { connection, collection } = t;
    // tenant and database go in the file only when they are not what the connection uses anyway
    const base = await catalog.scopeOf(connection.name).catch(() => undefined);
    const { starterPlayground } = await loadPlaygroundCore();
    const { text, querySpan } = starterPlayground({
      connection: connection.name,
      collection: collection.name,
      tenant: base?.tenant === collection.tenant ? undefined : collection.tenant,
      database: base?.database === collection.database && base?.tenant === collection.tenant ? undefined : collection.database,
      query: selected && selected.length <= MAX_SELECTION_CHARS ? selected : undefined,
      nResults: setting('chroma.query.nResults'),
    });
    const uri = await freeUri(collection.name);
    const doc = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(doc);
    await editor.edit((b) => b.insert(new vscode.Position(0, 0), text));
    editor.selection = new vscode.Selection(doc.positionAt(querySpan.start), doc.positionAt(querySpan.end));
    log.info(`new playground for ${collection.name} on ${connection.name}`);
    return doc.uri;
  });
}
