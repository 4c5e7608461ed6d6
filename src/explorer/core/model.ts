/**
 * The explorer's data: connection → databases → collections → records, fetched lazily and page by page, cached per
 * node (listingCache, paging), with counts fetched in the background (recordCounts, databaseCounts). The VS Code tree
 * only maps these nodes to TreeItems and listens to `onDidChange`. No `vscode` here: tested in plain Node.
 */
import type { ChromaClient } from '../../chroma/client';
import type { Collection } from '../../chroma/types';
import type { ConnectionConfig } from '../../connections/core/connectionConfig';
import type { Filter } from '../../filter/core/filter';
import { Emitter } from '../../util/emitter';
import { fetchAllCollections } from './allCollections';
import { ChangeQueue } from './changeQueue';
import { DatabaseCounts } from './databaseCounts';
import { activeFilter, hasMore, uniqueById } from './listing';
import type { CollectionOrder, Listing } from './listing';
import { ListingCache } from './listingCache';
import { connectionId, connectionOf, databaseId, emptyText } from './nodes';
import type { CollectionNode, ConnectionNode, DatabaseNode, ExplorerNode, FilterExplainer, LoadMoreNode, ParentNode } from './nodes';
import { Pager } from './paging';
import { RecordCounts } from './recordCounts';

export interface ExplorerModelOptions {
  connections: () => readonly ConnectionConfig[];
  clientFor: (conn: ConnectionConfig) => Promise<ChromaClient>;
  collectionPageSize?: number;
  recordPageSize?: number;
  /** Count requests in flight at once (default 4). */
  countConcurrency?: number;
  /** Database collection counts in flight at once (default 2), apart from the record counts. */
  databaseCountConcurrency?: number;
  /**
   * Databases with up to this many collections list them sorted by name (all fetched with the first page);
   * larger ones list them in the server's order, page by page. Read at each listing (default 1,000).
   */
  sortedListLimit?: () => number;
  /** Changes arriving within this many ms become one tree event (default 100). */
  coalesceMs?: number;
  /** Databases the user added to the view of a connection whose server cannot list them (Add Database to View…). */
  addedDatabases?: (connectionName: string, tenant: string) => readonly string[];
  /**
   * Databases found to be past the sorted-list limit (keys from the model), e.g. kept across sessions: their
   * first page is then one page, not a request for limit + 1 collections.
   */
  largeDatabases?: { has(key: string): boolean; add(key: string): void; delete(key: string): void };
}

export class ExplorerModel {
  private readonly changed = new Emitter<ExplorerNode[] | undefined>();
  /**
   * Fires with the nodes whose children or look changed (undefined: the whole tree). Changes are coalesced (one
   * event per `coalesceMs`), and a node VS Code is listing, or one above it, is announced once that listing is done.
   */
  readonly onDidChange = this.changed.event;
  private readonly queue: ChangeQueue<ExplorerNode>;
  private readonly cache = new ListingCache();
  private readonly counts: RecordCounts;
  private readonly databases: DatabaseCounts;
  private readonly pager: Pager;
  /** Ids of collapsed nodes: counts under them wait until they are expanded again. */
  private readonly collapsedIds = new Set<string>();
  private rootNodes = new Map<string, ConnectionNode>();
  private explainFilter: FilterExplainer | undefined;

  constructor(private readonly opts: ExplorerModelOptions) {
    const idle = () => this.cache.whenNoFetches();
    const retired = (node: ExplorerNode) => this.cache.retired(node);
    const collapsed = (id: string) => this.collapsedIds.has(id);
    const client = (node: ExplorerNode) => this.client(node);
    const announce = (node: ExplorerNode) => this.queue.add(node);
    this.counts = new RecordCounts({ concurrency: opts.countConcurrency ?? 4, client, announce, retired, collapsed, idle });
    this.databases = new DatabaseCounts({
      concurrency: opts.databaseCountConcurrency ?? 2,
      client,
      announce,
      retired,
      collapsed,
      listed: (node) => this.cache.has(node.id),
      idle,
    });
    this.pager = new Pager({
      cache: this.cache,
      databases: this.databases,
      client,
      collectionPageSize: opts.collectionPageSize ?? 100,
      recordPageSize: opts.recordPageSize ?? 50,
      sortedListLimit: opts.sortedListLimit,
      addedDatabases: opts.addedDatabases,
      large: opts.largeDatabases ?? new Set<string>(),
      scheduleCounts: (nodes) => this.counts.schedule(nodes),
      explained: (node, e) => this.explained(node, e),
    });
    this.queue = new ChangeQueue<ExplorerNode>((nodes) => this.changed.fire(nodes), (n) => this.getParent(n), opts.coalesceMs ?? 100);
  }

