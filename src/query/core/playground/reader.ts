/**
 * Reads the fields of one query object of a playground file into a QuerySpec, or into problems with the exact
 * span to underline; defaults of a list come from the top of the file. No `vscode` here.
 */
import type { Node } from 'jsonc-parser';
import { quote } from '../../../chroma/sanitize';
import { DEFAULT_DATABASE, DEFAULT_TENANT } from '../../../chroma/types';
import type { Include, Where, WhereDocument } from '../../../chroma/types';
import { checkFilter } from '../../../filter/core/check';
import type { QueryInput, QuerySpec } from '../spec';
// the limits `chroma.runQuerySpec` checks, so that a query this file accepts is never refused there
import { DEFAULT_INCLUDE, MAX_DIMENSION, MAX_N_RESULTS, MAX_TEXT } from '../specInput';
import { collectionFieldProblem, kindOf, openingOf, properties, scopeNameProblem, spanOf, stringUnless, suggestion, valueOf } from './jsonNodes';
import { INCLUDE_VALUES } from './types';
import type { PlaygroundContext, PlaygroundProblem, QueryKey, Span } from './types';

export const SHAPES = 'A playground file holds one query object, {"queries": [...]}, or an array of query objects.';
const INPUT_SHAPES = 'Give the query as text ("…"), {"text": "…"}, {"vector": [0.1, …]} or {"similarTo": "<record id>"}.';

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
export interface Read {
  fields: Fields;
  bad: Set<string>;
}


export class Reader {
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
    return stringUnless(n, scopeNameProblem(n, key), this);
  }

  private collection(n: Node): string | undefined {
    return stringUnless(n, collectionFieldProblem(n, 'to query'), this);
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
