/**
 * The explorer's data: connection → databases → collections → records, fetched lazily and page by page, cached per
 * node, with record counts fetched in the background (a few at a time). The VS Code tree only maps these nodes to
 * TreeItems and listens to `onDidChange`. No `vscode` here, so it is tested and benchmarked in plain Node.
 */
import { createHash } from 'node:crypto';
import type { ChromaClient } from '../../chroma/client';
import { describeError, isAuthError } from '../../chroma/errors';
import type { Collection } from '../../chroma/types';
import type { ConnectionConfig } from '../../connections/core/connectionConfig';
import { Emitter } from '../../util/emitter';
import { Limiter } from '../../util/limiter';
import { boundedJson, detach, displayLine, encodeIdPart, hasLoneSurrogate, hasOwnKeys, prefix } from '../../util/text';

export interface ConnectionNode {
  kind: 'connection';
  id: string;
  connection: ConnectionConfig;
}

export interface DatabaseNode {
  kind: 'database';
  id: string;
  parent: ConnectionNode;
  tenant: string;
  database: string;
}

export interface CollectionNode {
  kind: 'collection';
  id: string;
  parent: DatabaseNode;
  collection: Collection;
  /** Records in the collection: undefined until counted. */
  count?: number;
  countError?: string;
}

export interface RecordNode {
  kind: 'record';
  id: string;
  parent: CollectionNode;
  /** The full id, for commands (open, copy, delete); labels show a bounded part of it. */
  recordId: string;
  /**
   * The first RECORD_PREVIEW_CHARS characters of the document (a copy, so a page of 2 MB documents is not kept
   * alive by the tree), or null when the record has none.
   */
  documentStart: string | null;
  /** The whole document's length in characters. */
  documentLength: number;
  /** The metadata as indented JSON, cut at RECORD_METADATA_CHARS; undefined when there is none. */
  metadataJson?: string;
}

/** How much of each record's document and metadata the tree keeps: enough for descriptions and tooltips. */
export const RECORD_PREVIEW_CHARS = 2_000;
export const RECORD_METADATA_CHARS = 2_000;
/** Record ids longer than this are keyed by a prefix and a hash, so node ids stay small. */
const MAX_KEY_ID_CHARS = 200;

export interface LoadMoreNode {
  kind: 'loadMore';
  id: string;
  parent: DatabaseNode | CollectionNode;
  loaded: number;
  total?: number;
}

export interface ErrorNode {
  kind: 'error';
  id: string;
  parent: ConnectionNode | DatabaseNode | CollectionNode;
  message: string;
  /** What the user can do: retry, (for 401/403) set the connection's token, or nothing (a record the server sent broken). */
  action: 'retry' | 'setToken' | 'none';
}

export interface MessageNode {
  kind: 'message';
  id: string;
  parent: DatabaseNode | CollectionNode | ConnectionNode;
  text: string;
}

export type ExplorerNode = ConnectionNode | DatabaseNode | CollectionNode | RecordNode | LoadMoreNode | ErrorNode | MessageNode;
type ParentNode = ConnectionNode | DatabaseNode | CollectionNode;

export interface ExplorerModelOptions {
  connections: () => readonly ConnectionConfig[];
  clientFor: (conn: ConnectionConfig) => Promise<ChromaClient>;
  collectionPageSize?: number;
  recordPageSize?: number;
  /** Count requests in flight at once (default 4). */
  countConcurrency?: number;
}

interface Listing<T extends ExplorerNode> {
  items: T[];
  total?: number;
  exhausted: boolean;
  error?: ErrorNode;
}

// Never throws, also on lone surrogates (which encodeURIComponent rejects), and stays unique per input.
const enc = encodeIdPart;

export class ExplorerModel {
  private readonly changed = new Emitter<ExplorerNode | undefined>();
  /** Fires with the node whose children or look changed; undefined for the whole tree. */
  readonly onDidChange = this.changed.event;
  private readonly listings = new Map<string, Promise<Listing<ExplorerNode>>>();
  private readonly counter: Limiter;
  private readonly collectionPageSize: number;
  private readonly recordPageSize: number;
  /** Nodes of listings that a refresh dropped: their pending counts are skipped. */
  private readonly retired = new WeakSet<ExplorerNode>();

  constructor(private readonly opts: ExplorerModelOptions) {
    this.counter = new Limiter(opts.countConcurrency ?? 4);
    this.collectionPageSize = opts.collectionPageSize ?? 100;
    this.recordPageSize = opts.recordPageSize ?? 50;
  }

  get countPeak(): number {
    return this.counter.peak;
  }

