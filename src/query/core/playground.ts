/**
 * Playground files (`*.chroma.json`): a query, or a list of them, against a named connection and collection, kept
 * in a repo so that retrieval checks travel with the code. This module reads a file's text into the QuerySpecs it
 * asks for, each with the span it came from, or into problems with the exact span to underline; and says what to
 * complete at a position. No `vscode` here.
 *
 * Three shapes: one query object; `{"queries": [...]}`, whose other keys are defaults for every query in the list
 * (a key a query sets replaces the default, filters included); or a top-level array of queries.
 */
import { getLocation, parseTree, printParseErrorCode } from 'jsonc-parser';
import type { Node, ParseError, Segment } from 'jsonc-parser';
import { quote } from '../../chroma/sanitize';
import { DEFAULT_DATABASE, DEFAULT_TENANT } from '../../chroma/types';
import type { Include, Scope, Where, WhereDocument } from '../../chroma/types';
import { collectionNameProblem } from '../../chroma/validate';
import { checkFilter } from '../../filter/core/check';
import type { QueryInput, QuerySpec } from './spec';
// the limits `chroma.runQuerySpec` checks, so that a query this file accepts is never refused there
import { DEFAULT_INCLUDE, MAX_DIMENSION, MAX_N_RESULTS, MAX_TEXT } from './specInput';

/** The files this module reads. */
export const PLAYGROUND_GLOB = '**/*.chroma.json';
export const INCLUDE_VALUES: readonly Include[] = ['documents', 'metadatas', 'distances', 'embeddings', 'uris'];

/** Offsets into the text; `end` is exclusive. */
export interface Span {
  start: number;
  end: number;
}

/** What a playground needs to know of a connection: its name and the scope it fixes, if any. */
export interface PlaygroundConnection {
  name: string;
  tenant?: string;
  database?: string;
}

export interface PlaygroundContext {
  connections: readonly PlaygroundConnection[];
  /** `chroma.query.nResults`: for queries that do not say. */
  nResults: number;
  /** The tenant and database a connection's client uses by default (from `/auth/identity`), when known. */
  scopeOf?: (connection: string) => Scope | undefined;
  /** The collection names of a database, when a list was fetched; undefined when not known. */
  collectionsIn?: (connection: string, scope: Scope) => readonly string[] | undefined;
}

/** One query object of the file: its span, and its spec when it can run. */
export interface PlaygroundQuery {
  span: Span;
  spec?: QuerySpec;
  /** How many errors keep it from running (0 when `spec` is set). */
  errors: number;
}

export interface PlaygroundProblem {
  message: string;
  span: Span;
  /** `syntax`: the JSON itself (the editor's JSON support reports it too); `query`: what the file asks for. */
  kind: 'syntax' | 'query';
  severity: 'error' | 'warning';
}

export interface PlaygroundFile {
  queries: PlaygroundQuery[];
  problems: PlaygroundProblem[];
  /** A list of queries (`{"queries": [...]}` or an array), which gets a Run All. */
  isList: boolean;
  /** The known connections the file names, for resolving their default scopes. */
  connections: string[];
}

const SHAPES = 'A playground file holds one query object, {"queries": [...]}, or an array of query objects.';
const INPUT_SHAPES = 'Give the query as text ("…"), {"text": "…"}, {"vector": [0.1, …]} or {"similarTo": "<record id>"}.';

/** The keys of a query object (the JSON schema lists the same). */
export const QUERY_KEYS = ['connection', 'tenant', 'database', 'collection', 'query', 'nResults', 'where', 'whereDocument', 'include'] as const;
type QueryKey = (typeof QUERY_KEYS)[number];
/** Names people bring from Chroma's clients and HTTP API. */
const ALIASES: Record<string, string> = {
  n_results: 'nResults',
  nresults: 'nResults',
  limit: 'nResults',
  where_document: 'whereDocument',
  wheredocument: 'whereDocument',
  query_texts: 'query',
  querytexts: 'query',
  query_embeddings: 'query',
  text: 'query',
  collection_name: 'collection',
  collectionname: 'collection',
  name: 'collection',
  conn: 'connection',
  db: 'database',
};
const INPUT_KEYS = ['text', 'vector', 'similarTo'] as const;
const INPUT_ALIASES: Record<string, string> = { similar_to: 'similarTo', similar: 'similarTo', id: 'similarTo', record: 'similarTo', embedding: 'vector' };

