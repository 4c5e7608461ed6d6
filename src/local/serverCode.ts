/**
 * The local feature's code that activation does not run: the servers (launch, watch, stop, the registry shared
 * across windows, snapshots), which Chroma serves a folder, the installer and its npm registry lookup (with
 * semver), and the Open / New commands. esbuild.mjs builds it into its own chunk (dist/chunks/local.js), which
 * `serverCode()` requires on first use: the first Open, New, Stop, Restart, Show Output, Save as Connection, or a data folder found in the
 * workspace (its real path, which Chroma would serve it).
 */
export { LocalServers, folderKey, resolveServerCommand, watchWrites } from './core';
export { restartCommand, saveAsConnectionCommand, showOutputCommand, stopCommand } from './commands';
export { newLocalChromaCommand, openFolderCommand } from './open';
