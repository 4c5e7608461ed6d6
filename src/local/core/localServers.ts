/**
 * The local servers of one extension host: which data folder has which server, started by us (owned) or found
 * running for another window (attached), and what became of it. The VS Code layer maps `status()` and
 * `onDidChange` to tree nodes and the status bar, and calls `dispose()` at deactivation. Never restarts anything
 * on its own: a server that exits by itself is "stopped unexpectedly" until the user restarts it.
 */
import { join } from 'node:path';
import { Emitter } from '../../util/emitter';
import type { Subscription } from '../../util/emitter';
import { checkFolderBusy } from './busyFolder';
import type { BusyCheck } from './busyFolder';
import { LocalServerError } from './errors';
import type { NodeRunner } from './launch';
import { LOCAL_HOST } from './launch';
import { PinnedPorts } from './pinnedPorts';
import type { Diagnosis } from './output';
import { pidAlive } from './procfs';
import type { ServerCommand } from './resolveServer';
import { ServerRegistry, folderKey } from './serverRegistry';
import type { ServerState } from './serverRegistry';
import { ChromaProcess } from './serverProcess';
import type { ExitInfo } from './serverProcess';
import { deleteSnapshot, keepSnapshot as keepSnapshotFile, listSnapshots } from './snapshot';
import type { Snapshot } from './snapshot';
import { stopPid } from './stopPid';
import type { WatchdogKind } from './watchdog';

export interface RunningServer {
  /** The data folder served (real path; a snapshot's data folder for a snapshot). */
  folder: string;
  url: string;
  port: number;
  pid: number;
  /** True: this window started it and stops it; false: another window's, connected to. */
  owned: boolean;
  /** What runs: "npm chromadb 3.0.6 (binding 1.0.1) from the workspace's node_modules". */
  description: string;
  startedAt: string;
  snapshot?: Snapshot;
}

export type ServerStatus =
  | { state: 'not-running' }
  | { state: 'starting' }
  | ({ state: 'running' } & RunningServer)
  | { state: 'stopped-unexpectedly'; code: number | null; signal: string | null; lastLine?: string; diagnosis?: Diagnosis };

export interface LocalServersOptions {
  /** The extension's global storage folder: `servers/` (state files) and `snapshots/` go in it. */
  storageDir: string;
  runner?: NodeRunner;
  startTimeoutMs?: number;
  stopGraceMs?: number;
  watchdog?: WatchdogKind;
  /** How often servers of other windows are checked for life (default 5 s). */
  attachedPollMs?: number;
}

export interface StartOptions {
  command: ServerCommand;
  /** For messages: "./chroma". */
  label?: string;
  onLine?: (line: string) => void;
  signal?: AbortSignal;
  /** Serve this snapshot's data folder; it is deleted when the server stops unless kept. */
  snapshot?: Snapshot;
}

interface Entry {
  status: ServerStatus;
  process?: ChromaProcess;
  /** Where the last start came from, for restart(). */
  start?: StartOptions;
  /** Settles once the process's exit has been recorded. */
  exitHandled?: Promise<void>;
}

function toServer(state: ServerState): RunningServer {
  return {
    folder: state.folder,
    url: `http://${LOCAL_HOST}:${state.port}`,
    port: state.port,
    pid: state.pid,
    owned: state.ownerPid === process.pid,
    description: state.description,
    startedAt: state.startedAt,
  };
}

export class LocalServers {
  readonly registry: ServerRegistry;
  readonly snapshotsDir: string;
  /** Ports of folders saved as connections: their servers always start there. */
  readonly pinnedPorts: PinnedPorts;
  private readonly entries = new Map<string, Entry>();
  private readonly changed = new Emitter<{ folder: string; status: ServerStatus }>();
  private readonly pending = new Map<string, Promise<RunningServer>>();
  private readonly poll: NodeJS.Timeout;
  /** Fired whenever a folder's status changes. */
  readonly onDidChange: (listener: (e: { folder: string; status: ServerStatus }) => void) => Subscription = this.changed.event;

  constructor(private readonly opts: LocalServersOptions) {
    this.registry = new ServerRegistry(join(opts.storageDir, 'servers'));
    this.snapshotsDir = join(opts.storageDir, 'snapshots');
    this.pinnedPorts = new PinnedPorts(join(opts.storageDir, 'pinned-ports.json'));
    this.poll = setInterval(() => void this.checkAttached(), opts.attachedPollMs ?? 5000);
    this.poll.unref();
  }

  /** The status this window knows of (a real path or the folder as given). */
  status(folder: string): ServerStatus {
    return this.entries.get(folder)?.status ?? { state: 'not-running' };
  }