  get countPeak(): number {
    return this.counts.peak;
  }

  /** Tree events fired so far (for tests and benchmarks). */
  get eventsFired(): number {
    return this.queue.fired;
  }

  /** Holds tree events back until the returned function is called: see revealNode. */
  holdEvents(): () => void {
    return this.queue.hold();
  }

  /** Resolves once `settleMs` have passed since the last tree event: see revealNode. */
  whenSettled(settleMs = 300): Promise<void> {
    return this.queue.whenSettled(settleMs);
  }

  /** The same node object for a connection as long as its configuration is the same: VS Code keys items by it. */
  roots(): ConnectionNode[] {
    const next = new Map<string, ConnectionNode>();
    for (const connection of this.opts.connections()) {
      const old = this.rootNodes.get(connection.name);
      if (old && JSON.stringify(old.connection) === JSON.stringify(connection)) {
        next.set(connection.name, old);
      } else {
        if (old) {
          this.forgetConnection(connection.name);
        }
        next.set(connection.name, { kind: 'connection', id: connectionId(connection.name), connection });
      }
    }
    this.rootNodes = next;
    return [...next.values()];
  }

  client(node: ExplorerNode): Promise<ChromaClient> {
    return this.opts.clientFor(connectionOf(node));
  }

  async children(node?: ExplorerNode): Promise<ExplorerNode[]> {
    if (!node) {
      return this.roots();
    }
    if (node.kind !== 'connection' && node.kind !== 'database' && node.kind !== 'collection') {
      return [];
    }
    this.collapsedIds.delete(node.id);
    const release = this.queue.beginListing(node);
    try {
      const listing = await this.listing(node);
      const out: ExplorerNode[] = listing.error ? [listing.error] : uniqueById(listing.items);
      if (!listing.error && hasMore(listing)) {
        out.push({ kind: 'loadMore', id: `m:${node.id}`, parent: node as DatabaseNode | CollectionNode, loaded: listing.items.length, total: listing.total });
      }
      if (!listing.error && listing.items.length === 0) {
        out.push({ kind: 'message', id: `n:${node.id}`, parent: node, text: node.kind === 'collection' && node.filter ? 'No records match the filter' : emptyText(node) });
      }
      if (node.kind === 'database') {
        // shown again after a collapse: count what is shown and not counted yet
        this.counts.schedule(listing.items.filter((n): n is CollectionNode => n.kind === 'collection'));
      }
      return out;
    } finally {
      release();
    }
  }

  getParent(node: ExplorerNode): ExplorerNode | undefined {
    return node.kind === 'connection' ? undefined : node.parent;
  }

  /** How a database's collections are ordered, once its first page is in. */
  orderOf(node: DatabaseNode): CollectionOrder | undefined {
    return this.cache.settled(node.id)?.order;
  }

  /** The node was collapsed in the tree: its pending counts wait (and are dropped if it is refreshed). */
  collapsed(node: ExplorerNode): void {
    this.collapsedIds.add(node.id);
  }

  /**
   * The node was expanded again. VS Code shows the children it already has without asking for them, so the
   * counts that waited while it was collapsed are queued again here.
   */
  expanded(node: ExplorerNode): void {
    this.collapsedIds.delete(node.id);
    const databases = node.kind === 'database' ? [node] : node.kind === 'connection' ? (this.cache.settled(node.id)?.items ?? []) : [];
    if (node.kind === 'connection') {
      this.countDatabases(databases.filter((n): n is DatabaseNode => n.kind === 'database' && this.databases.shown(n)));
    }
    for (const db of databases) {
      if (db.kind === 'database' && !this.collapsedIds.has(db.id)) {
        const shown = this.cache.settled(db.id)?.items ?? [];
        this.counts.schedule(shown.filter((n): n is CollectionNode => n.kind === 'collection'));
      }
    }
  }

