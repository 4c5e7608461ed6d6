/**
 * The `chroma:` file system: a record opens as an editable JSON file (core/recordFile.ts) and saving it sends an
 * update (core/save.ts); a collection opens as its read-only summary; the server's current version of a record is
 * a read-only file for the diff a conflicting save offers; Add Record… drafts are files that saving adds.
 *
 * A save that is refused, conflicts or fails throws a FileSystemError whose message says what to do: VS Code then
 * keeps the editor dirty and shows that message. Nothing is sent before the file is checked, and a record that
 * changed on the server since it was read is written only after the user chose Overwrite in a modal.
 */
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { describeError, ChromaError } from '../chroma/errors';
import type { ChromaClient, Collection, RecordLimits } from '../chroma';
import type { ClientCache } from '../connections/clients';
import type { ConnectionConfig } from '../connections/core/connectionConfig';
import type { ConnectionStore } from '../connections/store';
import type { EmbeddingService } from '../embedding/service';
import { EmbeddingError } from '../embedding/core/types';
import type { EmbeddingFunction } from '../embedding/core/types';
import { embeddingFunctionLabel, formatCollection } from '../explorer/core/recordView';
import type { Logger } from '../platform/log';
import { displayLine, escapeIcons, notificationText } from '../util/text';
import { isFolderOf } from './core/address';
import type { RecordAddress } from './core/address';
import type { FileContext, ReadBase } from './core/recordFile';
import { recordCode } from './lazyRecordCode';
import type { Conflict } from './core/save';
import { addressOf, chromaUri } from './uri';

export interface RecordFilesDeps {
  store: ConnectionStore;
  clients: ClientCache;
  embeddings: EmbeddingService;
  log: Logger;
  /** Records of a collection were written: views that show it refresh. */
  onWritten(connection: string, collection: Collection): void;
}

/** What was read for one URI, and what its editor was given. */
interface Entry {
  mtime: number;
  size: number;
  readonly: boolean;
  /** What the record's editor was given (records and added drafts). */
  base?: ReadBase;
  /** The client's limits, for checking the file while it is edited. */
  limits?: RecordLimits;
  /** A draft's id suggestion, the same on every read. */
  draftId?: string;
  /** A draft that was added: the id of the record it now edits. */
  addedId?: string;
  /** The last read from the server. */
  lastLoad?: Loaded;
  /** The collection's embedding function, as the `$embedding` note names it. */
  functionLabel?: string;
  /** Read by stat() just before readFile(): handed over instead of a second request. */
  prefetch?: { at: number; loaded: Loaded };
}

interface Loaded {
  bytes: Uint8Array;
  readonly: boolean;
  base?: ReadBase;
  limits?: RecordLimits;
  draftId?: string;
  functionLabel?: string;
}

/** How long a stat's read stands in for the readFile that follows it. */
const PREFETCH_MS = 10_000;

const encoder = new TextEncoder();

function label(id: string): string {
  return displayLine(id, 80);
}

export class RecordFiles implements vscode.FileSystemProvider, vscode.Disposable {
  private readonly changes = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changes.event;
  private readonly added = new vscode.EventEmitter<{ draft: vscode.Uri; record: vscode.Uri }>();
  /** A draft was added to its collection: the record's own URI. */
  readonly onDidAdd = this.added.event;
  private readonly entries = new Map<string, Entry>();
  private readonly loading = new Map<string, Promise<Loaded>>();
  private drafts = 0;

  constructor(private readonly deps: RecordFilesDeps) {}

  /** A new draft for Add Record… in a collection. */
  newDraft(collection: Omit<RecordAddress, 'recordId' | 'view'>): vscode.Uri {
    this.drafts++;
    return chromaUri({ ...collection, recordId: `New record ${this.drafts}`, view: 'new' });
  }

  /** What a record's editor was given, and the limits to check it by (for diagnostics while editing). */
  editState(uri: vscode.Uri): { base?: ReadBase; limits?: RecordLimits; mode: 'edit' | 'new'; id?: string } | undefined {
    const a = addressOf(uri);
    const e = this.entries.get(uri.toString());
    if (!a || a.recordId === undefined || a.view === 'server') {
      return undefined;
    }
    const isNew = a.view === 'new' && e?.addedId === undefined;
    return { base: e?.base, limits: e?.limits, mode: isNew ? 'new' : 'edit', id: isNew ? undefined : (e?.addedId ?? a.recordId) };
  }

