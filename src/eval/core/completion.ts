/**
 * What to complete at a position of an evaluation set, as the query playground does: connection names in a target's
 * "connection", collection names in its "collection" (of the target's connection and database; "compare" takes what
 * it leaves out from "target"), and metadata keys in any `where` (the target's, a case's, an expectation's), at any
 * depth of `$and` / `$or`. In a .jsonl set the line under the cursor is read, with the header line for the target.
 * The VS Code layer turns a site into completion items. No `vscode` here.
 */
import { getLocation, parseTree } from 'jsonc-parser';
import type { Node, Segment } from 'jsonc-parser';
import { properties, spanOf } from '../../util/jsonTree';
import type { Span } from '../../util/jsonTree';

/** The same shape as the playground's completion sites, so one provider can serve both. */
export type EvalCompletionSite =
  | { kind: 'connection'; replace: Span }
  | { kind: 'collection'; replace: Span; connection: string; tenant?: string; database?: string }
  | { kind: 'metadataKey'; replace: Span; needsColon: boolean; connection: string; tenant?: string; database?: string; collection: string };

type Names = Partial<Record<'connection' | 'tenant' | 'database' | 'collection', string>>;

function nodeAt(root: Node | undefined, path: readonly Segment[]): Node | undefined {
  let node = root;
  for (const seg of path) {
    node = typeof seg === 'number' ? (node?.type === 'array' ? node.children?.[seg] : undefined) : node?.type === 'object' ? properties(node).find((p) => p.key === seg)?.valueNode : undefined;
  }
  return node;
}

function namesOf(obj: Node | undefined): Names {
  const out: Names = {};
  for (const p of obj?.type === 'object' ? properties(obj) : []) {
    if (p.valueNode?.type === 'string' && (p.key === 'connection' || p.key === 'tenant' || p.key === 'database' || p.key === 'collection')) {
      out[p.key] = String(p.valueNode.value);
    }
  }
  return out;
}

/** Inside a `where`, metadata keys go at its top and in the objects of `$and` / `$or` lists, at any depth. */
function isKeyPosition(inner: readonly Segment[]): boolean {
  for (let i = 0; i < inner.length; i += 2) {
    if ((inner[i] !== '$and' && inner[i] !== '$or') || typeof inner[i + 1] !== 'number') {
      return false;
    }
  }
  return true;
}

/** The part of the text the position is in: the whole .json file, or the .jsonl line, with its header line. */
function scope(text: string, offset: number, format: 'json' | 'jsonl'): { doc: string; base: number; header: string; inHeader: boolean } {
  if (format === 'json') {
    return { doc: text, base: 0, header: text, inHeader: true };
  }
  const base = text.lastIndexOf('\n', offset - 1) + 1;
  const nl = text.indexOf('\n', offset);
  const doc = text.slice(base, nl === -1 ? text.length : nl);
  const headerStart = /\S/.exec(text)?.index ?? 0;
  const lineStart = text.lastIndexOf('\n', headerStart - 1) + 1;
  const headerEnd = text.indexOf('\n', headerStart);
  return { doc, base, header: text.slice(lineStart, headerEnd === -1 ? text.length : headerEnd), inHeader: lineStart === base };
}

/** Where (if anywhere) the completion list should open; `format`: see parse.ts's formatOf. */
export function evalCompletionSite(text: string, offset: number, format: 'json' | 'jsonl'): EvalCompletionSite | undefined {
  const { doc, base, header, inHeader } = scope(text, offset, format);
  const loc = getLocation(doc, offset - base);
  // a case line of a .jsonl set reads as if it were a case of a .json set
  const path: Segment[] = inHeader ? loc.path : ['cases', 0, ...loc.path];
  const root = parseTree(header, [], { allowTrailingComma: true });
  const target = namesOf(nodeAt(root, ['target']));
  const names = path[0] === 'compare' ? { ...target, ...namesOf(nodeAt(root, ['compare'])) } : target;
  const prev = loc.previousNode;
  const shift = (s: Span): Span => ({ start: s.start + base, end: s.end + base });
  const inString = prev !== undefined && offset - base > prev.offset && offset - base <= prev.offset + prev.length;
  const replace = inString ? shift(spanOf(prev)) : { start: offset, end: offset };
  const inTarget = path[0] === 'target' || path[0] === 'compare';
  if (inTarget && path.length === 2 && !loc.isAtPropertyKey && (prev === undefined || prev.type === 'string')) {
    if (path[1] === 'connection') {
      return { kind: 'connection', replace };
    }
    if (path[1] === 'collection' && names.connection) {
      return { kind: 'collection', replace, connection: names.connection, tenant: names.tenant, database: names.database };
    }
    return undefined;
  }
  const inner = inTarget && path[1] === 'where' ? path.slice(2) : whereOfCase(path);
  if (!inner || !loc.isAtPropertyKey || !isKeyPosition(inner.slice(0, -1)) || !names.connection || !names.collection) {
    return undefined;
  }
  const keySpan = prev?.type === 'property' ? shift(spanOf(prev)) : replace;
  return {
    kind: 'metadataKey',
    replace: keySpan,
    needsColon: !text.slice(keySpan.end).trimStart().startsWith(':'),
    connection: names.connection,
    tenant: names.tenant,
    database: names.database,
    collection: names.collection,
  };
}

/** The path inside a case's `where` or `expect.where`, or undefined when the position is not in one. */
function whereOfCase(path: readonly Segment[]): Segment[] | undefined {
  if (path[0] !== 'cases' || typeof path[1] !== 'number') {
    return undefined;
  }
  if (path[2] === 'where') {
    return path.slice(3);
  }
  return path[2] === 'expect' && path[3] === 'where' ? path.slice(4) : undefined;
}
