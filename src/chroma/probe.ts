/** One look at a server: is it up, what it says it is, how fast, and what it allows and supports. Used by commands and the status bar. */
import type { ServerCapabilities } from './capabilities';
import type { ChromaClient } from './client';
import type { PreflightChecks, Scope } from './types';

export interface ServerProbe extends ServerFacts {
  url: string;
  /** Round trip of the heartbeat request, in ms. */
  latencyMs: number;
  collections: number;
}

/** What a server says about itself once it answers: version, limits (asked afresh), the default scope, and what it supports. */
export interface ServerFacts {
  /** As reported: every 1.x server reports "1.0.0", so it tells the major version at most (see serverLabel). */
  version: string;
  preflight: PreflightChecks;
  scope: Scope;
  /** Detected afresh (see capabilities.ts). */
  capabilities: ServerCapabilities;
  /** Whether Chroma Cloud's limits apply (its host name, or the client's `cloud` option). */
  cloud: boolean;
}

export async function serverFacts(client: ChromaClient, opts: { signal?: AbortSignal } = {}): Promise<ServerFacts> {
  const [version, [capabilities, preflight], scope] = await Promise.all([
    client.version(opts),
    // detection asks pre-flight afresh; the limits then come from that answer
    client.capabilities({ ...opts, refresh: true }).then(async (caps) => [caps, await client.preflight(opts)] as const),
    client.scope(opts),
  ]);
  return { version, preflight, scope, capabilities, cloud: client.limits.cloud };
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
