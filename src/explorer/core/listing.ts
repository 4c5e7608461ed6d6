/**
 * A node's children as the tree shows them, page by page: the Listing, and the requests that fill it with
 * collections and records. No `vscode` here.
 */
import type { ChromaClient } from '../../chroma/client';
import type { Filter } from '../../filter/core/filter';
import type { CollectionNode, DatabaseNode, ErrorNode, ExplorerNode, RecordNode } from './nodes';
import { recordItem } from './nodes';

/** How a database's collections are ordered: by name, or (past the sorted-list limit) as the server sends them. */
export type CollectionOrder = 'name' | 'server';

export interface Listing<T extends ExplorerNode> {
  /** The children shown. */
  items: T[];
  /** Collections fetched but not shown yet: "Load more…" shows them without a request. */
  pool: CollectionNode[];
  /** How many items the server has sent: the offset of the next request. */
  fetched: number;
  total?: number;
  /** The server has nothing more (the pool may still hold some). */
  exhausted: boolean;
  order?: CollectionOrder;
  error?: ErrorNode;
}

/** Names in the order a person expects (bulk-2 before bulk-10), made on first use: an Intl object costs activation ~3 ms. */
let collator: Intl.Collator | undefined;
export const byName = (a: string, b: string): number => (collator ??= new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' })).compare(a, b);


export function hasMore(listing: Listing<ExplorerNode>): boolean {
  if (listing.pool.length > 0) {
    return true;
  }
  return !(listing.exhausted || (listing.total !== undefined && listing.fetched >= listing.total));
}

/**
 * The items with each id once: a server may send a record twice (or paging may meet it again when records were
 * added meanwhile), and VS Code refuses a tree with two items of one id.
 */
export function uniqueById(items: readonly ExplorerNode[]): ExplorerNode[] {
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

/** The filter a collection's records are listed by: undefined when it has no condition (all records). */
export function activeFilter(filter: Filter | undefined): Filter | undefined {
  const where = hasKeys(filter?.where) ? filter?.where : undefined;
  const whereDocument = hasKeys(filter?.whereDocument) ? filter?.whereDocument : undefined;
  return where || whereDocument ? { where, whereDocument } : undefined;
}

function hasKeys(v: object | undefined): v is object {
  return v !== undefined && v !== null && Object.keys(v).length > 0;
}

/** One page of a database's collections, as tree nodes. */
export async function collectionPage(client: ChromaClient, node: DatabaseNode, offset: number, limit: number): Promise<CollectionNode[]> {
  const page = await client.listCollections({ scope: { tenant: node.tenant, database: node.database }, limit, offset });
  return page.map((collection) => ({ kind: 'collection', id: `${node.id}/k:${collection.id}`, parent: node, collection }));
}

/** The listing of a collection's records with the page from `offset` added. */
export async function recordPage(client: ChromaClient, node: CollectionNode, offset: number, limit: number, current: Listing<ExplorerNode> | undefined): Promise<Listing<ExplorerNode>> {
  const page = await client.get(node.collection, {
    limit,
    offset,
    where: node.filter?.where,
    whereDocument: node.filter?.whereDocument,
    include: ['documents', 'metadatas'],
  });
  const items: Array<RecordNode | ErrorNode> = [];
  for (let i = 0; i < page.ids.length; i++) {
    items.push(recordItem(node, offset + i, page.ids[i], page.documents?.[i], page.metadatas?.[i]));
  }
  return {
    items: [...(current?.items ?? []), ...items],
    pool: [],
    fetched: offset + page.ids.length,
    total: node.filter ? undefined : node.count,
    exhausted: page.ids.length < limit,
  };
}
