/**
 * The explorer's data: connection → databases → collections → records, fetched lazily and page by page, cached per
 * node, with record counts fetched in the background (a few at a time). The VS Code tree only maps these nodes to
 * TreeItems and listens to `onDidChange`. No `vscode` here, so it is tested and benchmarked in plain Node.
 */
import type { ChromaClient } from '../../chroma/client';
import { describeError } from '../../chroma/errors';
import type { Collection } from '../../chroma/types';
import type { ConnectionConfig } from '../../connections/core/connectionConfig';
import type { Filter } from '../../filter/core/filter';
import { Emitter } from '../../util/emitter';
import { fetchAllCollections } from './allCollections';
import { ChangeQueue } from './changeQueue';
import { CountScheduler } from './countScheduler';
import { listDatabases } from './databaseListing';
import { byName, collectionPage, hasMore, recordPage, uniqueById } from './listing';
import type { CollectionOrder, Listing } from './listing';
import { connectionId, connectionOf, databaseId, emptyText, errorNode } from './nodes';
import type { CollectionNode, ConnectionNode, DatabaseNode, ExplorerNode, FilterExplainer, LoadMoreNode, ParentNode } from './nodes';
import { databaseExists, isMissingDatabase, missingDatabaseText } from './unlistedDatabases';

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

// Never throws, also on lone surrogates (which encodeURIComponent rejects), and stays unique per input.

export class ExplorerModel {
  private readonly changed = new Emitter<ExplorerNode[] | undefined>();
  /**
   * Fires with the nodes whose children or look changed (undefined: the whole tree). Changes are coalesced (one
   * event per `coalesceMs`), and a node VS Code is listing is announced only once its listing is done.
   */
  readonly onDidChange = this.changed.event;
  private readonly queue: ChangeQueue<ExplorerNode>;
  private readonly listings = new Map<string, Promise<Listing<ExplorerNode>>>();
  private readonly counts: CountScheduler<CollectionNode>;
  /** Database counts (collections_count, slow on large databases) have their own few slots: record counts never wait for them. */
  private readonly databaseCounts: CountScheduler<DatabaseNode>;
  private readonly collectionPageSize: number;
  private readonly recordPageSize: number;
  /** Nodes of listings that a refresh dropped: their pending counts are skipped. */
  private readonly retired = new WeakSet<ExplorerNode>();
  /** Databases the tree has shown (countDatabases): counted again after a refresh or an expand. */
  private readonly shownDatabases = new WeakSet<DatabaseNode>();
  /** Databases whose count is out of date (refreshed): it stays shown until the new one arrives. */
  private readonly staleDatabases = new WeakSet<DatabaseNode>();
  /** Ids of collapsed nodes: counts under them wait until they are expanded again. */
  private readonly collapsedIds = new Set<string>();
  /** Listings being fetched: counts wait for them, so opening a collection never queues behind counts. */
  private activeFetches = 0;
  private idleWaiters: Array<() => void> = [];
  private rootNodes = new Map<string, ConnectionNode>();
  private readonly names = new Map<string, Promise<Collection[]>>();
  private readonly large: NonNullable<ExplorerModelOptions['largeDatabases']>;

  private explainFilter: FilterExplainer | undefined;

  constructor(private readonly opts: ExplorerModelOptions) {
    const idle = () => this.whenNoFetches();
    this.counts = new CountScheduler<CollectionNode>(
      opts.countConcurrency ?? 4,
      {
        needsCount: (node) => node.count === undefined && !this.retired.has(node),
        wanted: (node) => !this.retired.has(node) && !this.collapsedIds.has(node.parent.id) && !this.collapsedIds.has(node.parent.parent.id),
        count: (node) => this.countRecords(node),
      },
      idle,
    );
    this.databaseCounts = new CountScheduler<DatabaseNode>(
      opts.databaseCountConcurrency ?? 2,
      {
        needsCount: (node) => this.needsCount(node) && !this.retired.has(node),
        wanted: (node) => !this.retired.has(node) && !this.collapsedIds.has(node.parent.id),
        count: (node) => this.countCollections(node),
      },
      idle,
    );
    this.collectionPageSize = opts.collectionPageSize ?? 100;
    this.recordPageSize = opts.recordPageSize ?? 50;
    this.large = opts.largeDatabases ?? new Set<string>();
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
        this.scheduleCounts(listing.items.filter((n): n is CollectionNode => n.kind === 'collection'));
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
    return this.settled.get(node.id)?.order;
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
    const databases = node.kind === 'database' ? [node] : node.kind === 'connection' ? (this.settled.get(node.id)?.items ?? []) : [];
    if (node.kind === 'connection') {
      this.countDatabases(databases.filter((n): n is DatabaseNode => n.kind === 'database' && this.shownDatabases.has(n)));
    }
    for (const db of databases) {
      if (db.kind === 'database' && !this.collapsedIds.has(db.id)) {
        const shown = this.settled.get(db.id)?.items ?? [];
        this.scheduleCounts(shown.filter((n): n is CollectionNode => n.kind === 'collection'));
      }
    }
  }

