/** The record editors' chunk (core/recordCode.ts), required on first use: never at activation. */
import type * as RecordCode from './core/recordCode';

export function recordCode(): typeof RecordCode {
  // esbuild.mjs (CHUNKS) makes this a require of dist/chunks/records.js
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./core/recordCode') as typeof RecordCode;
}