/** The fields one object gives, each with the node of its value (for spans). */
type Fields = Partial<Record<QueryKey, { node: Node; value: unknown }>>;
/** An object's good fields, and the keys it gives with a bad value. */
interface Read {
  fields: Fields;
  bad: Set<string>;
}

const spanOf = (n: Node): Span => ({ start: n.offset, end: n.offset + n.length });
/** The opening brace or bracket: where a problem about a whole object is underlined. */
const openingOf = (n: Node): Span => ({ start: n.offset, end: n.offset + 1 });

function properties(obj: Node): Array<{ key: string; keyNode: Node; valueNode?: Node; node: Node }> {
  return (obj.children ?? []).flatMap((p) => {
    const keyNode = p.children?.[0];
    return keyNode && typeof keyNode.value === 'string' ? [{ key: keyNode.value, keyNode, valueNode: p.children?.[1], node: p }] : [];
  });
}

/** A JSON value of a node (the parser's tree), without the parse errors a partial file may hold. */
function valueOf(n: Node): unknown {
  switch (n.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const p of properties(n)) {
        if (p.valueNode) {
          out[p.key] = valueOf(p.valueNode);
        }
      }
      return out;
    }
    case 'array':
      return (n.children ?? []).map(valueOf);
    default:
      return n.value;
  }
}

function kindOf(n: Node): string {
  return n.type === 'null' ? 'null' : n.type === 'array' ? 'an array' : n.type === 'object' ? 'an object' : `a ${n.type}`;
}

/** The key a mistyped key most likely meant, for "did you mean". */
function suggestion(key: string, known: readonly string[], aliases: Record<string, string>): string | undefined {
  const plain = key.toLowerCase().replace(/[-_\s]/g, '');
  return aliases[key] ?? aliases[key.toLowerCase()] ?? aliases[plain] ?? known.find((k) => k.toLowerCase() === plain);
}

class Reader {
  readonly problems: PlaygroundProblem[] = [];
  private readonly used = new Set<string>();

  constructor(private readonly ctx: PlaygroundContext) {}

  get connectionsUsed(): string[] {
    return [...this.used];
  }

  error(span: Span, message: string): void {
    this.problems.push({ message, span, kind: 'query', severity: 'error' });
  }

  warn(span: Span, message: string): void {
    this.problems.push({ message, span, kind: 'query', severity: 'warning' });
  }

  /**
   * Reads and checks the fields of `obj`; `allowed` says which keys may appear, `skip` which are read elsewhere.
   * Returns the fields whose values are good, and the keys given with a bad value (reported here, once).
   */
  fields(obj: Node, allowed: readonly string[], skip: readonly string[] = []): Read {
    const fields: Fields = {};
    const bad = new Set<string>();
    const seen = new Set<string>();
    for (const p of properties(obj)) {
      if (seen.has(p.key)) {
        this.error(spanOf(p.keyNode), `"${p.key}" appears twice in this object: keep one.`);
        bad.add(p.key);
        continue;
      }
      seen.add(p.key);
      if (p.key === '$schema' || skip.includes(p.key)) {
        continue;
      }
      if (!allowed.includes(p.key)) {
        const meant = suggestion(p.key, allowed, ALIASES);
        this.warn(spanOf(p.keyNode), `Unknown key ${quote(p.key)}${meant && allowed.includes(meant) ? `: did you mean "${meant}"?` : ': it is ignored.'}`);
        continue;
      }
      const key = p.key as QueryKey;
      // a missing value is reported by the parser
      const value = p.valueNode ? this.field(key, p.valueNode) : undefined;
      if (value === undefined || !p.valueNode) {
        bad.add(key);
      } else {
        fields[key] = { node: p.valueNode, value };
      }
    }
    return { fields, bad };
  }

