/**
 * Local Chroma, the pure core (no `vscode`): data folders, which Chroma serves them, installing one, running,
 * watching and stopping `chroma run`, one server per folder across windows, busy folders and snapshots.
 *
 * What the VS Code layer uses (see each module for details):
 * - `new LocalServers({ storageDir: context.globalStorageUri.fsPath })`: one per extension host; `dispose()` at
 *   deactivation stops what this window started; `onDidChange` / `status(await folderKey(f))` feed the tree and the
 *   status bar; `stop`, `restart`, `findRunning`, `removeLeftoverSnapshots()` at activation.
 * - `openDataFolder(folder, deps)`: the whole Open / New command, with the modals and progress as callbacks.
 * - `resolveServerCommand(...)` for the tooltip's "which Chroma and its version" and the log of candidates.
 * - `isDataFolder`, `dataFolderOfSqlite`, `dataFolderInfo`, `createDataFolder`, `displayPath`, `formatSize` for the
 *   Local data node and New Local Chroma…; `installChroma` / `defaultInstallVersions` for an explicit install.
 */
export { checkFolderBusy, describeHolder } from './busyFolder';
export type { BusyCheck } from './busyFolder';
export {
  DEFAULT_NEW_FOLDER,
  SQLITE_FILE,
  createDataFolder,
  dataFolderInfo,
  dataFolderOfSqlite,
  displayPath,
  formatSize,
  isDataFolder,
} from './dataFolder';
export type { DataFolderInfo } from './dataFolder';
export { LocalServerError, errorText } from './errors';
export type { LocalErrorKind } from './errors';
export { defaultInstallVersions, glibcVersion, installChroma } from './installer';
export type { InstallOptions, InstallProgress, InstallVersions } from './installer';
export { findInstalled } from './installed';
export type { InstalledChroma } from './installed';
export { defaultNodeRunner } from './launch';
export type { NodeRunner } from './launch';
export { LocalServers } from './localServers';
export type { LocalServersOptions, RunningServer, ServerStatus, StartOptions } from './localServers';
export { chooseServerCommand, openDataFolder } from './openFolder';
export type { BusyChoice, OpenFolderDeps, OpenResult } from './openFolder';
export type { Diagnosis } from './output';
export type { OpenFileHolder } from './procfs';
export { describeProvenance } from './provenance';
export type { Provenance } from './provenance';
export { SOURCE_LABELS, resolveServerCommand } from './resolveServer';
export type { Candidate, Resolution, ResolveOptions, ServerCommand, ServerSource } from './resolveServer';
export { folderKey } from './serverRegistry';
export type { ServerState } from './serverRegistry';
export type { ExitInfo } from './serverProcess';
export { deleteSnapshot, keepSnapshot, listSnapshots } from './snapshot';
export { watchWrites } from './writeWatch';
export type { WriteWatch } from './writeWatch';
export type { Snapshot } from './snapshot';
