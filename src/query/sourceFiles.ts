/**
 * The files hits came from, in this workspace: which file a hit's metadata names (only files inside the workspace
 * folders), its current text (the open editor's, unsaved edits included, else the file's bytes as UTF-8, the way
 * ingest read it), and whether the hit's lines still hold its chunk. Results are cached per file until the file or
 * its editor changes.
 */
import * as vscode from 'vscode';
import { candidatesFor, checkFreshness, fileText } from './core/sourceLink';
import type { FileText, FolderRef, Freshness, SourceLink } from './core/sourceLink';

/** Files larger than this are not read to check hits (ingest's own limit is smaller by default). */
const MAX_READ_BYTES = 32 * 1024 * 1024;

function folderRefs(): { refs: FolderRef[]; uris: vscode.Uri[] } {
  const folders = vscode.workspace.workspaceFolders ?? [];
  return {
    refs: folders.map((f) => ({ scheme: f.uri.scheme, authority: f.uri.authority, path: f.uri.path, name: f.name })),
    uris: folders.map((f) => f.uri),
  };
}

export class SourceFiles implements vscode.Disposable {
  /** file URI → its text (split into lines), while unchanged. */
  private readonly texts = new Map<string, Promise<FileText | undefined>>();
  /** link key → the file it resolved to (or undefined: none exists). */
  private readonly located = new Map<string, Promise<vscode.Uri | undefined>>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  /** A file the results name changed (edited, saved, created or deleted). */
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor() {
    const forget = (uri: vscode.Uri) => {
      if (this.texts.delete(uri.toString())) {
        this.changed.fire(uri);
      }
    };
    const watcher = vscode.workspace.createFileSystemWatcher('**/*');
    this.subscriptions = [
      this.changed,
      watcher,
      vscode.workspace.onDidChangeTextDocument((e) => e.contentChanges.length > 0 && forget(e.document.uri)),
      vscode.workspace.onDidCloseTextDocument((d) => forget(d.uri)),
      watcher.onDidChange(forget),
      // a file that was missing may be there now, or one that was there gone
      watcher.onDidCreate((uri) => this.moved(uri)),
      watcher.onDidDelete((uri) => this.moved(uri)),
      vscode.workspace.onDidChangeWorkspaceFolders(() => {
        this.located.clear();
        this.texts.clear();
      }),
    ];
  }

  /** Forgets every file read (new results name other files; the ones before need not stay in memory). */
  reset(): void {
    this.texts.clear();
    this.located.clear();
  }

  private moved(uri: vscode.Uri): void {
    this.located.clear();
    this.texts.delete(uri.toString());
    this.changed.fire(uri);
  }

  /** The workspace file a link names: the first of its candidates that exists. */
  locate(link: SourceLink): Promise<vscode.Uri | undefined> {
    const key = JSON.stringify([link.uri, link.source]);
    let found = this.located.get(key);
    if (!found) {
      found = this.findFile(link);
      this.located.set(key, found);
    }
    return found;
  }

  private async findFile(link: SourceLink): Promise<vscode.Uri | undefined> {
    const { refs, uris } = folderRefs();
    for (const c of candidatesFor(link, refs)) {
      const uri = vscode.Uri.joinPath(uris[c.folder], ...c.segments);
      try {
        const stat = await vscode.workspace.fs.stat(uri);
        if (stat.type & vscode.FileType.File) {
          return uri;
        }
      } catch {
        // not there: try the next candidate
      }
    }
    return undefined;
  }

  /** The file's current text, or undefined when it cannot be read as text. */
  text(uri: vscode.Uri): Promise<FileText | undefined> {
    const key = uri.toString();
    let text = this.texts.get(key);
    if (!text) {
      text = this.readText(uri).then((t) => (t === undefined ? undefined : fileText(t)));
      this.texts.set(key, text);
    }
    return text;
  }

  private async readText(uri: vscode.Uri): Promise<string | undefined> {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (open) {
      return open.getText();
    }
    try {
      const stat = await vscode.workspace.fs.stat(uri);
      if (stat.size > MAX_READ_BYTES) {
        return undefined;
      }
      return Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
    } catch {
      return undefined;
    }
  }

  /** The file a link names and whether its lines still hold the chunk (`document`: the hit's document). */
  async check(link: SourceLink, document: string | null): Promise<{ uri?: vscode.Uri; freshness?: Freshness }> {
    const uri = await this.locate(link);
    if (!uri) {
      return {};
    }
    const text = await this.text(uri);
    return { uri, freshness: text === undefined ? undefined : checkFreshness(link, text, document) };
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
  }
}
