/**
 * What the explorer has loaded under each node: the listing promise per node id, the listings that have arrived
 * (for what must not wait), the nodes a refresh dropped, the listings in flight (counts wait for them), and the
 * Find Collection… names per database. Dropped by id prefix, so a refresh forgets a node and everything under it.
 * No `vscode` here.
 */
import type { Collection } from '../../chroma/types';
import type { Listing } from './listing';
import type { ExplorerNode } from './nodes';

export class ListingCache {
  private readonly listings = new Map<string, Promise<Listing<ExplorerNode>>>();
  /** Listings that have arrived, for what must not wait (descriptions, Find Collection…). */
  private readonly settledListings = new Map<string, Listing<ExplorerNode>>();
  /** Nodes of listings that a refresh dropped: their pending counts are skipped. */
  private readonly retiredNodes = new WeakSet<ExplorerNode>();
  /** Every collection of a database (Find Collection…), kept until the database is refreshed. */
  private readonly names = new Map<string, Promise<Collection[]>>();
  /** Listings being fetched: counts wait for them, so opening a collection never queues behind counts. */
  private activeFetches = 0;
  private idleWaiters: Array<() => void> = [];

  /**
   * The listing of `node`'s children: the one loaded or loading, else `first()` (kept, and recorded as arrived
   * unless dropped meanwhile, when `arrived` is told about it).
   */
  list(id: string, first: () => Promise<Listing<ExplorerNode>>, arrived?: (listing: Listing<ExplorerNode>) => void): Promise<Listing<ExplorerNode>> {
    let pending = this.listings.get(id);
    if (!pending) {
      const fetching = first();
      pending = fetching;
      this.listings.set(id, fetching);
      void fetching.then((l) => {
        if (this.listings.get(id) === fetching) {
          this.settledListings.set(id, l);
          arrived?.(l);
        }
      });
    }
    return pending;
  }

  /** The listing loaded or loading under `id`, if any. */
  pending(id: string): Promise<Listing<ExplorerNode>> | undefined {
    return this.listings.get(id);
  }

  /** Whether something is loaded or loading under `id` (the node is open in the tree). */
  has(id: string): boolean {
    return this.listings.has(id);
  }

  /** The listing under `id`, if it has arrived. */
  settled(id: string): Listing<ExplorerNode> | undefined {
    return this.settledListings.get(id);
  }

  /** Replaces the listing under `id` with one on its way (a next page). */
  replace(id: string, next: Promise<Listing<ExplorerNode>>): void {
    this.listings.set(id, next);
  }

  /** Records the listing under `id` as arrived (and as the one loaded). */
  settle(id: string, listing: Listing<ExplorerNode>): void {
    this.listings.set(id, Promise.resolve(listing));
    this.settledListings.set(id, listing);
  }

  /** Records a next page as arrived, keeping the promise already loaded. */
  arrived(id: string, listing: Listing<ExplorerNode>): void {
    this.settledListings.set(id, listing);
  }

  /** Forgets the listings and names whose keys match; their nodes are retired. */
  drop(matches: (key: string) => boolean): void {
    for (const [key, listing] of [...this.listings]) {
      if (matches(key)) {
        this.listings.delete(key);
        this.settledListings.delete(key);
        void listing.then((l) => [...l.items, ...l.pool].forEach((n) => this.retiredNodes.add(n)));
      }
    }
    for (const key of [...this.names.keys()]) {
      if (matches(key)) {
        this.names.delete(key);
      }
    }
  }

  /** Forgets what was loaded under the node with this id, and under its descendants. */
  dropUnder(id: string): void {
    this.drop((key) => key === id || key.startsWith(`${id}/`));
  }

  /** Whether the node belongs to a listing a refresh dropped. */
  retired(node: ExplorerNode): boolean {
    return this.retiredNodes.has(node);
  }

  /** The names of a database's collections, fetched once by `fetch` and kept until the database is dropped. */
  collectionNames(id: string, fetch: () => Promise<Collection[]>): { pending: Promise<Collection[]>; fresh: boolean } {
    const known = this.names.get(id);
    if (known) {
      return { pending: known, fresh: false };
    }
    const pending = fetch();
    this.names.set(id, pending);
    pending.catch(() => this.names.delete(id));
    return { pending, fresh: true };
  }

  /** Runs a listing's request, counted as in flight. */
  async fetching<T>(work: () => Promise<T>): Promise<T> {
    this.activeFetches++;
    try {
      return await work();
    } finally {
      if (--this.activeFetches === 0) {
        const waiters = this.idleWaiters;
        this.idleWaiters = [];
        waiters.forEach((w) => w());
      }
    }
  }

  /** Resolves when no listing is in flight. */
  whenNoFetches(): Promise<void> {
    return this.activeFetches === 0 ? Promise.resolve() : new Promise((r) => this.idleWaiters.push(r));
  }
}