  /** Loads the next page under a "Load more…" node and announces the parent's new children. */
  async loadMore(node: LoadMoreNode): Promise<void> {
    const parent = node.parent;
    const key = parent.id;
    const current = await this.listing(parent);
    if (this.listings.get(key) === undefined) {
      return; // refreshed meanwhile: the tree lists it anew
    }
    const next = this.nextPage(parent, current);
    this.listings.set(key, next);
    const listing = await next;
    this.settled.set(key, listing);
    this.queue.add(parent);
    this.queue.flush();
  }

  /** Forgets what was loaded under `node` (or everything) and announces it, keeping nodes' ids stable. */
  refresh(node?: ExplorerNode): void {
    if (!node) {
      this.drop(() => true);
      this.queue.add(undefined);
      this.queue.flush();
      return;
    }
    const target = node.kind === 'record' || node.kind === 'loadMore' || node.kind === 'error' || node.kind === 'message' ? node.parent : node;
    this.drop((key) => key === target.id || isUnder(key, target.id));
    if (target.kind === 'collection') {
      target.count = undefined;
      target.countError = undefined;
      this.scheduleCounts([target]);
    }
    if (target.kind === 'database' && this.shownDatabases.has(target)) {
      // its collections may have changed (created, deleted): counted again, by its listing or by a request
      this.staleDatabases.add(target);
      this.countDatabases([target]);
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
    const listing = this.settled.get(dbId);
    if (!listing) {
      return; // not shown: it is fetched fresh when expanded
    }
    const node = [...listing.items, ...listing.pool].find((n): n is CollectionNode => n.kind === 'collection' && n.collection.id === collection.id);
    if (node) {
      this.refresh(node);
    } else {
      const db = this.settled.get(connId)?.items.find((n) => n.id === dbId);
      if (db) {
        this.refresh(db);
      }
    }
  }

  /** A database's collections changed (created, renamed, deleted): refreshes it where the tree shows it. */
  refreshDatabase(connectionName: string, tenant: string, database: string): void {
    const connId = connectionId(connectionName);
    const db = this.settled.get(connId)?.items.find((n) => n.id === databaseId(connId, tenant, database));
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
    const empty = !filter || (!hasKeys(filter.where) && !hasKeys(filter.whereDocument));
    node.filter = empty ? undefined : { where: hasKeys(filter.where) ? filter.where : undefined, whereDocument: hasKeys(filter.whereDocument) ? filter.whereDocument : undefined };
    this.refresh(node);
  }

  /** A server's refusal of a collection's record filter, naming the part of the filter it is about. */
  private explained(node: ParentNode, e: unknown): string | undefined {
    return node.kind === 'collection' && node.filter ? this.explainFilter?.(e, node.filter) : undefined;
  }

  /** Forgets one connection's data entirely (e.g. after its URL or token changed). */
  forgetConnection(name: string): void {
    const id = connectionId(name);
    this.drop((key) => key === id || isUnder(key, id));
  }

  /**
   * Every collection of a database, for Find Collection…: fetched in pages (`onPage` sees each), and kept until
   * the database is refreshed. A sorted listing already holds them all and costs no request.
   */
  async allCollections(node: DatabaseNode, onPage?: (soFar: readonly Collection[]) => void, signal?: AbortSignal): Promise<Collection[]> {
    const settled = this.settled.get(node.id);
    if (settled && settled.order === 'name' && !settled.error) {
      const all = [...settled.items, ...settled.pool].filter((n): n is CollectionNode => n.kind === 'collection').map((n) => n.collection);
      onPage?.(all);
      return all;
    }
    let pending = this.names.get(node.id);
    if (!pending) {
      pending = this.client(node).then((c) => fetchAllCollections(c, { tenant: node.tenant, database: node.database }, onPage, signal));
      this.names.set(node.id, pending);
      pending.catch(() => this.names.delete(node.id));
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
      this.scheduleCounts(moved);
    } else {
      node = { kind: 'collection', id: `${database.id}/k:${collection.id}`, parent: database, collection };
      listing = { ...current, items: [node, ...current.items], error: undefined };
      this.scheduleCounts([node]);
    }
    this.listings.set(database.id, Promise.resolve(listing));
    this.settled.set(database.id, listing);
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
    this.listings.set(conn.id, Promise.resolve(next));
    this.settled.set(conn.id, next);
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
    nodes.forEach((node) => this.shownDatabases.add(node));
    this.databaseCounts.schedule(nodes);
  }

  private async countCollections(node: DatabaseNode): Promise<void> {
    try {
      const client = await this.client(node);
      // 0.5 counts a database that does not exist as 0: one the server did not list is asked for first
      if (node.unlisted && node.missing === undefined && (await databaseExists(client, node.tenant, node.database)) === false) {
        this.missingDatabase(node);
        return;
      }
      this.setCollectionCount(node, await client.countCollections({ scope: { tenant: node.tenant, database: node.database } }));
    } catch (e) {
      this.staleDatabases.delete(node);
      if (isMissingDatabase(e)) {
        this.missingDatabase(node);
        return;
      }
      // the tooltip says so from the node's next refresh: not worth a refresh of its own
      node.collectionCountError = describeError(e);
    }
  }

  private needsCount(node: DatabaseNode): boolean {
    return node.missing !== true && (node.collectionCount === undefined || this.staleDatabases.has(node));
  }

  /**
   * A database's count is known: announced where the tree shows it and the count changed, unless its collections
   * are open in the tree. Refreshing a node makes VS Code re-create its children's items and drop their commands,
   * so a click on "Load more…" just then would fail (issue 11): an open database shows a count learnt in the
   * background at its next refresh. One refreshed because its collections changed (created, deleted) is announced.
   */
  private setCollectionCount(node: DatabaseNode, count: number): void {
    const changedByUser = this.staleDatabases.delete(node);
    if (node.collectionCount === count && node.collectionCountError === undefined) {
      return;
    }
    node.collectionCount = count;
    node.collectionCountError = undefined;
    const open = this.listings.has(node.id) && !this.collapsedIds.has(node.id);
    if (this.shownDatabases.has(node) && !this.retired.has(node) && (!open || changedByUser)) {
      this.queue.add(node);
    }
  }

  dispose(): void {
    this.queue.dispose();
    this.changed.dispose();
  }

  /** Listings that have arrived, for what must not wait (descriptions, Find Collection…). */
  private readonly settled = new Map<string, Listing<ExplorerNode>>();

  private drop(matches: (key: string) => boolean): void {
    for (const [key, listing] of [...this.listings]) {
      if (matches(key)) {
        this.listings.delete(key);
        this.settled.delete(key);
        void listing.then((l) => [...l.items, ...l.pool].forEach((n) => this.retire(n)));
      }
    }
    for (const key of [...this.names.keys()]) {
      if (matches(key)) {
        this.names.delete(key);
      }
    }
  }

  private retire(node: ExplorerNode): void {
    this.retired.add(node);
  }

  private listing(node: ParentNode): Promise<Listing<ExplorerNode>> {
    let pending = this.listings.get(node.id);
    if (!pending) {
      const fetching = this.firstPage(node);
      pending = fetching;
      this.listings.set(node.id, fetching);
      void fetching.then((l) => {
        if (this.listings.get(node.id) === fetching) {
          this.settled.set(node.id, l);
          if (l.order === 'server') {
            this.queue.add(node); // its description says the order; announced once its listing is done
          }
        }
      });
    }
    return pending;
  }

  private async fetching<T>(work: () => Promise<T>): Promise<T> {
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

  private whenNoFetches(): Promise<void> {
    return this.activeFetches === 0 ? Promise.resolve() : new Promise((r) => this.idleWaiters.push(r));
  }

  private firstPage(node: ParentNode): Promise<Listing<ExplorerNode>> {
    return this.fetching(async () => {
      try {
        switch (node.kind) {
          case 'connection':
            return await listDatabases(node, await this.opts.clientFor(node.connection), this.opts.addedDatabases);
          case 'database':
            return await this.fetchCollections(node);
          case 'collection':
            return await recordPage(await this.client(node), node, 0, this.recordPageSize, undefined);
        }
      } catch (e) {
        return { items: [], pool: [], fetched: 0, exhausted: true, error: errorNode(node, e, this.explained(node, e)) };
      }
    });
  }

  /** The listing with one more page shown: from the pool when it has some, else from the server. */
  private nextPage(node: ParentNode, current: Listing<ExplorerNode>): Promise<Listing<ExplorerNode>> {
    if (current.pool.length > 0) {
      const shown = current.pool.slice(0, this.collectionPageSize);
      this.scheduleCounts(shown);
      return Promise.resolve({ ...current, items: [...current.items, ...shown], pool: current.pool.slice(shown.length) });
    }
    return this.fetching(async () => {
      try {
        if (node.kind === 'database') {
          const page = await collectionPage(await this.client(node), node, current.fetched, this.collectionPageSize);
          this.scheduleCounts(page);
          return { ...current, items: [...current.items, ...page], fetched: current.fetched + page.length, exhausted: page.length < this.collectionPageSize };
        }
        if (node.kind === 'collection') {
          return await recordPage(await this.client(node), node, current.fetched, this.recordPageSize, current);
        }
        return current;
      } catch (e) {
        return { ...current, exhausted: true, error: errorNode(node, e, this.explained(node, e)) };
      }
    });
  }

  /** A database the server says does not exist: said so, in its listing and (from the next event) its description. */
  private missingDatabase(node: DatabaseNode): Listing<ExplorerNode> {
    if (node.missing !== true) {
      node.missing = true;
      node.collectionCount = undefined;
      this.queue.add(node);
    }
    const text = missingDatabaseText(node.database, node.tenant, node.unlisted === 'added');
    return { items: [{ kind: 'message', id: `x:${node.id}`, parent: node, text }], pool: [], fetched: 0, total: 0, exhausted: true };
  }

  /**
   * The first page of a database's collections. Up to the sorted-list limit, one request fetches them all and the
   * tree shows them by name, a page at a time from memory; past it, they come in the server's order.
   */
  private async fetchCollections(node: DatabaseNode): Promise<Listing<ExplorerNode>> {
    const limit = Math.max(0, Math.floor(this.opts.sortedListLimit?.() ?? DEFAULT_SORTED_LIST_LIMIT));
    const pageSize = this.collectionPageSize;
    // A database known to be past the limit needs no 1,001-collection request to learn it again.
    const knownLarge = this.large.has(largeKey(node, limit));
    const ask = knownLarge ? pageSize : Math.max(limit + 1, pageSize);
    // 0.5 lists a database that does not exist as empty: one the server did not list is asked for first
    if (node.unlisted && (await databaseExists(await this.client(node), node.tenant, node.database)) === false) {
      return this.missingDatabase(node);
    }
    let all: CollectionNode[];
    try {
      all = await collectionPage(await this.client(node), node, 0, ask);
    } catch (e) {
      if (isMissingDatabase(e)) {
        return this.missingDatabase(node);
      }
      throw e;
    }
    node.missing = undefined;
    let listing: Listing<ExplorerNode>;
    if (all.length <= limit && !knownLarge) {
      all.sort((a, b) => byName(a.collection.name, b.collection.name) || (a.collection.name < b.collection.name ? -1 : 1));
      listing = { items: all.slice(0, pageSize), pool: all.slice(pageSize), fetched: all.length, total: all.length, exhausted: true, order: 'name' };
      // the listing holds every collection: the database's count costs no request
      this.setCollectionCount(node, all.length);
    } else {
      this.large.add(largeKey(node, limit));
      listing = { items: all.slice(0, pageSize), pool: all.slice(pageSize), fetched: all.length, exhausted: all.length < ask, order: 'server' };
      // collections_count is slow on large databases: never waited for; "Load more…" shows it once known (at once
      // when the database's own count is in)
      const known = this.needsCount(node) ? undefined : node.collectionCount;
      void (known !== undefined ? Promise.resolve(known) : this.client(node).then((c) => c.countCollections({ scope: { tenant: node.tenant, database: node.database } })))
        .then((total) => {
          const current = this.settled.get(node.id);
          if (current) {
            current.total = total;
          }
          this.setCollectionCount(node, total);
          if (total <= limit) {
            this.large.delete(largeKey(node, limit)); // it shrank: sorted again from the next refresh
          }
        })
        .catch(() => undefined);
    }
    this.scheduleCounts(listing.items as CollectionNode[]);
    return listing;
  }

  /** Counts the collections shown, a few at a time, after any listing in flight; one tree event per batch. */
  private scheduleCounts(nodes: readonly CollectionNode[]): void {
    this.counts.schedule(nodes);
  }

  private async countRecords(node: CollectionNode): Promise<void> {
    try {
      node.count = await (await this.client(node)).count(node.collection);
      node.countError = undefined;
    } catch (e) {
      node.countError = describeError(e);
    }
    if (!this.retired.has(node)) {
      this.queue.add(node);
    }
  }
}

// The node kinds live in nodes.ts; importers of the model take them from here as well.
export type { CollectionOrder } from './listing';
export { connectionOf, RECORD_METADATA_CHARS, RECORD_PREVIEW_CHARS } from './nodes';
export type { CollectionNode, ConnectionNode, DatabaseNode, ErrorNode, ExplorerNode, FilterExplainer, LoadMoreNode, MessageNode, RecordNode, SectionNode } from './nodes';

const DEFAULT_SORTED_LIST_LIMIT = 1_000;

/** The key of a database in `largeDatabases`: its node id and the limit it was measured against. */
function largeKey(node: DatabaseNode, limit: number): string {
  return `${node.id}@${limit}`;
}


function isUnder(key: string, ancestorId: string): boolean {
  return key.startsWith(`${ancestorId}/`);
}

function hasKeys(v: object | undefined): v is object {
  return v !== undefined && v !== null && Object.keys(v).length > 0;
}

