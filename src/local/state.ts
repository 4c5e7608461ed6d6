/**
 * What the editor knows of local Chroma: the data folders (found in the workspace or opened), the servers this
 * window runs or found running (LocalServers), one output channel per folder, and the session connection of each
 * running server (in the tree and the status bar, never in settings unless saved).
 */
import { homedir } from 'node:os';
import * as vscode from 'vscode';
import type { Logger } from '../platform/log';
import { setting } from '../platform/settings';
import { displayLine } from '../util/text';
import type { DataFolderInfo, LocalServers, Resolution, RunningServer, ServerStatus, WriteWatch } from './core';
import { dataFolderInfo, displayPath } from './core/dataFolder';
import { findDataFolders } from './discovery';
import type { LocalDeps } from './index';
import { serverCode } from './lazyCode';

const NOT_RUNNING: ServerStatus = { state: 'not-running' };

export interface FolderEntry {
  /** The folder as found or opened (absolute). */
  path: string;
  /** Its real path: how LocalServers knows it. */
  key: string;
  /** "./chroma", or a snapshot's "snapshot of ./chroma, 12:03". */
  label: string;
  /** Found by the workspace search (else opened by the user, or a snapshot). */
  found: boolean;
  info?: DataFolderInfo;
  /** Which Chroma would serve it (for the tooltip when it is not running). */
  resolution?: Resolution;
}

export class LocalState implements vscode.Disposable {
  private loaded?: LocalServers;
  private readonly entries = new Map<string, FolderEntry>();
  private readonly outputs = new Map<string, vscode.LogOutputChannel>();
  /** The folders of running servers, watched so that their size follows what the server writes. */
  private readonly writeWatches = new Map<string, WriteWatch>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private subscription?: { dispose(): void };
  private searching?: Promise<void>;
  /** Set once a search ran: the Local data node lists nothing before. */
  searched = false;
  partial = false;

  constructor(
    readonly deps: LocalDeps,
    private readonly log: Logger,
  ) {}

  /**
   * The servers of this window, their code loaded on first use (src/local/serverCode.ts): until then no server was
   * started or attached by this window, and every folder is "not running".
   */
  get servers(): LocalServers {
    if (!this.loaded) {
      this.loaded = new (serverCode().LocalServers)({ storageDir: this.deps.storageDir });
      this.subscription = this.loaded.onDidChange((e) => this.statusChanged(e.folder, e.status));
    }
    return this.loaded;
  }

  get workspaceFolders(): string[] {
    return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
  }

  labelOf(path: string): string {
    return displayPath(path, this.workspaceFolders, homedir());
  }

  /** Every folder to list: found ones, then opened ones and snapshots, by label. */
  list(): FolderEntry[] {
    return [...this.entries.values()].sort((a, b) => Number(b.found) - Number(a.found) || a.label.localeCompare(b.label));
  }

  get(key: string): FolderEntry | undefined {
    return this.entries.get(key);
  }

  status(entry: FolderEntry): ServerStatus {
    return this.loaded?.status(entry.key) ?? NOT_RUNNING;
  }

  /** Searches the workspace again (one search at a time) and sizes what it finds. */
  refresh(): Promise<void> {
    this.searching ??= this.search().finally(() => (this.searching = undefined));
    return this.searching;
  }

  private async search(): Promise<void> {
    const found = await findDataFolders();
    const keys = new Set<string>();
    for (const path of found.folders) {
      const key = await serverCode().folderKey(path);
      keys.add(key);
      const old = this.entries.get(key);
      this.entries.set(key, { ...old, path, key, label: old?.label ?? this.labelOf(path), found: true });
    }
    for (const [key, entry] of this.entries) {
      if (entry.found && !keys.has(key) && this.status(entry).state === 'not-running') {
        this.entries.delete(key);
      }
    }
    this.searched = true;
    this.partial = found.partial;
    this.changed.fire();
    await Promise.all(this.list().map((e) => this.describe(e)));
    this.changed.fire();
  }

  /** Size and which Chroma would serve it. */
  private async describe(entry: FolderEntry): Promise<void> {
    entry.info = await dataFolderInfo(entry.path).catch(() => undefined);
    // the resolver is the servers' code: loaded now, after activation's search found a folder
    entry.resolution = await Promise.resolve()
      .then(() =>
        serverCode().resolveServerCommand({
          dataFolder: entry.path,
          workspaceFolders: this.workspaceFolders,
          setting: setting('chroma.local.serverCommand'),
          installDir: this.installDir,
        }),
      )
      .catch(() => undefined);
  }