  /** Loads the next page under a "Load more…" node and announces the parent's new children. */
  async loadMore(node: LoadMoreNode): Promise<void> {
    const parent = node.parent;
    const key = parent.id;
    const current = await this.listing(parent);
    if (!this.cache.has(key)) {
      return; // refreshed meanwhile: the tree lists it anew
    }
    const next = this.pager.nextPage(parent, current);
    this.cache.replace(key, next);
    const listing = await next;
    this.cache.arrived(key, listing);
    this.queue.add(parent);
    this.queue.flush();
  }

  /** Forgets what was loaded under `node` (or everything) and announces it, keeping nodes' ids stable. */
  refresh(node?: ExplorerNode): void {
    if (!node) {
      this.cache.drop(() => true);
      this.queue.add(undefined);
      this.queue.flush();
      return;
    }
    const target = node.kind === 'record' || node.kind === 'loadMore' || node.kind === 'error' || node.kind === 'message' ? node.parent : node;
    this.cache.dropUnder(target.id);
    if (target.kind === 'collection') {
      target.count = undefined;
      target.countError = undefined;
      this.counts.schedule([target]);
    }
    if (target.kind === 'database' && this.databases.shown(target)) {
      // its collections may have changed (created, deleted): counted again, by its listing or by a request
      this.databases.recount(target);
    }
    this.queue.add(target);
    this.queue.flush();
  }

  /**
   * Something wrote to a collection (e.g. Add Active File): refreshes its node where the tree shows it, or, for a
   * collection the tree does not list yet, its database. Nothing else is reloaded.
   */
  refreshCollection(connectionName: string, collection: Pick<Collection, 'id' | 'tenant' | 'database'>): void {
    const connId = connectionId(connectionName);
    const dbId = databaseId(connId, collection.tenant, collection.database);
    const listing = this.cache.settled(dbId);
    if (!listing) {
      return; // not shown: it is fetched fresh when expanded
    }
    const node = [...listing.items, ...listing.pool].find((n): n is CollectionNode => n.kind === 'collection' && n.collection.id === collection.id);
    if (node) {
      this.refresh(node);
    } else {
      const db = this.cache.settled(connId)?.items.find((n) => n.id === dbId);
      if (db) {
        this.refresh(db);
      }
    }
  }

  /** A database's collections changed (created, renamed, deleted): refreshes it where the tree shows it. */
  refreshDatabase(connectionName: string, tenant: string, database: string): void {
    const connId = connectionId(connectionName);
    const db = this.cache.settled(connId)?.items.find((n) => n.id === databaseId(connId, tenant, database));
    if (db) {
      this.refresh(db);
    }
  }

  /**
   * Filter Records… / Clear Filter: lists only the records matching `filter` (undefined or empty: all). `explain`:
   * the filter feature's words for a server's refusal of a filter, used for this model's listings from now on (the
   * filter's checks load with that feature, not with the tree).
   */
  setFilter(node: CollectionNode, filter: Filter | undefined, explain?: FilterExplainer): void {
    this.explainFilter = explain ?? this.explainFilter;
    node.filter = activeFilter(filter);
    this.refresh(node);
  }

  /** A server's refusal of a collection's record filter, naming the part of the filter it is about. */
  private explained(node: ParentNode, e: unknown): string | undefined {
    return node.kind === 'collection' && node.filter ? this.explainFilter?.(e, node.filter) : undefined;
  }

  /** Forgets one connection's data entirely (e.g. after its URL or token changed). */
  forgetConnection(name: string): void {
    this.cache.dropUnder(connectionId(name));
  }

