/** One look at a server: is it up, which version, how fast, and what it allows. Used by commands and the status bar. */
import type { ChromaClient } from './client';
import type { PreflightChecks, Scope } from './types';

export interface ServerProbe extends ServerFacts {
  url: string;
  /** Round trip of the heartbeat request, in ms. */
  latencyMs: number;
  collections: number;
}

/** What a server says about itself once it answers: version, limits (asked afresh) and the default scope. */
export interface ServerFacts {
  version: string;
  preflight: PreflightChecks;
  scope: Scope;
}

export async function serverFacts(client: ChromaClient, opts: { signal?: AbortSignal } = {}): Promise<ServerFacts> {
  const [version, preflight, scope] = await Promise.all([
    client.version(opts),
    client.preflight({ ...opts, refresh: true }),
    client.scope(opts),
  ]);
  return { version, preflight, scope };
}

/** Heartbeat (timed), facts and the number of collections in the default scope. */
export async function probeServer(client: ChromaClient, opts: { signal?: AbortSignal } = {}): Promise<ServerProbe> {
  const started = performance.now();
  await client.heartbeat({ signal: opts.signal, retries: 0 });
  const latencyMs = performance.now() - started;
  const facts = await serverFacts(client, opts);
  const collections = await client.countCollections({ scope: facts.scope, signal: opts.signal });
  return { url: client.baseUrl, latencyMs, collections, ...facts };
}
