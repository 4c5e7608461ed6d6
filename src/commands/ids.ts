/** Every command id the extension contributes, in one place. package.json must declare exactly these. */
export const Commands = {
  checkServer: 'chroma.checkServer',
  showLog: 'chroma.showLog',
  addConnection: 'chroma.addConnection',
  editConnection: 'chroma.editConnection',
  renameConnection: 'chroma.renameConnection',
  removeConnection: 'chroma.removeConnection',
  setToken: 'chroma.setToken',
  importCliProfiles: 'chroma.importCliProfiles',
  connectLocalhost: 'chroma.connectLocalhost',
  refreshExplorer: 'chroma.refreshExplorer',
  refreshNode: 'chroma.refreshNode',
  loadMore: 'chroma.loadMore',
  openRecord: 'chroma.openRecord',
  openInEditor: 'chroma.openInEditor',
  copyRecordId: 'chroma.copyRecordId',
  copyCollectionId: 'chroma.copyCollectionId',
  statusMenu: 'chroma.statusMenu',
  checkNow: 'chroma.checkNow',
  switchConnection: 'chroma.switchConnection',
  showServerInfo: 'chroma.showServerInfo',
  showTelemetry: 'chroma.showTelemetry',
  addComposeService: 'chroma.addComposeService',
  turnOffTelemetry: 'chroma.turnOffTelemetry',
} as const;

export type CommandId = (typeof Commands)[keyof typeof Commands];
