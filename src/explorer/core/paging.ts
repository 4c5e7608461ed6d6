/**
 * The pages of a node's children: a connection's databases, a database's collections (all at once and by name up
 * to the sorted-list limit, page by page in the server's order past it), a collection's records. A failed page
 * becomes an error item of the listing. No `vscode` here.
 */
import type { ChromaClient } from '../../chroma/client';
import type { DatabaseCounts } from './databaseCounts';
import { listDatabases } from './databaseListing';
import { byName, collectionPage, recordPage } from './listing';
import type { Listing } from './listing';
import type { ListingCache } from './listingCache';
import { errorNode } from './nodes';
import type { CollectionNode, DatabaseNode, ExplorerNode, ParentNode } from './nodes';
import { databaseExists, isMissingDatabase } from './unlistedDatabases';

export const DEFAULT_SORTED_LIST_LIMIT = 1_000;

export interface PagerDeps {
  cache: ListingCache;
  databases: DatabaseCounts;
  client(node: ExplorerNode): Promise<ChromaClient>;
  collectionPageSize: number;
  recordPageSize: number;
  sortedListLimit?: () => number;
  addedDatabases?: (connectionName: string, tenant: string) => readonly string[];
  /** Databases found to be past the sorted-list limit (see ExplorerModelOptions.largeDatabases). */
  large: { has(key: string): boolean; add(key: string): void; delete(key: string): void };
  /** Counts the records of collections now shown. */
  scheduleCounts(nodes: readonly CollectionNode[]): void;
  /** A server's refusal of a collection's record filter, in the filter's words. */
  explained(node: ParentNode, e: unknown): string | undefined;
}

export class Pager {
  constructor(private readonly deps: PagerDeps) {}

  firstPage(node: ParentNode): Promise<Listing<ExplorerNode>> {
    const d = this.deps;
    return d.cache.fetching(async () => {
      try {
        switch (node.kind) {
          case 'connection':
            return await listDatabases(node, await d.client(node), d.addedDatabases);
          case 'database':
            return await this.fetchCollections(node);
          case 'collection':
            return await recordPage(await d.client(node), node, 0, d.recordPageSize, undefined);
        }
      } catch (e) {
        return { items: [], pool: [], fetched: 0, exhausted: true, error: errorNode(node, e, d.explained(node, e)) };
      }
    });
  }

  /** The listing with one more page shown: from the pool when it has some, else from the server. */
  nextPage(node: ParentNode, current: Listing<ExplorerNode>): Promise<Listing<ExplorerNode>> {
    const d = this.deps;
    if (current.pool.length > 0) {
      const shown = current.pool.slice(0, d.collectionPageSize);
      d.scheduleCounts(shown);
      return Promise.resolve({ ...current, items: [...current.items, ...shown], pool: current.pool.slice(shown.length) });
    }
    return d.cache.fetching(async () => {
      try {
        if (node.kind === 'database') {
          const page = await collectionPage(await d.client(node), node, current.fetched, d.collectionPageSize);
          d.scheduleCounts(page);
          return { ...current, items: [...current.items, ...page], fetched: current.fetched + page.length, exhausted: page.length < d.collectionPageSize };
        }
        if (node.kind === 'collection') {
          return await recordPage(await d.client(node), node, current.fetched, d.recordPageSize, current);
        }
        return current;
      } catch (e) {
        return { ...current, exhausted: true, error: errorNode(node, e, d.explained(node, e)) };
      }
    });
  }

  /**
   * The first page of a database's collections. Up to the sorted-list limit, one request fetches them all and the
   * tree shows them by name, a page at a time from memory; past it, they come in the server's order.
   */
  private async fetchCollections(node: DatabaseNode): Promise<Listing<ExplorerNode>> {
    const d = this.deps;
    const limit = Math.max(0, Math.floor(d.sortedListLimit?.() ?? DEFAULT_SORTED_LIST_LIMIT));
    const pageSize = d.collectionPageSize;
    // A database known to be past the limit needs no 1,001-collection request to learn it again.
    const knownLarge = d.large.has(largeKey(node, limit));
    const ask = knownLarge ? pageSize : Math.max(limit + 1, pageSize);
    // 0.5 lists a database that does not exist as empty: one the server did not list is asked for first
    if (node.unlisted && (await databaseExists(await d.client(node), node.tenant, node.database)) === false) {
      return d.databases.missing(node);
    }
    let all: CollectionNode[];
    try {
      all = await collectionPage(await d.client(node), node, 0, ask);
    } catch (e) {
      if (isMissingDatabase(e)) {
        return d.databases.missing(node);
      }
      throw e;
    }
    node.missing = undefined;
    let listing: Listing<ExplorerNode>;
    if (all.length <= limit && !knownLarge) {
      all.sort((a, b) => byName(a.collection.name, b.collection.name) || (a.collection.name < b.collection.name ? -1 : 1));
      listing = { items: all.slice(0, pageSize), pool: all.slice(pageSize), fetched: all.length, total: all.length, exhausted: true, order: 'name' };
      // the listing holds every collection: the database's count costs no request
      d.databases.set(node, all.length);
    } else {
      d.large.add(largeKey(node, limit));
      listing = { items: all.slice(0, pageSize), pool: all.slice(pageSize), fetched: all.length, exhausted: all.length < ask, order: 'server' };
      this.totalLater(node, limit);
    }
    d.scheduleCounts(listing.items as CollectionNode[]);
    return listing;
  }

  /**
   * collections_count is slow on large databases: never waited for; "Load more…" shows it once known (at once when
   * the database's own count is in).
   */
  private totalLater(node: DatabaseNode, limit: number): void {
    const d = this.deps;
    const known = d.databases.needsCount(node) ? undefined : node.collectionCount;
    void (known !== undefined ? Promise.resolve(known) : d.client(node).then((c) => c.countCollections({ scope: { tenant: node.tenant, database: node.database } })))
      .then((total) => {
        const current = d.cache.settled(node.id);
        if (current) {
          current.total = total;
        }
        d.databases.set(node, total);
        if (total <= limit) {
          d.large.delete(largeKey(node, limit)); // it shrank: sorted again from the next refresh
        }
      })
      .catch(() => undefined);
  }
}

/** The key of a database in `largeDatabases`: its node id and the limit it was measured against. */
function largeKey(node: DatabaseNode, limit: number): string {
  return `${node.id}@${limit}`;
}