  /** One field's checked value, or undefined after reporting why it is wrong. */
  private field(key: QueryKey, n: Node): unknown {
    switch (key) {
      case 'connection':
        return this.connection(n);
      case 'tenant':
      case 'database':
        return this.scopeName(key, n);
      case 'collection':
        return this.collection(n);
      case 'query':
        return this.input(n);
      case 'nResults':
        return this.nResults(n);
      case 'where':
      case 'whereDocument':
        return this.filter(key, n);
      case 'include':
        return this.include(n);
    }
  }

  private connection(n: Node): string | undefined {
    if (n.type !== 'string' || !String(n.value).trim()) {
      this.error(spanOf(n), `"connection" is the name of a Chroma connection (a string), not ${n.type === 'string' ? 'empty' : kindOf(n)}.`);
      return undefined;
    }
    const name = String(n.value);
    if (!this.ctx.connections.some((c) => c.name === name)) {
      const names = this.ctx.connections.map((c) => quote(c.name));
      this.error(
        spanOf(n),
        names.length === 0
          ? `There is no connection named ${quote(name)}, nor any other: add one with "Chroma: Add Connection…".`
          : `There is no connection named ${quote(name)}: use ${names.length === 1 ? names[0] : `one of ${names.slice(0, 5).join(', ')}${names.length > 5 ? ', …' : ''}`}, or add it with "Chroma: Add Connection…".`,
      );
      return undefined;
    }
    this.used.add(name);
    return name;
  }

  private scopeName(key: 'tenant' | 'database', n: Node): string | undefined {
    if (n.type !== 'string' || String(n.value).length < 3) {
      this.error(spanOf(n), `"${key}" is a ${key} name of 3 or more characters${n.type === 'string' ? '' : `, not ${kindOf(n)}`}.`);
      return undefined;
    }
    return String(n.value);
  }

  private collection(n: Node): string | undefined {
    if (n.type !== 'string') {
      this.error(spanOf(n), `"collection" is a collection's name (a string), not ${kindOf(n)}.`);
      return undefined;
    }
    const name = String(n.value);
    const problem = collectionNameProblem(name);
    if (problem) {
      this.error(spanOf(n), name ? `The collection name ${quote(name)} is invalid: it ${problem}.` : '"collection" is empty: write the name of the collection to query.');
      return undefined;
    }
    return name;
  }

  private input(n: Node): QueryInput | undefined {
    if (n.type === 'string') {
      return this.text(n);
    }
    if (n.type !== 'object') {
      this.error(spanOf(n), n.type === 'array' ? `A vector goes in {"vector": [...]}. ${INPUT_SHAPES}` : INPUT_SHAPES);
      return undefined;
    }
    const props = properties(n);
    let input: QueryInput | undefined;
    let first: string | undefined;
    let bad = false;
    for (const p of props) {
      if (!(INPUT_KEYS as readonly string[]).includes(p.key)) {
        const meant = suggestion(p.key, INPUT_KEYS, INPUT_ALIASES);
        this.error(spanOf(p.keyNode), `Unknown key ${quote(p.key)} in "query"${meant ? `: did you mean "${meant}"?` : `. ${INPUT_SHAPES}`}`);
        bad = true;
        continue;
      }
      if (first !== undefined) {
        this.error(spanOf(p.keyNode), `"query" has "${first}" already: a query searches by one of text, vector or similarTo.`);
        bad = true;
        continue;
      }
      first = p.key;
      if (!p.valueNode) {
        bad = true;
        continue;
      }
      input = p.key === 'text' ? this.text(p.valueNode) : p.key === 'vector' ? this.vector(p.valueNode) : this.recordId(p.valueNode);
    }
    if (first === undefined && !bad) {
      this.error(openingOf(n), INPUT_SHAPES);
    }
    return bad ? undefined : input;
  }

