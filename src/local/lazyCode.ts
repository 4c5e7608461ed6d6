/** The local feature's chunk (src/local/serverCode.ts), required on first use: never at activation. */
import type * as ServerCode from './serverCode';

export function serverCode(): typeof ServerCode {
  // esbuild.mjs (CHUNKS) makes this a require of dist/chunks/local.js
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./serverCode') as typeof ServerCode;
}