  /** Every folder with a known status. */
  folders(): string[] {
    return [...this.entries.keys()];
  }

  private set(folder: string, status: ServerStatus, patch: Partial<Entry> = {}): void {
    const entry = { ...this.entries.get(folder), ...patch, status };
    this.entries.set(folder, entry);
    this.changed.fire({ folder, status });
  }

  /** A live server for the folder started by any window (attached to when another's), else undefined. */
  async findRunning(folder: string): Promise<RunningServer | undefined> {
    const key = await folderKey(folder);
    const mine = this.entries.get(key)?.status;
    if (mine?.state === 'running') {
      return mine;
    }
    const state = await this.registry.findLive(key);
    return state ? this.attach(state) : undefined;
  }

  private attach(state: ServerState): RunningServer {
    const server = toServer(state);
    this.set(state.folder, { state: 'running', ...server });
    return server;
  }

  /** Other processes with the folder open, leaving out the servers the registry knows. */
  async checkBusy(folder: string): Promise<BusyCheck> {
    const live = await this.registry.listLive();
    return checkFolderBusy(folder, { excludePids: live.flatMap((s) => [s.pid, s.watchdogPid ?? -1]) });
  }

  /**
   * The folder's server: this window's or another's when one runs, else a new one. Concurrent calls for a folder
   * share one start; across windows a start lock does the same.
   */
  async start(folder: string, start: StartOptions): Promise<RunningServer> {
    const key = await folderKey(start.snapshot?.dataDir ?? folder);
    const inFlight = this.pending.get(key);
    if (inFlight) {
      return inFlight;
    }
    const run = this.startOnce(key, start).finally(() => this.pending.delete(key));
    this.pending.set(key, run);
    return run;
  }

  private async startOnce(key: string, start: StartOptions): Promise<RunningServer> {
    const running = await this.findRunning(key);
    if (running) {
      return running;
    }
    const lock = await this.waitForLock(key, start.signal);
    if (!lock) {
      const other = await this.findRunning(key);
      if (other) {
        return other;
      }
      throw new LocalServerError(`Another window is starting Chroma on ${start.label ?? key} and did not finish; try again.`, 'folder-locked');
    }
    try {
      const again = await this.findRunning(key);
      if (again) {
        return again;
      }
      this.set(key, { state: 'starting' }, { start });
      const pinned = start.snapshot ? undefined : await this.pinnedPorts.get(key);
      let proc: ChromaProcess;
      try {
        proc = await ChromaProcess.start({
          folder: key,
          port: pinned,
          command: start.command,
          label: start.label,
          runner: this.opts.runner,
          startTimeoutMs: this.opts.startTimeoutMs,
          stopGraceMs: this.opts.stopGraceMs,
          watchdog: this.opts.watchdog,
          onLine: start.onLine,
          signal: start.signal,
        });
      } catch (e) {
        this.set(key, { state: 'not-running' });
        if (start.snapshot && !start.snapshot.keep) {
          await deleteSnapshot(start.snapshot);
        }
        if (pinned !== undefined && e instanceof LocalServerError && e.kind === 'port-in-use') {
          throw new LocalServerError(
            `${e.message} The folder was saved as a connection on that port, so its server starts only there: close the program that holds port ${pinned}, then start again.`,
            'port-in-use',
          );
        }
        throw e;
      }
      const state: ServerState = {
        folder: key,
        port: proc.port,
        pid: proc.pid as number,
        watchdogPid: proc.watchdogPid,
        ownerPid: process.pid,
        description: start.command.description,
        command: [...proc.argv],
        startedAt: proc.startedAt.toISOString(),
        snapshotOf: start.snapshot?.source,
      };
      await this.registry.write(state);
      const exitHandled = new Promise<void>((resolve) => proc.onDidExit((exit) => void this.exited(key, proc, exit).finally(resolve)));
      const server: RunningServer = { ...toServer(state), owned: true, snapshot: start.snapshot };
      this.set(key, { state: 'running', ...server }, { process: proc, exitHandled });
      return server;
    } finally {
      await lock.release();
    }
  }