  roots(): ConnectionNode[] {
    return this.opts.connections().map((connection) => ({ kind: 'connection', id: `c:${enc(connection.name)}`, connection }));
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
    const listing = await this.listing(node);
    const out: ExplorerNode[] = listing.error ? [listing.error] : uniqueById(listing.items);
    const exhausted = listing.exhausted || (listing.total !== undefined && listing.items.length >= listing.total);
    if (!listing.error && !exhausted) {
      out.push({ kind: 'loadMore', id: `m:${node.id}`, parent: node as DatabaseNode | CollectionNode, loaded: listing.items.length, total: listing.total });
    }
    if (!listing.error && listing.items.length === 0) {
      out.push({ kind: 'message', id: `n:${node.id}`, parent: node, text: emptyText(node) });
    }
    return out;
  }

  getParent(node: ExplorerNode): ExplorerNode | undefined {
    return node.kind === 'connection' ? undefined : node.parent;
  }

  /** Loads the next page under a "Load more…" node and announces the parent's new children. */
  async loadMore(node: LoadMoreNode): Promise<void> {
    const parent = node.parent;
    const key = parent.id;
    const current = await this.listing(parent);
    const next = this.fetchPage(parent, current.items.length).then((page): Listing<ExplorerNode> => ({
      items: [...current.items, ...page.items],
      total: page.total ?? current.total,
      exhausted: page.exhausted,
      error: page.error,
    }));
    this.listings.set(key, next);
    await next;
    this.changed.fire(parent);
  }

  /** Forgets what was loaded under `node` (or everything) and announces it, keeping nodes' ids stable. */
  refresh(node?: ExplorerNode): void {
    if (!node) {
      this.drop(() => true);
      this.changed.fire(undefined);
      return;
    }
    const target = node.kind === 'record' || node.kind === 'loadMore' || node.kind === 'error' || node.kind === 'message' ? node.parent : node;
    this.drop((key) => key === target.id || isUnder(key, target.id));
    if (target.kind === 'collection') {
      target.count = undefined;
      this.scheduleCounts([target]);
    }
    this.changed.fire(target);
  }

  /** Forgets one connection's data entirely (e.g. after its URL or token changed). */
  forgetConnection(name: string): void {
    const id = `c:${enc(name)}`;
    this.drop((key) => key === id || isUnder(key, id));
  }

  private drop(matches: (key: string) => boolean): void {
    for (const [key, listing] of [...this.listings]) {
      if (matches(key)) {
        this.listings.delete(key);
        void listing.then((l) => l.items.forEach((n) => this.retired.add(n)));
      }
    }
  }

  private listing(node: ParentNode): Promise<Listing<ExplorerNode>> {
    let pending = this.listings.get(node.id);
    if (!pending) {
      pending = this.fetchPage(node, 0);
      this.listings.set(node.id, pending);
    }
    return pending;
  }

  private async fetchPage(node: ParentNode, offset: number): Promise<Listing<ExplorerNode>> {
    try {
      switch (node.kind) {
        case 'connection':
          return await this.fetchDatabases(node);
        case 'database':
          return await this.fetchCollections(node, offset);
        case 'collection':
          return await this.fetchRecords(node, offset);
      }
    } catch (e) {
      return { items: [], exhausted: true, error: errorNode(node, e) };
    }
  }

  private async fetchDatabases(node: ConnectionNode): Promise<Listing<ExplorerNode>> {
    const client = await this.opts.clientFor(node.connection);
    const scope = await client.scope();
    let names: string[];
    try {
      const dbs: string[] = [];
      for (let offset = 0; ; offset += 100) {
        const page = await client.listDatabases({ tenant: scope.tenant, limit: 100, offset });
        dbs.push(...page.map((d) => d.name));
        if (page.length < 100) {
          break;
        }
      }
      names = dbs;
    } catch (e) {
      // Keys scoped to one database may not list the tenant's databases: show the one they may use.
      if (isAuthError(e) && node.connection.database) {
        names = [node.connection.database];
      } else {
        throw e;
      }
    }
    if (node.connection.database && !names.includes(node.connection.database)) {
      names.unshift(node.connection.database);
    }
    const items: DatabaseNode[] = names.map((database) => ({
      kind: 'database',
      id: `${node.id}/d:${enc(scope.tenant)}/${enc(database)}`,
      parent: node,
      tenant: scope.tenant,
      database,
    }));
    return { items, total: items.length, exhausted: true };
  }

  private async fetchCollections(node: DatabaseNode, offset: number): Promise<Listing<ExplorerNode>> {
    const client = await this.client(node);
    const scope = { tenant: node.tenant, database: node.database };
    const limit = this.collectionPageSize;
    // The total comes from collections_count, which is slow on large databases (it grows with the number of
    // collections): the first page never waits for it; "Load more…" shows the total when it arrives.
    const counting = offset === 0 ? client.countCollections({ scope }).catch(() => undefined) : undefined;
    const page = await client.listCollections({ scope, limit, offset });
    const items: CollectionNode[] = page.map((collection) => ({
      kind: 'collection',
      id: `${node.id}/k:${collection.id}`,
      parent: node,
      collection,
    }));
    this.scheduleCounts(items);
    void counting?.then(async (total) => {
      const current = this.listings.get(node.id);
      if (total !== undefined && current) {
        (await current).total = total;
        this.changed.fire(node);
      }
    });
    return { items, exhausted: page.length < limit };
  }