  get installDir(): string {
    return `${this.deps.storageDir}/chroma-install`;
  }

  /** Adds a folder opened by the user (not found by the search) to the list. */
  async add(path: string, label = this.labelOf(path)): Promise<FolderEntry> {
    const key = await serverCode().folderKey(path);
    const entry = this.entries.get(key) ?? { path, key, label, found: false };
    this.entries.set(key, entry);
    void this.describe(entry).then(() => this.changed.fire());
    this.changed.fire();
    return entry;
  }

  /** The folder's server output, one channel per folder. */
  output(key: string, label = this.entries.get(key)?.label ?? key): vscode.LogOutputChannel {
    let channel = this.outputs.get(key);
    if (!channel) {
      channel = vscode.window.createOutputChannel(`Chroma local ${label}`, { log: true });
      this.outputs.set(key, channel);
    }
    return channel;
  }

  connectionName(entry: FolderEntry): string {
    return `Local ${entry.label}`;
  }

  private statusChanged(key: string, status: ServerStatus): void {
    let entry = this.entries.get(key);
    if (!entry) {
      const label = status.state === 'running' && status.snapshot ? status.snapshot.label : this.labelOf(key);
      entry = { path: key, key, label, found: false };
      this.entries.set(key, entry);
    }
    const name = this.connectionName(entry);
    this.followWrites(entry, status.state === 'running');
    if (status.state === 'running') {
      this.deps.connections.addSession({ name, url: status.url, local: entry.label });
    } else if (status.state !== 'starting') {
      this.deps.connections.removeSession(name);
      if (entry.found && entry.path === key) {
        void this.describe(entry).then(() => this.changed.fire()); // its size changed while it ran
      }
    }
    if (status.state === 'stopped-unexpectedly') {
      void this.tellCrash(entry, status);
    }
    this.changed.fire();
  }

  /** While its server runs, the folder's size is measured again after each write (throttled, see writeWatch.ts). */
  private followWrites(entry: FolderEntry, running: boolean): void {
    const key = entry.key;
    const watching = this.writeWatches.get(key);
    if (running && !watching) {
      const resize = async () => {
        const info = await dataFolderInfo(key).catch(() => undefined);
        const current = this.entries.get(key); // a search may have replaced the entry meanwhile
        if (info && current) {
          current.info = info;
          this.changed.fire();
        }
      };
      this.writeWatches.set(key, serverCode().watchWrites(key, () => void resize()));
      void resize(); // what it wrote before it answered
    } else if (!running && watching) {
      watching.dispose();
      this.writeWatches.delete(key);
    }
  }

  private async tellCrash(entry: FolderEntry, status: Extract<ServerStatus, { state: 'stopped-unexpectedly' }>): Promise<void> {
    const text = crashText(entry.label, status);
    this.log.warn(text);
    const choice = await vscode.window.showWarningMessage(text, 'Restart', 'Show Output');
    if (choice === 'Restart') {
      await vscode.commands.executeCommand('chroma.restartLocalChroma', entry.key);
    } else if (choice === 'Show Output') {
      this.output(entry.key).show();
    }
  }

  /** The running server of a folder this window knows of. */
  running(entry: FolderEntry): RunningServer | undefined {
    const status = this.status(entry);
    return status.state === 'running' ? status : undefined;
  }

  /** Stops what this window started (deactivation); the watchdogs stop them too if the host dies first. */
  async stopAll(): Promise<void> {
    await this.loaded?.dispose();
  }

  dispose(): void {
    this.subscription?.dispose();
    for (const watch of this.writeWatches.values()) {
      watch.dispose();
    }
    void this.loaded?.dispose();
    for (const channel of this.outputs.values()) {
      channel.dispose();
    }
    this.changed.dispose();
  }
}

/** "Chroma on ./chroma stopped unexpectedly (exit code 1): <its last line>." */
export function crashText(label: string, status: Extract<ServerStatus, { state: 'stopped-unexpectedly' }>): string {
  const how = status.code !== null ? `exit code ${status.code}` : status.signal ? `signal ${status.signal}` : 'its process is gone';
  const why = status.diagnosis?.reason ?? status.lastLine;
  return `Chroma on ${label} stopped unexpectedly (${how})${why ? `: ${displayLine(why, 300)}` : ''}.`;
}