  private async waitForLock(key: string, signal?: AbortSignal) {
    const deadline = Date.now() + (this.opts.startTimeoutMs ?? 60_000) + 5000;
    for (;;) {
      const lock = await this.registry.lock(key);
      if (lock || Date.now() > deadline || signal?.aborted || (await this.registry.findLive(key))) {
        return lock;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  private async exited(key: string, proc: ChromaProcess, exit: ExitInfo): Promise<void> {
    const state = await this.registry.read(key);
    const requested = exit.requested || (state?.pid === proc.pid && state?.stopRequested === true);
    await this.registry.remove(key, proc.pid);
    // A crashed snapshot stays for Restart; stop() deletes it when the user stops instead.
    const snapshot = this.entries.get(key)?.start?.snapshot;
    if (requested && snapshot && !snapshot.keep) {
      await deleteSnapshot(snapshot).catch(() => undefined);
    }
    if (this.entries.get(key)?.process !== proc) {
      return; // a newer start replaced it
    }
    this.set(
      key,
      requested ? { state: 'not-running' } : { state: 'stopped-unexpectedly', code: exit.code, signal: exit.signal, lastLine: exit.lastLine, diagnosis: exit.diagnosis },
      { process: undefined },
    );
  }

  /** Keeps the snapshot a folder (its snapshot's data folder) serves after its server stops. */
  async keepSnapshot(folder: string): Promise<Snapshot | undefined> {
    const entry = this.entries.get(await folderKey(folder));
    const snapshot = entry?.start?.snapshot;
    if (!entry?.start || !snapshot) {
      return undefined;
    }
    entry.start.snapshot = await keepSnapshotFile(snapshot);
    return entry.start.snapshot;
  }

  /** Stops the folder's server: ours with its process, another window's by its PID (that window sees a requested stop). */
  async stop(folder: string): Promise<void> {
    const key = await folderKey(folder);
    const entry = this.entries.get(key);
    if (entry?.process?.running) {
      await entry.process.stop();
      await entry.exitHandled;
      return;
    }
    const snapshot = entry?.start?.snapshot;
    if (snapshot && !snapshot.keep && entry?.status.state === 'stopped-unexpectedly') {
      await deleteSnapshot(snapshot).catch(() => undefined);
    }
    const state = await this.registry.findLive(key);
    if (state) {
      await this.registry.write({ ...state, stopRequested: true });
      await stopPid(state.pid, this.opts.stopGraceMs ?? 5000);
      await this.registry.remove(key, state.pid);
    }
    this.set(key, { state: 'not-running' }, { process: undefined });
  }

  /**
   * Pins the port the folder's server runs on now (Save as Connection): every later start of the folder uses it, so
   * a connection saved with this URL keeps answering. Returns the port.
   */
  async pinPort(folder: string): Promise<number> {
    const key = await folderKey(folder);
    const status = this.status(key);
    if (status.state !== 'running') {
      throw new LocalServerError(`Chroma on ${folder} is not running: start it, then save it as a connection.`, 'folder');
    }
    await this.pinnedPorts.pin(key, status.port);
    return status.port;
  }

  /** Stops (when running) and starts again with the last start's command, or the one given. */
  async restart(folder: string, start?: StartOptions): Promise<RunningServer> {
    const key = await folderKey(folder);
    const last = start ?? this.entries.get(key)?.start;
    if (!last) {
      throw new LocalServerError(`Nothing to restart on ${folder}: open the data folder first.`, 'folder');
    }
    const entry = this.entries.get(key);
    if (entry?.process?.running) {
      await this.stop(key);
    }
    return this.start(key, last);
  }

  /** Servers of other windows that went away: not running, or stopped unexpectedly when their state file stayed. */
  private async checkAttached(): Promise<void> {
    for (const [key, entry] of this.entries) {
      if (entry.status.state === 'running' && !entry.process && !pidAlive(entry.status.pid)) {
        const left = await this.registry.read(key);
        await this.registry.remove(key, entry.status.pid);
        const crashed = left?.pid === entry.status.pid && !left.stopRequested;
        this.set(key, crashed ? { state: 'stopped-unexpectedly', code: null, signal: null } : { state: 'not-running' });
      }
    }
  }

  /**
   * Deletes snapshots left by a window that died while serving one (not kept, served by no live server). For
   * activation; returns how many went.
   */
  async removeLeftoverSnapshots(): Promise<number> {
    const served = new Set((await this.registry.listLive()).map((s) => s.folder));
    const pending = new Set([...this.entries.values()].map((e) => e.start?.snapshot?.dataDir));
    let removed = 0;
    for (const snap of await listSnapshots(this.snapshotsDir)) {
      if (!snap.keep && !served.has(await folderKey(snap.dataDir)) && !pending.has(snap.dataDir)) {
        await deleteSnapshot(snap);
        removed++;
      }
    }
    return removed;
  }

  /** Stops every server this window started (deactivation, window close). */
  async dispose(): Promise<void> {
    clearInterval(this.poll);
    await Promise.all([...this.entries.values()].map((e) => e.process?.stop()));
    this.changed.dispose();
  }
}