  private text(n: Node): QueryInput | undefined {
    if (n.type !== 'string') {
      this.error(spanOf(n), `The query text is a string, not ${kindOf(n)}.`);
      return undefined;
    }
    const text = String(n.value);
    if (!text.trim() || text.length > MAX_TEXT) {
      this.error(spanOf(n), text.trim() ? `The query text is longer than ${MAX_TEXT.toLocaleString('en-US')} characters: search with a shorter one.` : 'The query text is empty: write what to search for.');
      return undefined;
    }
    return { kind: 'text', text };
  }

  private vector(n: Node): QueryInput | undefined {
    if (n.type !== 'array') {
      this.error(spanOf(n), `"vector" is an array of numbers, not ${kindOf(n)}.`);
      return undefined;
    }
    const items = n.children ?? [];
    if (items.length === 0 || items.length > MAX_DIMENSION) {
      this.error(spanOf(n), `The vector has ${items.length} numbers: give as many as the collection has dimensions (1 to ${MAX_DIMENSION.toLocaleString('en-US')}).`);
      return undefined;
    }
    const bad = items.findIndex((c) => c.type !== 'number' || !Number.isFinite(c.value));
    if (bad >= 0) {
      this.error(spanOf(items[bad]), `Element ${bad} of the vector is ${kindOf(items[bad])}: a vector holds numbers only.`);
      return undefined;
    }
    return { kind: 'vector', vector: items.map((c) => Number(c.value)) };
  }

  private recordId(n: Node): QueryInput | undefined {
    if (n.type !== 'string' || !String(n.value)) {
      this.error(spanOf(n), `"similarTo" is the id of a record in the collection (a non-empty string)${n.type === 'string' ? '' : `, not ${kindOf(n)}`}.`);
      return undefined;
    }
    return { kind: 'record', recordId: String(n.value) };
  }

  private nResults(n: Node): number | undefined {
    const v = n.value as unknown;
    if (n.type !== 'number' || typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > MAX_N_RESULTS) {
      this.error(spanOf(n), `"nResults" is a whole number from 1 to ${MAX_N_RESULTS}, not ${n.type === 'number' ? String(v) : kindOf(n)}.`);
      return undefined;
    }
    return v;
  }

  /** A filter, checked with Chroma's grammar; `{}` is no filter. The problem is underlined where the check points. */
  private filter(key: 'where' | 'whereDocument', n: Node): Where | WhereDocument | null | undefined {
    if (n.type !== 'object') {
      this.error(spanOf(n), `"${key}" is a filter object, like ${key === 'where' ? '{"year": {"$gte": 2020}}' : '{"$contains": "chroma"}'}, not ${kindOf(n)}.`);
      return undefined;
    }
    const value = valueOf(n) as Record<string, unknown>;
    if (Object.keys(value).length === 0) {
      return null;
    }
    const message = checkFilter(key === 'where' ? { where: value } : { whereDocument: value });
    if (message) {
      this.error(filterSpan(n, message), message);
      return undefined;
    }
    return value;
  }

  private include(n: Node): Include[] | undefined {
    if (n.type !== 'array') {
      this.error(spanOf(n), `"include" is a list of what to fetch (${INCLUDE_VALUES.map((v) => `"${v}"`).join(', ')}), not ${kindOf(n)}.`);
      return undefined;
    }
    const out: Include[] = [];
    for (const c of n.children ?? []) {
      if (c.type !== 'string' || !(INCLUDE_VALUES as readonly string[]).includes(String(c.value))) {
        this.error(spanOf(c), `"include" takes ${INCLUDE_VALUES.map((v) => `"${v}"`).join(', ')}${c.type === 'string' ? `, not ${quote(String(c.value))}` : ''}.`);
        return undefined;
      }
      out.push(c.value as Include);
    }
    return [...new Set(out)];
  }