  /**
   * Every collection of a database, for Find Collection…: fetched in pages (`onPage` sees each), and kept until
   * the database is refreshed. A sorted listing already holds them all and costs no request.
   */
  async allCollections(node: DatabaseNode, onPage?: (soFar: readonly Collection[]) => void, signal?: AbortSignal): Promise<Collection[]> {
    const settled = this.cache.settled(node.id);
    if (settled && settled.order === 'name' && !settled.error) {
      const all = [...settled.items, ...settled.pool].filter((n): n is CollectionNode => n.kind === 'collection').map((n) => n.collection);
      onPage?.(all);
      return all;
    }
    const { pending, fresh } = this.cache.collectionNames(node.id, () =>
      this.client(node).then((c) => fetchAllCollections(c, { tenant: node.tenant, database: node.database }, onPage, signal)),
    );
    if (fresh) {
      return pending;
    }
    const all = await pending;
    onPage?.(all);
    return all;
  }


  /**
   * The tree node of a collection of `database`, made part of the listing if it was not shown yet (the pages
   * before it in a sorted listing; on its own at the top otherwise), so that it can be revealed.
   */
  async collectionNode(database: DatabaseNode, collection: Collection): Promise<CollectionNode> {
    const current = await this.listing(database);
    const find = (n: ExplorerNode): n is CollectionNode => n.kind === 'collection' && n.collection.id === collection.id;
    const shown = current.items.find(find);
    if (shown) {
      return shown;
    }
    let node: CollectionNode;
    let listing: Listing<ExplorerNode>;
    const at = current.pool.findIndex(find);
    if (at >= 0) {
      node = current.pool[at];
      const moved = current.pool.slice(0, at + 1);
      listing = { ...current, items: [...current.items, ...moved], pool: current.pool.slice(at + 1) };
      this.counts.schedule(moved);
    } else {
      node = { kind: 'collection', id: `${database.id}/k:${collection.id}`, parent: database, collection };
      listing = { ...current, items: [node, ...current.items], error: undefined };
      this.counts.schedule([node]);
    }
    this.cache.settle(database.id, listing);
    this.queue.add(database);
    this.queue.flush();
    return node;
  }

  /** The tree node of a connection's collection (see collectionNode); undefined when the tree has no such connection. */
  async nodeOfCollection(connectionName: string, collection: Collection): Promise<CollectionNode | undefined> {
    const db = await this.databaseNode(connectionName, collection.tenant, collection.database);
    return db && this.collectionNode(db, collection);
  }

  /** The tree node of a connection's database (listing the connection's databases if needed). */
  async databaseNode(connectionName: string, tenant: string, database: string): Promise<DatabaseNode | undefined> {
    const conn = this.roots().find((c) => c.connection.name === connectionName);
    if (!conn) {
      return undefined;
    }
    const listing = await this.listing(conn);
    const found = listing.items.find((n): n is DatabaseNode => n.kind === 'database' && n.tenant === tenant && n.database === database);
    if (found) {
      return found;
    }
    const node: DatabaseNode = { kind: 'database', id: databaseId(conn.id, tenant, database), parent: conn, tenant, database };
    const next = { ...listing, items: [...listing.items.filter((n) => n.kind === 'database'), node], error: undefined };
    this.cache.settle(conn.id, next);
    this.queue.add(conn);
    this.queue.flush();
    return node;
  }

  /**
   * The tree shows these databases: their collections are counted in the background (collections_count, one cheap
   * request each), by the same rules as record counts: after any listing in flight, a few at a time, dropped when
   * refreshed away, waiting while their connection is collapsed, and announced in coalesced tree events. A
   * database whose listing holds all its collections is counted by it, without a request.
   */
  countDatabases(nodes: readonly DatabaseNode[]): void {
    this.databases.count(nodes);
  }

  dispose(): void {
    this.queue.dispose();
    this.changed.dispose();
  }

  private listing(node: ParentNode): Promise<Listing<ExplorerNode>> {
    return this.cache.list(
      node.id,
      () => this.pager.firstPage(node),
      (l) => {
        if (l.order === 'server') {
          this.queue.add(node); // its description says the order; announced once its listing is done
        }
      },
    );
  }

}

// The node kinds live in nodes.ts; importers of the model take them from here as well.
export type { CollectionOrder } from './listing';
export { connectionOf, RECORD_METADATA_CHARS, RECORD_PREVIEW_CHARS } from './nodes';
export type { CollectionNode, ConnectionNode, DatabaseNode, ErrorNode, ExplorerNode, FilterExplainer, LoadMoreNode, MessageNode, RecordNode, SectionNode } from './nodes';
