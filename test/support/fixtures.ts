/** Mocha helpers shared by the suites that run against a real Chroma server. */
import { randomBytes } from 'node:crypto';
import { ChromaClient } from '../../src/chroma';
import type { ChromaClientOptions } from '../../src/chroma';
import { ChromaServer } from './chromaServer';

/** Starts one real server for the enclosing `describe`, stopped after it. */
export function useChromaServer(opts: { env?: Record<string, string> } = {}): { readonly server: ChromaServer } {
  const holder: { server?: ChromaServer } = {};
  before(async function () {
    this.timeout(90_000);
    holder.server = await ChromaServer.start({ env: opts.env });
  });
  after(async function () {
    this.timeout(30_000);
    await holder.server?.stop();
  });
  return {
    get server(): ChromaServer {
      if (!holder.server) {
        throw new Error('the Chroma server has not started');
      }
      return holder.server;
    },
  };
}

export function clientFor(url: string, opts: Partial<ChromaClientOptions> = {}): ChromaClient {
  return new ChromaClient({ url, timeoutMs: 20_000, ...opts });
}

/** A collection name no other test uses. */
export function uniqueName(prefix = 'test'): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/** Deterministic pseudo-random unit vectors. */
export function vectors(count: number, dim: number, seed = 1): number[][] {
  let s = seed >>> 0 || 1;
  const rand = () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return ((s >>> 0) / 0xffffffff) * 2 - 1;
  };
  return Array.from({ length: count }, () => {
    const v = Array.from({ length: dim }, rand);
    const norm = Math.hypot(...v) || 1;
    return v.map((x) => x / norm);
  });
}