  /** A query from its own fields over the defaults, or undefined after reporting what it lacks. */
  spec(obj: Node, own: Read, defaults: Read, inList: boolean): QuerySpec | undefined {
    const f: Fields = { ...defaults.fields, ...own.fields };
    // a bad value, here or in a default this query does not replace, was reported where it is
    const blocked = own.bad.size > 0 || [...defaults.bad].some((k) => !own.fields[k as QueryKey] && !own.bad.has(k));
    const given = (k: QueryKey) => f[k] !== undefined || own.bad.has(k) || defaults.bad.has(k);
    const where = inList ? ' (in this query or at the top of the file)' : '';
    if (!given('connection')) {
      this.error(openingOf(obj), `This query names no connection: add "connection": "<name>"${where}.`);
    }
    if (!given('collection')) {
      this.error(openingOf(obj), `This query names no collection: add "collection": "<name>"${where}.`);
    }
    if (!given('query')) {
      this.error(openingOf(obj), `This query has nothing to search for: add "query": "<text>". ${INPUT_SHAPES}`);
    }
    if (blocked || !f.connection || !f.collection || !f.query) {
      return undefined;
    }
    const connection = String(f.connection.value);
    const conn = this.ctx.connections.find((c) => c.name === connection);
    const known = this.ctx.scopeOf?.(connection);
    const tenant = (f.tenant?.value as string | undefined) ?? conn?.tenant ?? known?.tenant ?? DEFAULT_TENANT;
    const database = (f.database?.value as string | undefined) ?? conn?.database ?? known?.database ?? DEFAULT_DATABASE;
    const collection = String(f.collection.value);
    const names = this.ctx.collectionsIn?.(connection, { tenant, database });
    if (names && !names.includes(collection)) {
      this.warn(spanOf(f.collection.node), `${connection} has no collection ${quote(collection)} in ${tenant}/${database} (yet): check the name, or the "tenant" and "database".`);
    }
    const spec: QuerySpec = {
      connection,
      tenant,
      database,
      collection,
      input: f.query.value as QueryInput,
      nResults: (f.nResults?.value as number | undefined) ?? this.ctx.nResults,
      include: (f.include?.value as Include[] | undefined) ?? [...DEFAULT_INCLUDE],
    };
    // null: an empty filter, which asks for nothing
    if (f.where?.value) {
      spec.where = f.where.value as Where;
    }
    if (f.whereDocument?.value) {
      spec.whereDocument = f.whereDocument.value as WhereDocument;
    }
    return spec;
  }
}

/**
 * Where a filter problem is: the check's message starts with the part, like `where.$and[1].year.$gt` or
 * `where["a.b"].$in`; the deepest node of that path that exists in the file, else the whole filter.
 */