  /** The embedding function a record's file names in its `$embedding` note (for its hover); undefined before it is read. */
  functionLabelOf(uri: vscode.Uri): string | undefined {
    return this.entries.get(uri.toString())?.functionLabel;
  }

  /** The record a URI edits now: its own, or for a draft that was added, the added record. */
  private recordIdOf(a: RecordAddress, e: Entry | undefined): string | undefined {
    return a.view === 'new' ? e?.addedId : a.recordId;
  }

  /** Forgets what was read for a URI (its editor closed). */
  forget(uri: vscode.Uri): void {
    this.entries.delete(uri.toString());
  }

  watch(): vscode.Disposable {
    // changes on the server are found when saving (and shown by reopening): nothing to watch
    return new vscode.Disposable(() => undefined);
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    const a = addressOf(uri);
    if (!a) {
      if (isFolderOf(uri.path, uri.query)) {
        // the folders above records (VS Code looks at a file's parents when it saves)
        return { type: vscode.FileType.Directory, ctime: 0, mtime: 0, size: 0, permissions: vscode.FilePermission.Readonly };
      }
      throw vscode.FileSystemError.FileNotFound(`${uri.toString(true)} is not the address of a Chroma record or collection.`);
    }
    const e = this.entries.get(uri.toString()) ?? (await this.read(uri, a)).entry;
    return { type: vscode.FileType.File, ctime: 0, mtime: e.mtime, size: e.size, ...(e.readonly ? { permissions: vscode.FilePermission.Readonly } : {}) };
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    const a = addressOf(uri);
    if (!a) {
      throw vscode.FileSystemError.FileNotFound(`${uri.toString(true)} is not the address of a Chroma record or collection.`);
    }
    const e = this.entries.get(uri.toString());
    const fresh = e?.prefetch && Date.now() - e.prefetch.at <= PREFETCH_MS ? e.prefetch.loaded : undefined;
    const loaded = fresh ?? (await this.read(uri, a)).loaded;
    const entry = this.entries.get(uri.toString())!;
    entry.prefetch = undefined;
    // what the editor shows from now on: a save is checked against it
    entry.base = loaded.base;
    return loaded.bytes;
  }

  /**
   * Reads a URI from the server and keeps it for the readFile that follows. VS Code may stat and read a file at once:
   * both wait for one request, and what it read is merged into the entry as it is then.
   */
  private async read(uri: vscode.Uri, a: RecordAddress): Promise<{ entry: Entry; loaded: Loaded }> {
    const key = uri.toString();
    let loading = this.loading.get(key);
    if (!loading) {
      loading = this.load(a, this.entries.get(key)).finally(() => this.loading.delete(key));
      this.loading.set(key, loading);
    }
    const loaded = await loading;
    const entry: Entry = this.entries.get(key) ?? { mtime: Date.now(), size: 0, readonly: false };
    if (entry.lastLoad !== loaded) {
      entry.lastLoad = loaded;
      entry.size = loaded.bytes.byteLength;
      entry.readonly = loaded.readonly;
      entry.limits = loaded.limits ?? entry.limits;
      entry.draftId = loaded.draftId ?? entry.draftId;
      entry.functionLabel = loaded.functionLabel ?? entry.functionLabel;
      entry.prefetch = { at: Date.now(), loaded };
    }
    this.entries.set(key, entry);
    return { entry, loaded };
  }

  private connection(a: RecordAddress): ConnectionConfig {
    const conn = this.deps.store.get(a.connection);
    if (!conn) {
      throw vscode.FileSystemError.FileNotFound(`The connection "${label(a.connection)}" is gone: it was removed or renamed. Open the record again from the Chroma view.`);
    }
    return conn;
  }

  private async locate(a: RecordAddress): Promise<{ conn: ConnectionConfig; client: ChromaClient; collection: Collection }> {
    const conn = this.connection(a);
    const client = await this.deps.clients.clientFor(conn);
    return { conn, client, collection: await recordCode().findCollection(client, a) };
  }

