/** What to complete at a position of a playground file. No `vscode` here. */
import { getLocation, parseTree } from 'jsonc-parser';
import type { Node, Segment } from 'jsonc-parser';
import { nodeAt, properties, spanOf } from './jsonNodes';
import type { Span } from './types';

/** What to complete at a position: a connection or collection name, or a metadata key in `where`. */
export type CompletionSite =
  | { kind: 'connection'; replace: Span }
  | { kind: 'collection'; replace: Span; connection: string; tenant?: string; database?: string }
  | { kind: 'metadataKey'; replace: Span; needsColon: boolean; connection: string; tenant?: string; database?: string; collection: string };

/** Where the completion list should open, if it is one of the names this extension knows. */
export function completionSite(text: string, offset: number): CompletionSite | undefined {
  const loc = getLocation(text, offset);
  const root = parseTree(text, [], { allowTrailingComma: true, disallowComments: false });
  if (!root) {
    return undefined;
  }
  // the query object the position is in: the path before its field name
  const path = loc.path;
  let at = 0;
  if (typeof path[0] === 'number' && root.type === 'array') {
    at = 1;
  } else if (path[0] === 'queries' && typeof path[1] === 'number') {
    at = 2;
  }
  const field = path[at];
  if (typeof field !== 'string') {
    return undefined;
  }
  const query = at === 0 ? root : nodeAt(root, path.slice(0, at));
  const names = (obj: Node | undefined) => {
    const out: Record<string, string> = {};
    for (const p of obj?.type === 'object' ? properties(obj) : []) {
      if (p.valueNode?.type === 'string') {
        out[p.key] = String(p.valueNode.value);
      }
    }
    return out;
  };
  const own = names(query);
  const named = at === 2 ? { ...names(root), ...own } : own;
  const prev = loc.previousNode;
  const inString = prev !== undefined && offset > prev.offset && offset <= prev.offset + prev.length;
  const replace: Span = inString ? spanOf(prev) : { start: offset, end: offset };
  const rest = path.slice(at + 1);
  if (!loc.isAtPropertyKey && rest.length === 0 && (prev === undefined || prev.type === 'string')) {
    if (field === 'connection') {
      return { kind: 'connection', replace };
    }
    if (field === 'collection' && named.connection) {
      return { kind: 'collection', replace, connection: named.connection, tenant: named.tenant, database: named.database };
    }
    return undefined;
  }
  if (field === 'where' && loc.isAtPropertyKey && isKeyPosition(rest.slice(0, -1)) && named.connection && named.collection) {
    // a property key: its string when one is being typed, and a colon unless one follows
    const keySpan = prev && prev.type === 'property' ? { start: prev.offset, end: prev.offset + prev.length } : replace;
    const after = text.slice(keySpan.end).trimStart();
    return {
      kind: 'metadataKey',
      replace: prev && prev.type === 'property' ? keySpan : replace,
      needsColon: !after.startsWith(':'),
      connection: named.connection,
      tenant: named.tenant,
      database: named.database,
      collection: named.collection,
    };
  }
  return undefined;
}

/** Inside `where`, metadata keys go at its top and in the objects of `$and` / `$or` lists, at any depth. */
function isKeyPosition(inner: Segment[]): boolean {
  for (let i = 0; i < inner.length; i += 2) {
    if ((inner[i] !== '$and' && inner[i] !== '$or') || typeof inner[i + 1] !== 'number') {
      return false;
    }
  }
  return true;
}