function filterSpan(filter: Node, message: string): Span {
  const m = /^(?:where|whereDocument|where_document)((?:\.[^\s.[\]`'",:;()]+|\[\d+\]|\["(?:[^"\\]|\\.)*"\])+)/.exec(message);
  if (!m) {
    return spanOf(filter);
  }
  let node = filter;
  let found: Node = filter;
  for (const part of m[1].match(/\.[^.[]+|\[\d+\]|\["(?:[^"\\]|\\.)*"\]/g) ?? []) {
    if (/^\[\d/.test(part)) {
      const child = node.type === 'array' ? node.children?.[Number(part.slice(1, -1))] : undefined;
      if (!child) {
        break;
      }
      node = found = child;
    } else {
      const key = part.startsWith('.') ? part.slice(1) : (JSON.parse(part.slice(1, -1)) as string);
      const p = node.type === 'object' ? properties(node).find((x) => x.key === key) : undefined;
      if (!p?.valueNode) {
        break;
      }
      // the whole `key: value`, so an operator's name and its value are both marked
      found = p.node;
      node = p.valueNode;
    }
  }
  return spanOf(found);
}

function syntaxMessage(e: ParseError): string {
  const what = printParseErrorCode(e.error).replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return `The file is not valid JSON here (${what}): fix it so its queries can be read.`;
}

/** Reads a playground file's text: its queries, each with a spec when it can run, and every problem. */
export function parsePlayground(text: string, ctx: PlaygroundContext): PlaygroundFile {
  const reader = new Reader(ctx);
  const file: PlaygroundFile = { queries: [], problems: reader.problems, isList: false, connections: [] };
  if (!text.trim()) {
    reader.error({ start: 0, end: text.length }, `The file is empty. ${SHAPES}`);
    return file;
  }
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  for (const e of errors) {
    reader.problems.push({ message: syntaxMessage(e), span: { start: e.offset, end: e.offset + Math.max(1, e.length) }, kind: 'syntax', severity: 'error' });
  }
  if (!root) {
    return file;
  }
  const none: Read = { fields: {}, bad: new Set() };
  const readQuery = (obj: Node, defaults: Read, inList: boolean) => {
    if (obj.type !== 'object') {
      reader.error(spanOf(obj), `A query is an object with "connection", "collection" and "query", not ${kindOf(obj)}.`);
      file.queries.push({ span: spanOf(obj), errors: 1 });
      return;
    }
    const before = reader.problems.length;
    const spec = reader.spec(obj, reader.fields(obj, QUERY_KEYS), defaults, inList);
    const errors = reader.problems.slice(before).filter((p) => p.severity === 'error').length;
    // a query kept from running only by a bad default still counts one error
    file.queries.push({ span: spanOf(obj), spec, errors: spec ? 0 : Math.max(1, errors) });
  };
  if (root.type === 'array') {
    file.isList = true;
    root.children?.forEach((q) => readQuery(q, none, false));
    if (!root.children?.length) {
      reader.warn(openingOf(root), 'The list has no queries yet: add {"connection": …, "collection": …, "query": …}.');
    }
  } else if (root.type === 'object') {
    const list = properties(root).find((p) => p.key === 'queries');
    if (!list) {
      readQuery(root, none, false);
    } else {
      file.isList = true;
      const stray = properties(root).find((p) => p.key === 'query');
      if (stray) {
        reader.error(spanOf(stray.keyNode), 'With "queries", each query goes in that list: move this "query" into it.');
      }
      const defaults = reader.fields(root, QUERY_KEYS, ['queries', 'query']);
      const items = list.valueNode;
      if (!items || items.type !== 'array') {
        reader.error(items ? spanOf(items) : spanOf(list.keyNode), `"queries" is an array of query objects${items ? `, not ${kindOf(items)}` : ''}.`);
      } else if (!items.children?.length) {
        reader.warn(spanOf(items), 'The list has no queries yet: add {"query": "…"} (connection and collection come from the top of the file).');
      } else {
        items.children.forEach((q) => readQuery(q, defaults, true));
      }
    }
  } else {
    reader.error(spanOf(root), SHAPES);
  }
  file.connections = reader.connectionsUsed;
  // a problem of a default (an unknown collection) is found for each query that uses it: reported once
  const seen = new Set<string>();
  file.problems = reader.problems.filter((p) => {
    const key = `${p.span.start}:${p.span.end}:${p.message}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
  return file;
}

/** What New Query Playground writes: one query for a collection, with its text left to the user. */
export interface Starter {
  connection: string;
  collection: string;
  /** Only when they differ from what the connection uses by default. */
  tenant?: string;
  database?: string;
  /** The query text; a prompt to replace when empty. */
  query?: string;
  nResults: number;
}

/** A starting file, and the span of the query text (inside its quotes) for the editor to select. */
export function starterPlayground(s: Starter): { text: string; querySpan: Span } {
  const body: Record<string, unknown> = { connection: s.connection };
  if (s.tenant) {
    body.tenant = s.tenant;
  }
  if (s.database) {
    body.database = s.database;
  }
  body.collection = s.collection;
  body.query = s.query?.trim() ? s.query : 'What to search for';
  body.nResults = s.nResults;
  const text = `${JSON.stringify(body, null, 2)}\n`;
  const key = '"query": ';
  const start = text.indexOf(key) + key.length + 1;
  return { text, querySpan: { start, end: start + JSON.stringify(body.query).length - 2 } };
}

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

function nodeAt(root: Node, path: Segment[]): Node | undefined {
  let node: Node | undefined = root;
  for (const seg of path) {
    if (!node) {
      return undefined;
    }
    if (typeof seg === 'number') {
      node = node.type === 'array' ? node.children?.[seg] : undefined;
    } else {
      node = node.type === 'object' ? properties(node).find((p) => p.key === seg)?.valueNode : undefined;
    }
  }
  return node;
}