  private async load(a: RecordAddress, previous: Entry | undefined): Promise<Loaded> {
    const code = recordCode();
    try {
      const { client, collection } = await this.locate(a);
      const ctx: FileContext = { collectionName: collection.name, functionLabel: embeddingFunctionLabel(collection) };
      if (a.recordId === undefined) {
        const [count, sample, indexing] = await Promise.all([
          client.count(collection),
          client.get(collection, { limit: 20, include: ['documents'] }),
          // only where the server reports one (Chroma Cloud, distributed Chroma); a failure there is shown, not fatal
          client.indexingStatusIfSupported(collection, { timeoutMs: 10_000 }).catch((e: unknown) => ({ error: describeError(e) })),
        ]);
        return { bytes: encoder.encode(formatCollection(collection, count, sample, { indexing })), readonly: true };
      }
      const id = this.recordIdOf(a, previous);
      if (id === undefined) {
        // a draft not added yet: the same suggested id on every read
        const draftId = previous?.draftId ?? randomUUID();
        return { bytes: encoder.encode(code.renderNewRecordFile(draftId, ctx)), readonly: false, base: { hidden: [] }, limits: client.limits, draftId };
      }
      const record = await code.readRecord(client, collection, id);
      if (!record) {
        throw code.recordGone(collection, id);
      }
      const file = code.renderRecordFile(record, ctx);
      const readonly = a.view === 'server';
      const base: ReadBase = { id, hash: code.recordHash(record), hidden: file.hidden, metadata: file.hidden.includes('metadata') ? undefined : record.metadata };
      return { bytes: encoder.encode(file.text), readonly, base: readonly ? undefined : base, limits: client.limits, functionLabel: ctx.functionLabel };
    } catch (e) {
      throw this.readError(e, a);
    }
  }

  /** A read's failure as the error VS Code shows (its text cannot form a link: server text is in it). */
  private readError(e: unknown, a: RecordAddress): Error {
    if (e instanceof vscode.FileSystemError) {
      return e;
    }
    if (e instanceof recordCode().RecordGoneError) {
      return vscode.FileSystemError.FileNotFound(notificationText(e.message));
    }
    const what = a.recordId === undefined || a.view === 'new' ? `the collection "${label(a.collectionName)}"` : `the record "${label(a.recordId)}"`;
    return vscode.FileSystemError.Unavailable(notificationText(`Could not read ${what}: ${describeError(e)}`));
  }

  async writeFile(uri: vscode.Uri, content: Uint8Array): Promise<void> {
    const a = addressOf(uri);
    if (!a) {
      throw vscode.FileSystemError.NoPermissions(`${uri.toString(true)} is not the address of a Chroma record.`);
    }
    if (a.recordId === undefined || a.view === 'server') {
      throw vscode.FileSystemError.NoPermissions(
        a.view === 'server' ? "This is the server's version of the record, which is read-only: save your own editor instead." : 'A collection summary is read-only.',
      );
    }
    const key = uri.toString();
    const e = this.entries.get(key) ?? { mtime: Date.now(), size: 0, readonly: false };
    const text = new TextDecoder('utf-8').decode(content);
    const id = this.recordIdOf(a, e);
    try {
      const { conn, client, collection } = await this.locate(a);
      const embedder = () => this.embedder(conn, collection);
      if (id === undefined) {
        const result = await recordCode().addRecord({ client, collection, text, embedder });
        e.addedId = result.id;
        e.base = result.base;
        this.deps.log.info(`${conn.name}/${collection.name}: added record ${JSON.stringify(label(result.id))}`);
        this.tell(`Added "${label(result.id)}" to ${label(collection.name)}`);
        this.added.fire({ draft: uri, record: chromaUri({ ...a, recordId: result.id, view: undefined }) });
      } else {
        const result = await recordCode().saveRecord({ client, collection, id, text, base: e.base, embedder, overwrite: (c) => this.askOverwrite(uri, a, id, c) });
        e.base = result.base;
        const what = result.sent ? `Updated "${label(id)}" in ${label(collection.name)}${result.reembedded ? ' (document re-embedded)' : ''}` : `"${label(id)}" has no changes to send`;
        this.deps.log.info(`${conn.name}/${collection.name}: ${what}`);
        this.tell(what);
      }
      e.mtime = Math.max(Date.now(), e.mtime + 1);
      e.size = content.byteLength;
      e.limits = client.limits;
      this.entries.set(key, e);
      this.deps.onWritten(conn.name, collection);
    } catch (err) {
      this.deps.log.warn(`${a.connection}/${label(a.collectionName)}: saving ${id === undefined ? 'a new record' : `"${label(id)}"`} failed: ${describeError(err)}`);
      throw this.saveError(err, id);
    }
  }

