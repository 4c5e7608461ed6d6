/**
 * The `chroma:` URIs of records and collections, and their parts. No `vscode` here.
 *
 *   chroma:/<connection>/[<tenant>/]<database>/<collection name>/<record>.json?connection=…&tenant=…&database=…&collection=<id>&name=…&id=…[&view=server|new]
 *
 * The path is only for people: the names VS Code shows in the breadcrumb, the tab's tooltip, Open Recent and the
 * Problems view (the tenant only when it is not `default_tenant`). Each segment is cleaned of control and bidi
 * characters, path separators and dot-only names, and cut, so no name can break the path or make it read as something
 * else; it is never decoded. What counts is in the query, whole: the connection, the collection's id (a renamed
 * collection is still found) and the record's id. A URI whose path is not the one its query makes is not an address
 * (VS Code asks about a file's folders with the file's query). The URIs of before (ids in the path) still open.
 */
import { decodeIdPart, displayLine, encodeIdPart } from '../../util/text';

export const RECORD_SCHEME = 'chroma';

export interface RecordAddress {
  connection: string;
  tenant: string;
  database: string;
  collectionId: string;
  /** The collection's name when the address was made (ids are what count; names can change). */
  collectionName: string;
  /** undefined: the collection itself (its read-only summary). For a new record, the draft's label. */
  recordId?: string;
  /**
   * `server`: the record as the server has it now, read-only (the left side of a conflict's diff);
   * `new`: a record being written with Add Record…, not on the server yet.
   */
  view?: 'server' | 'new';
}

const enc = encodeIdPart;

/** A label for a tab: one line, no control or bidi characters, no path separators, at most 60 characters. */
export function tabLabel(text: string): string {
  const line = displayLine(text, 60).replace(/[/\\]/g, '∕');
  // `.` and `..` would read as the folder itself or its parent
  return (/^\.+$/.test(line) ? line.replace(/\./g, '․') : line) || '_';
}

const DEFAULT_TENANT = 'default_tenant';

/** The path people read: connection › [tenant ›] database › collection › record (or the collection's summary). */
function labelPath(a: RecordAddress): string {
  const folders = [a.connection, ...(a.tenant === DEFAULT_TENANT ? [] : [a.tenant]), a.database, a.collectionName].map(tabLabel);
  if (a.recordId === undefined) {
    return `/${folders.join('/')}/${tabLabel(a.collectionName)}.md`;
  }
  const file = a.view === 'server' ? `${tabLabel(a.recordId)} (server)` : tabLabel(a.recordId);
  return `/${folders.join('/')}/${file}.json`;
}

export function addressToUriParts(a: RecordAddress): { path: string; query: string } {
  const query = [
    `connection=${enc(a.connection)}`,
    `tenant=${enc(a.tenant)}`,
    `database=${enc(a.database)}`,
    `collection=${enc(a.collectionId)}`,
    `name=${enc(a.collectionName)}`,
  ];
  if (a.recordId !== undefined) {
    query.push(`id=${enc(a.recordId)}`);
    if (a.view) {
      query.push(`view=${a.view}`);
    }
  }
  return { path: labelPath(a), query: query.join('&') };
}

function param(query: string, key: string): string | undefined {
  // decoded once, by the same rule that encoded it (URLSearchParams would decode `%` and `+` a second time)
  const raw = new RegExp(`(?:^|&)${key}=([^&]*)`).exec(query)?.[1];
  return raw === undefined ? undefined : decodeIdPart(raw);
}

/** The view and record id of a query, or undefined when the view is not one we make. */
function recordPart(query: string): Pick<RecordAddress, 'recordId' | 'view'> | undefined {
  const recordId = param(query, 'id');
  const view = param(query, 'view');
  if (view !== undefined && (view !== 'server' && view !== 'new')) {
    return undefined;
  }
  if (recordId === undefined) {
    return view === undefined ? {} : undefined;
  }
  return { recordId, ...(view ? { view } : {}) };
}

/** The address a query names (without checking the path). */
export function queryAddress(query: string): RecordAddress | undefined {
  try {
    const [connection, tenant, database, collectionId] = ['connection', 'tenant', 'database', 'collection'].map((k) => param(query, k));
    const rec = recordPart(query);
    if (connection === undefined || tenant === undefined || database === undefined || !collectionId || !rec) {
      return undefined;
    }
    return { connection, tenant, database, collectionId, collectionName: param(query, 'name') || collectionId, ...rec };
  } catch {
    return undefined;
  }
}

/** The URIs of before: `/<connection>/<tenant>/<database>/<collectionId>/<label>.<ext>?name=…[&id=…][&view=…]`. */
function legacyAddress(path: string, query: string): RecordAddress | undefined {
  const parts = path.replace(/^\//, '').split('/');
  if (parts.length !== 5) {
    return undefined;
  }
  const [connection, tenant, database, collectionId] = parts.slice(0, 4).map((p) => decodeIdPart(p));
  const rec = recordPart(query);
  if (!rec || (rec.recordId === undefined && !parts[4].endsWith('.md'))) {
    return undefined;
  }
  return { connection, tenant, database, collectionId, collectionName: param(query, 'name') || collectionId, ...rec };
}

/** The address of a `chroma:` URI's path and query; undefined when it is not one. */
export function uriPartsToAddress(path: string, query: string): RecordAddress | undefined {
  try {
    if (/(?:^|&)connection=/.test(query)) {
      const a = queryAddress(query);
      return a && labelPath(a) === path ? a : undefined;
    }
    return legacyAddress(path, query);
  } catch {
    return undefined;
  }
}

/** Whether a path is one of the folders above an address's file (VS Code stats a file's parents when it saves). */
export function isFolderOf(path: string, query: string): boolean {
  const a = queryAddress(query);
  if (!a) {
    // no address to compare with: the folders of the URIs of before, or a bare folder
    return path.replace(/^\//, '').split('/').length < 5;
  }
  const folder = path.replace(/\/$/, '');
  return labelPath(a).startsWith(`${folder}/`);
}