  private async fetchRecords(node: CollectionNode, offset: number): Promise<Listing<ExplorerNode>> {
    const limit = this.recordPageSize;
    const page = await (await this.client(node)).get(node.collection, { limit, offset, include: ['documents', 'metadatas'] });
    const items: Array<RecordNode | ErrorNode> = [];
    for (let i = 0; i < page.ids.length; i++) {
      items.push(recordItem(node, offset + i, page.ids[i], page.documents?.[i], page.metadatas?.[i]));
    }
    return { items, total: node.count, exhausted: page.ids.length < limit };
  }

  private scheduleCounts(nodes: CollectionNode[]): void {
    for (const node of nodes) {
      void this.counter
        .run(async () => {
          if (this.retired.has(node)) {
            return;
          }
          try {
            node.count = await (await this.client(node)).count(node.collection);
            node.countError = undefined;
          } catch (e) {
            node.countError = describeError(e);
          }
          this.changed.fire(node);
        })
        .catch(() => undefined);
    }
  }
}

/**
 * One record of a page, keeping only bounded parts of it. A record that cannot be shown becomes an error item of
 * its own, so the rest of the page still lists (and the next page's offset still counts it).
 */
function recordItem(parent: CollectionNode, index: number, recordId: unknown, document: unknown, metadata: unknown): RecordNode | ErrorNode {
  if (typeof recordId !== 'string') {
    return itemError(parent, `${parent.id}/x:${index}`, `Record ${index + 1} of this collection has no id in the server's answer.`);
  }
  const id = `${parent.id}/r:${recordKey(recordId)}`;
  if (hasLoneSurrogate(recordId)) {
    return itemError(
      parent,
      id,
      `Record "${displayLine(recordId, 60)}" has an id that is not valid Unicode (a lone surrogate): Chroma cannot address it, so it cannot be opened here.`,
    );
  }
  try {
    const doc = typeof document === 'string' ? document : null;
    return {
      kind: 'record',
      id,
      parent,
      recordId,
      documentStart: doc === null ? null : detach(prefix(doc, RECORD_PREVIEW_CHARS)),
      documentLength: doc?.length ?? 0,
      metadataJson: hasOwnKeys(metadata) ? boundedJson(metadata, RECORD_METADATA_CHARS).text : undefined,
    };
  } catch (e) {
    return itemError(parent, id, `Record "${displayLine(recordId, 60)}" could not be shown: ${describeError(e)}`);
  }
}

/** A stable, unique key for a record id: its encoding, or for a long id a short prefix and a hash of all of it. */
function recordKey(recordId: string): string {
  if (recordId.length <= MAX_KEY_ID_CHARS) {
    return enc(recordId);
  }
  // '#' never appears in an encoded id, so these keys cannot meet a short id's key
  return `${enc(recordId.slice(0, 64))}#${createHash('sha256').update(recordId, 'utf16le').digest('hex').slice(0, 32)}`;
}

function itemError(parent: CollectionNode, id: string, message: string): ErrorNode {
  return { kind: 'error', id, parent, message, action: 'none' };
}

/**
 * The items with each id once: a server may send a record twice (or paging may meet it again when records were
 * added meanwhile), and VS Code refuses a tree with two items of one id.
 */
function uniqueById(items: readonly ExplorerNode[]): ExplorerNode[] {
  const seen = new Set<string>();
  const out: ExplorerNode[] = [];
  for (const item of items) {
    if (!seen.has(item.id)) {
      seen.add(item.id);
      out.push(item);
    }
  }
  return out;
}

function isUnder(key: string, ancestorId: string): boolean {
  return key.startsWith(`${ancestorId}/`);
}

export function connectionOf(node: ExplorerNode): ConnectionConfig {
  let cur: ExplorerNode = node;
  while (cur.kind !== 'connection') {
    cur = cur.parent;
  }
  return cur.connection;
}

function emptyText(node: ParentNode): string {
  switch (node.kind) {
    case 'connection':
      return 'No databases';
    case 'database':
      return 'No collections';
    case 'collection':
      return 'No records';
  }
}

function errorNode(parent: ParentNode, e: unknown): ErrorNode {
  return {
    kind: 'error',
    id: `e:${parent.id}`,
    parent,
    message: describeError(e),
    action: isAuthError(e) ? 'setToken' : 'retry',
  };
}
