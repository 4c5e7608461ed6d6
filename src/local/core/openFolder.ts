/**
 * The whole of "open this data folder" without the editor: connect to a server that already runs on it (ours or
 * another window's); else check that no other process has it open (asking the caller what to do when one has:
 * a snapshot, start anyway, or nothing); find the right Chroma (offering the install when there is none); start.
 * The VS Code layer passes its modals, progress and log as callbacks.
 */
import { homedir } from 'node:os';
import type { BusyCheck } from './busyFolder';
import { displayPath } from './dataFolder';
import { LocalServerError } from './errors';
import { installChroma } from './installer';
import type { InstallProgress, InstallVersions } from './installer';
import type { LocalServers, RunningServer } from './localServers';
import { resolveServerCommand } from './resolveServer';
import type { Resolution, ServerCommand } from './resolveServer';
import { createSnapshot } from './snapshot';
import type { Snapshot } from './snapshot';

export type BusyChoice = 'snapshot' | 'start-anyway' | 'cancel';

export interface OpenFolderDeps {
  servers: LocalServers;
  workspaceFolders: readonly string[];
  /** `chroma.local.serverCommand`. */
  setting?: string;
  /** The interpreter the Python extension selected. */
  pythonInterpreter?: string;
  /** Where installs live (a folder of global storage). */
  installDir: string;
  /** Nothing found: may we install npm chromadb into global storage? Nothing is downloaded without a yes. */
  confirmInstall(): Promise<boolean>;
  /** Other processes have the folder open (the check names them): what now? */
  whenBusy(check: Extract<BusyCheck, { checked: true }>): Promise<BusyChoice>;
  /** This platform cannot tell whether another process has the folder open. */
  onCannotCheck?(reason: string): void;
  onInstallProgress?(p: InstallProgress): void;
  /** The server's output, line by line. */
  onLine?(line: string): void;
  signal?: AbortSignal;
  installVersions?: InstallVersions;
  /** npm registry root for the install. */
  npmRegistry?: string;
  /** Where PATH is read from (process.env by default). */
  env?: NodeJS.ProcessEnv;
}

export type OpenResult =
  | { outcome: 'running'; server: RunningServer; label: string; resolution?: Resolution }
  | { outcome: 'cancelled' };

/** The Chroma for a folder, installing one when there is none and the caller agrees. Undefined: declined. */
export async function chooseServerCommand(folder: string, deps: OpenFolderDeps): Promise<{ command: ServerCommand; resolution: Resolution } | undefined> {
  const resolve = () =>
    resolveServerCommand({
      dataFolder: folder,
      workspaceFolders: deps.workspaceFolders,
      setting: deps.setting,
      pythonInterpreter: deps.pythonInterpreter,
      installDir: deps.installDir,
      env: deps.env,
    });
  let resolution = await resolve();
  if (resolution.problem) {
    throw new LocalServerError(resolution.problem, 'setting');
  }
  if (!resolution.chosen) {
    if (!(await deps.confirmInstall())) {
      return undefined;
    }
    await installChroma({
      installDir: deps.installDir,
      versions: deps.installVersions,
      registry: deps.npmRegistry,
      signal: deps.signal,
      onProgress: deps.onInstallProgress,
    });
    resolution = await resolve();
  }
  if (!resolution.chosen) {
    throw new LocalServerError('Chroma was installed but cannot be found in the extension storage; install it again.', 'install');
  }
  return { command: resolution.chosen, resolution };
}

export async function openDataFolder(folder: string, deps: OpenFolderDeps): Promise<OpenResult> {
  const shown = displayPath(folder, deps.workspaceFolders, homedir());
  const running = await deps.servers.findRunning(folder);
  if (running) {
    return { outcome: 'running', server: running, label: shown };
  }
  const chosen = await chooseServerCommand(folder, deps);
  if (!chosen) {
    return { outcome: 'cancelled' };
  }
  const busy = await deps.servers.checkBusy(folder);
  let snapshot: Snapshot | undefined;
  if (!busy.checked) {
    deps.onCannotCheck?.(busy.reason);
  } else if (busy.holders.length) {
    const choice = await deps.whenBusy(busy);
    if (choice === 'cancel') {
      return { outcome: 'cancelled' };
    }
    if (choice === 'snapshot') {
      snapshot = await createSnapshot(folder, deps.servers.snapshotsDir, { displayPath: shown });
    }
  }
  const label = snapshot?.label ?? shown;
  const server = await deps.servers.start(folder, { command: chosen.command, label, onLine: deps.onLine, signal: deps.signal, snapshot });
  return { outcome: 'running', server, label, resolution: chosen.resolution };
}
