/**
 * The tree's node kinds and their ids: connection → database → collection → record, and the load-more, error and
 * message items between them. Ids are built from the server's names and ids so that VS Code remembers expansion
 * across refreshes; a record that cannot be shown becomes an error item of its own. No `vscode` here.
 */
import { createHash } from 'node:crypto';
import { describeError, isAuthError } from '../../chroma/errors';
import type { Collection } from '../../chroma/types';
import type { ConnectionConfig } from '../../connections/core/connectionConfig';
import type { Filter } from '../../filter/core/filter';
import { boundedJson, detach, displayLine, encodeIdPart, hasLoneSurrogate, hasOwnKeys, prefix } from '../../util/text';

const enc = encodeIdPart;

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
  /** Collections in the database: undefined until counted (see countDatabases). */
  collectionCount?: number;
  collectionCountError?: string;
  /**
   * Shown though the server did not list it: it cannot list databases and the connection or identity names it
   * (`known`), or the user added it (`added`); or it lists them without this one, which the connection names
   * (`connection`). Such a database is asked for before its collections: servers list a missing one as empty.
   */
  unlisted?: 'known' | 'added' | 'connection';
  /** The server said it does not exist (undefined: not asked, or it could not tell). */
  missing?: boolean;
}

/** Says in the user's terms why a server refused a filter; undefined when the error is not about it. */
export type FilterExplainer = (e: unknown, filter: Filter) => string | undefined;

export interface CollectionNode {
  kind: 'collection';
  id: string;
  parent: DatabaseNode;
  collection: Collection;
  /** Records in the collection: undefined until counted. */
  count?: number;
  countError?: string;
  /** Filter Records…: only records matching it are listed (a `get` with `where` / `where_document`). */
  filter?: Filter;
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
  /** What a click does: `addDatabase` asks for a database to add to the view (servers that cannot list them). */
  action?: 'addDatabase';
}

/**
 * A node another feature shows in the tree (the Local data node and its folders): the tree provider asks that
 * feature's section for its children and items; the model never lists or fetches it.
 */
export interface SectionNode {
  kind: 'section';
  id: string;
  /** Which section owns it (TreeSection.name). */
  section: string;
  parent?: SectionNode;
}

export type ExplorerNode = ConnectionNode | DatabaseNode | CollectionNode | RecordNode | LoadMoreNode | ErrorNode | MessageNode | SectionNode;
export type ParentNode = ConnectionNode | DatabaseNode | CollectionNode;

/** Node ids: the tree and the refresh-by-name methods must spell them the same way. */
export function connectionId(name: string): string {
  return `c:${enc(name)}`;
}

export function databaseId(connId: string, tenant: string, database: string): string {
  return `${connId}/d:${enc(tenant)}/${enc(database)}`;
}

/**
 * One record of a page, keeping only bounded parts of it. A record that cannot be shown becomes an error item of
 * its own, so the rest of the page still lists (and the next page's offset still counts it).
 */
export function recordItem(parent: CollectionNode, index: number, recordId: unknown, document: unknown, metadata: unknown): RecordNode | ErrorNode {
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

export function itemError(parent: CollectionNode, id: string, message: string): ErrorNode {
  return { kind: 'error', id, parent, message, action: 'none' };
}

export function connectionOf(node: ExplorerNode): ConnectionConfig {
  let cur: ExplorerNode = node;
  while (cur.kind !== 'connection') {
    if (cur.kind === 'section' || !cur.parent) {
      throw new Error('This item has no connection: choose a collection, database or connection.');
    }
    cur = cur.parent;
  }
  return cur.connection;
}

export function emptyText(node: ParentNode): string {
  switch (node.kind) {
    case 'connection':
      return 'No databases';
    case 'database':
      return 'No collections';
    case 'collection':
      return 'No records';
  }
}

/** A listing's error, in `explained` words when there are some. */
export function errorNode(parent: ParentNode, e: unknown, explained?: string): ErrorNode {
  return {
    kind: 'error',
    id: `e:${parent.id}`,
    parent,
    message: explained ?? describeError(e),
    action: isAuthError(e) ? 'setToken' : 'retry',
  };
}
