/** Every command id the extension contributes, in one place. package.json must declare exactly these. */
export const Commands = {
  checkServer: 'chroma.checkServer',
  showLog: 'chroma.showLog',
} as const;

export type CommandId = (typeof Commands)[keyof typeof Commands];
