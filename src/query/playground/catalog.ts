/**
 * What playground files need from the connections, kept briefly: each connection's default scope, the collection
 * names of a database and the metadata keys of a collection. Reads a file's text with that knowledge.
 */
import type * as vscode from 'vscode';
import type { ChromaClient, Scope } from '../../chroma';
import type { ConnectionConfig } from '../../connections/core/connectionConfig';
import type { Logger } from '../../platform/log';
import type { MetadataKey } from '../../filter/core/metadataKeys';
import type * as PlaygroundCore from '../core/playground';
import type { PlaygroundFile } from '../core/playground';

/** How long fetched names stay fresh: long enough for a burst of typing, short enough to see new collections. */
const FRESH_MS = 30_000;
/** After a failed lookup, how long before trying again (a server that is down must not slow every keystroke). */
const RETRY_MS = 5_000;
/** A server that does not answer soon leaves the defaults in place, rather than holding up lenses and problems. */
const LOOKUP_TIMEOUT_MS = 5_000;
/** Enough names for a completion list; a database with more is searched by typing. */
const MAX_COLLECTION_NAMES = 1_000;

export interface CatalogDeps {
  connections: () => readonly ConnectionConfig[];
  onConnectionsChanged: vscode.Event<void>;
  clientFor: (connection: ConnectionConfig) => Promise<ChromaClient>;
  /** `chroma.query.nResults`. */
  nResults: () => number;
}

interface Entry<T> {
  at: number;
  value: Promise<T>;
  settled?: T;
  failed?: boolean;
}

/** The parsing core loads with the first playground file, never at activation (it brings the JSON parser). */
export const loadPlaygroundCore = (): Promise<typeof PlaygroundCore> => import('../core/playground/index.js');

export class PlaygroundCatalog implements vscode.Disposable {
  private readonly scopes = new Map<string, Entry<Scope>>();
  private readonly collections = new Map<string, Entry<string[]>>();
  private readonly keys = new Map<string, Entry<MetadataKey[]>>();
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly deps: CatalogDeps,
    private readonly log: Logger,
  ) {
    this.subscription = deps.onConnectionsChanged(() => this.clear());
  }

  connections(): readonly ConnectionConfig[] {
    return this.deps.connections();
  }

  connection(name: string): ConnectionConfig | undefined {
    return this.deps.connections().find((c) => c.name === name);
  }

  /**
   * A file's queries and problems, with the scopes of the connections it names resolved; with `checkCollections`,
   * also warns about collections their database does not have (fetching the lists, briefly cached).
   */
  async read(text: string, opts: { checkCollections?: boolean } = {}): Promise<PlaygroundFile> {
    const { parsePlayground } = await loadPlaygroundCore();
    const connections = this.deps.connections();
    const ctx = {
      connections,
      nResults: this.deps.nResults(),
      scopeOf: (name: string) => this.scopes.get(name)?.settled,
      collectionsIn: (name: string, scope: Scope) => this.collections.get(this.dbKey(name, scope))?.settled,
    };
    let file = parsePlayground(text, ctx);
    const unresolved = file.connections.filter((name) => !this.scopes.get(name)?.settled);
    if (unresolved.length > 0) {
      await Promise.all(unresolved.map((name) => this.scopeOf(name).catch(() => undefined)));
      file = parsePlayground(text, ctx);
    }
    if (opts.checkCollections) {
      const dbs = new Map<string, { connection: string; scope: Scope }>();
      for (const q of file.queries) {
        if (q.spec) {
          const scope = { tenant: q.spec.tenant, database: q.spec.database };
          dbs.set(this.dbKey(q.spec.connection, scope), { connection: q.spec.connection, scope });
        }
      }
      const missing = [...dbs.entries()].filter(([key]) => !this.fresh(this.collections.get(key))?.settled);
      if (missing.length > 0) {
        await Promise.all(missing.map(([, d]) => this.collectionNames(d.connection, d.scope).catch(() => undefined)));
        file = parsePlayground(text, ctx);
      }
    }
    return file;
  }

  /** The tenant and database a connection uses when a file names none. */
  scopeOf(name: string): Promise<Scope> {
    return this.cached(this.scopes, name, async () => {
      const conn = this.need(name);
      if (conn.tenant && conn.database) {
        return { tenant: conn.tenant, database: conn.database };
      }
      const client = await this.deps.clientFor(conn);
      return client.scope({ signal: AbortSignal.timeout(LOOKUP_TIMEOUT_MS) });
    });
  }

  /** The collection names of a database, sorted. */
  collectionNames(name: string, scope: Scope): Promise<string[]> {
    return this.cached(this.collections, this.dbKey(name, scope), async () => {
      const client = await this.deps.clientFor(this.need(name));
      const names: string[] = [];
      for await (const c of client.iterateCollections({ scope, signal: AbortSignal.timeout(LOOKUP_TIMEOUT_MS * 2) })) {
        names.push(c.name);
        if (names.length >= MAX_COLLECTION_NAMES) {
          break;
        }
      }
      return names.sort((a, b) => a.localeCompare(b));
    });
  }

  /** A collection's metadata keys, from a sample of its records, most common first. */
  metadataKeys(name: string, scope: Scope, collection: string): Promise<MetadataKey[]> {
    return this.cached(this.keys, `${this.dbKey(name, scope)}\u0000${collection}`, async () => {
      const client = await this.deps.clientFor(this.need(name));
      const signal = AbortSignal.timeout(LOOKUP_TIMEOUT_MS * 2);
      const col = await client.getCollection(collection, { scope, signal });
      const { sampleMetadataKeys } = await import('../../filter/core/metadataKeys.js');
      return (await sampleMetadataKeys(client, col, { signal })).keys;
    });
  }

  clear(): void {
    this.scopes.clear();
    this.collections.clear();
    this.keys.clear();
  }

  dispose(): void {
    this.subscription.dispose();
    this.clear();
  }

  private need(name: string): ConnectionConfig {
    const conn = this.connection(name);
    if (!conn) {
      throw new Error(`There is no connection named "${name}".`);
    }
    return conn;
  }

  private dbKey(name: string, scope: Scope): string {
    return `${name}\u0000${scope.tenant}\u0000${scope.database}`;
  }

  private fresh<T>(e: Entry<T> | undefined): Entry<T> | undefined {
    return e && Date.now() - e.at < (e.failed ? RETRY_MS : FRESH_MS) ? e : undefined;
  }

  /** A fresh entry's value, else a new lookup; a failed one is tried again after a few seconds. */
  private cached<T>(map: Map<string, Entry<T>>, key: string, load: () => Promise<T>): Promise<T> {
    const hit = this.fresh(map.get(key));
    if (hit) {
      return hit.value;
    }
    const entry: Entry<T> = { at: Date.now(), value: load() };
    // a stale value keeps serving the parser until the new one arrives
    entry.settled = map.get(key)?.settled;
    map.set(key, entry);
    entry.value.then(
      (v) => {
        entry.settled = v;
      },
      (e: unknown) => {
        entry.failed = true;
        entry.at = Date.now();
        this.log.debug(`a lookup for a playground file failed: ${e instanceof Error ? e.message : String(e)}`);
      },
    );
    return entry.value;
  }
}
