/**
 * The `chroma:` URIs of records and collections, and their parts. No `vscode` here.
 *
 *   chroma:/<connection>/<tenant>/<database>/<collectionId>/<label>.<ext>?name=<collection name>[&id=<record id>][&view=server|new]
 *
 * The last path segment is only a label for the editor tab: a server's id, cleaned of control and bidi characters and
 * cut, so no record can make a tab read as something else; it is never decoded. What counts is in the query: the
 * record id, whole.
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
  return displayLine(text, 60).replace(/[/\\]/g, '∕') || '_';
}

export function addressToUriParts(a: RecordAddress): { path: string; query: string } {
  const base = [a.connection, a.tenant, a.database, a.collectionId].map(enc).join('/');
  const query = [`name=${enc(a.collectionName)}`];
  if (a.recordId === undefined) {
    return { path: `/${base}/${tabLabel(a.collectionName)}.md`, query: query.join('&') };
  }
  query.push(`id=${enc(a.recordId)}`);
  if (a.view) {
    query.push(`view=${a.view}`);
  }
  const label = a.view === 'server' ? `${tabLabel(a.recordId)} (server)` : tabLabel(a.recordId);
  return { path: `/${base}/${label}.json`, query: query.join('&') };
}

function param(query: string, key: string): string | undefined {
  // decoded once, by the same rule that encoded it (URLSearchParams would decode `%` and `+` a second time)
  const raw = new RegExp(`(?:^|&)${key}=([^&]*)`).exec(query)?.[1];
  return raw === undefined ? undefined : decodeIdPart(raw);
}

/** The address of a `chroma:` URI's path and query; undefined when it is not one. */
export function uriPartsToAddress(path: string, query: string): RecordAddress | undefined {
  const parts = path.replace(/^\//, '').split('/');
  try {
    if (parts.length === 5) {
      const [connection, tenant, database, collectionId] = parts.slice(0, 4).map((p) => decodeIdPart(p));
      const collectionName = param(query, 'name') || collectionId;
      const recordId = param(query, 'id');
      const view = param(query, 'view');
      if (view !== undefined && view !== 'server' && view !== 'new') {
        return undefined;
      }
      if (recordId === undefined) {
        // the collection summary: `.md`
        return view === undefined && parts[4].endsWith('.md') ? { connection, tenant, database, collectionId, collectionName } : undefined;
      }
      return { connection, tenant, database, collectionId, collectionName, recordId, ...(view ? { view } : {}) };
    }
    return undefined;
  } catch {
    return undefined;
  }
}
