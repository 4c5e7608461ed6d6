/** One look at a server: is it up, which version, how fast, and what it allows. Used by commands and the status bar. */
import type { ChromaClient } from './client';
import type { PreflightChecks, Scope } from './types';

export interface ServerProbe {
  url: string;
  version: string;
  /** Round trip of the heartbeat request, in ms. */
  latencyMs: number;
  preflight: PreflightChecks;
  scope: Scope;
  collections: number;
}

export async function probeServer(client: ChromaClient, opts: { signal?: AbortSignal } = {}): Promise<ServerProbe> {
  const started = performance.now();
  await client.heartbeat({ signal: opts.signal, retries: 0 });
  const latencyMs = performance.now() - started;
  const [version, preflight, scope] = await Promise.all([
    client.version(opts),
    client.preflight({ ...opts, refresh: true }),
    client.scope(opts),
  ]);
  const collections = await client.countCollections({ scope, signal: opts.signal });
  return { url: client.baseUrl, version, latencyMs, preflight, scope, collections };
}
