/** The `contextValue` of each tree node kind; package.json menus match them with `viewItem ==`. */
export const ContextValues = {
  connection: 'connection',
  database: 'database',
  /** A database the user added to the view of a server that cannot list its databases: Remove from View shows on it. */
  addedDatabase: 'addedDatabase',
  collection: 'collection',
  /** A collection with a record filter: Clear Filter shows on it. */
  filteredCollection: 'filteredCollection',
  record: 'record',
  loadMore: 'loadMore',
  error: 'error',
  errorAuth: 'errorAuth',
  /** The Local data node and its data folders by their server's state (src/local/tree.ts). */
  localData: 'localData',
  localFolderRunning: 'localFolder.running',
  localFolderCrashed: 'localFolder.crashed',
  localFolderStarting: 'localFolder.starting',
  localFolderStopped: 'localFolder.stopped',
} as const;
