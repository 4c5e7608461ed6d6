/**
 * The client's module (its own chunk, dist/chunks/chroma.js, with the transport and ofetch), required where the
 * first client is built: on the first listing or heartbeat, never at activation.
 */
import type * as ClientModule from './client';

export function clientModule(): typeof ClientModule {
  // esbuild.mjs (CHUNKS) makes this a require of dist/chunks/chroma.js
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./client') as typeof ClientModule;
}