  /** A short confirmation in the status bar: a save's own notification would be noise. */
  private tell(message: string): void {
    vscode.window.setStatusBarMessage(`$(check) ${escapeIcons(message)}`, 4_000);
  }

  private async embedder(conn: ConnectionConfig, collection: Collection): Promise<EmbeddingFunction> {
    const fn = await this.deps.embeddings.functionFor(conn, collection);
    if (!fn) {
      throw new EmbeddingError(`No embedding function was chosen for "${label(collection.name)}": the new document cannot be embedded.`, 'needs-choice');
    }
    return fn;
  }

  /** A save's failure as the error VS Code shows when the save fails (its text cannot form a link). */
  private saveError(e: unknown, id: string | undefined): Error {
    if (e instanceof vscode.FileSystemError) {
      return e;
    }
    const t = notificationText;
    const code = recordCode();
    if (e instanceof code.RecordRefusedError) {
      return new vscode.FileSystemError(t(`${e.message} Nothing was sent.`));
    }
    if (e instanceof code.RecordGoneError) {
      return vscode.FileSystemError.FileNotFound(t(`${e.message} Nothing was written; to keep your edit, save it as a local file (File: Save As…).`));
    }
    if (e instanceof code.RecordConflictError) {
      return new vscode.FileSystemError(t(`${e.message} Compare the two versions, then save again and choose Overwrite to keep yours, or revert to take the server's.`));
    }
    if (e instanceof EmbeddingError) {
      // The gate's refusals already say that nothing was sent.
      return new vscode.FileSystemError(t(`The new document could not be embedded: ${e.message}${/Nothing was sent/.test(e.message) ? '' : ' Nothing was sent.'}`));
    }
    const what = id === undefined ? 'The new record' : `The record "${label(id)}"`;
    if (e instanceof ChromaError) {
      return vscode.FileSystemError.Unavailable(t(`${what} was not saved: ${e.message} Your edit is still in the editor: save again to retry.`));
    }
    return new vscode.FileSystemError(t(`${what} was not saved: ${describeError(e)}`));
  }

  /** A modal: the record changed on the server. Overwrite → true; Compare opens the diff; both leave it unsaved otherwise. */
  private async askOverwrite(uri: vscode.Uri, a: RecordAddress, id: string, c: Conflict): Promise<boolean> {
    const message =
      c.reason === 'changed'
        ? `"${label(id)}" changed on the server since you opened it.`
        : `Chroma Explorer cannot tell whether "${label(id)}" changed on the server since this editor read it (the window was reloaded).`;
    const choice = await vscode.window.showWarningMessage(
      notificationText(message),
      { modal: true, detail: "Overwrite replaces the server's version with yours. Compare shows the two side by side, and nothing is written." },
      'Compare',
      'Overwrite',
    );
    if (choice === 'Overwrite') {
      return true;
    }
    if (choice === 'Compare') {
      void this.compare(uri, a, id).catch((e: unknown) => this.deps.log.warn(`compare: ${describeError(e)}`));
    }
    return false;
  }

  /** Opens the server's version of a record (read-only, read now) beside the editor's, as a diff. */
  private async compare(uri: vscode.Uri, a: RecordAddress, id: string): Promise<void> {
    const server = chromaUri({ ...a, recordId: id, view: 'server' });
    // read afresh: an editor of it that is still open reloads
    this.entries.delete(server.toString());
    this.changes.fire([{ type: vscode.FileChangeType.Changed, uri: server }]);
    await vscode.commands.executeCommand('vscode.diff', server, uri, `${label(id)}: server ↔ yours`, { preview: false });
  }

  readDirectory(): [string, vscode.FileType][] {
    return [];
  }

  createDirectory(): void {
    // the folders of record paths exist as long as their records do
  }

  delete(): void {
    throw vscode.FileSystemError.NoPermissions('Records are deleted with Delete Record… in the Chroma view.');
  }

  rename(): void {
    throw vscode.FileSystemError.NoPermissions('A record cannot be renamed: its id is how Chroma knows it. Add a copy under the new id with Add Record….');
  }

  dispose(): void {
    this.changes.dispose();
    this.added.dispose();
    this.entries.clear();
  }
}
