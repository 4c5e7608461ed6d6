/**
 * Reads the parts of an evaluation set from the parser's tree: a target, a case, its query and what it expects.
 * Each reader returns the checked value, or undefined after reporting why not, with the span to underline; the
 * keys and limits are those of media/schemas/chroma-eval.schema.json. No `vscode` here.
 */
import type { Node } from 'jsonc-parser';
import { quote } from '../../chroma/sanitize';
import type { Where } from '../../chroma/types';
import { kindOf, openingOf, properties, spanOf, valueOf } from '../../util/jsonTree';
import type { Span } from '../../util/jsonTree';
import { collectionFieldProblem, scopeNameProblem, stringUnless } from '../../query/core/playground/jsonNodes';
import { checkFilter, MAX_N_RESULTS, MAX_TEXT, vectorProblem } from './queryParts';
import type { CaseQuery, EvalTarget, Expectation, SourceExpectation, TargetField } from './types';

export interface Problem {
  message: string;
  span: Span;
  /** `syntax`: the JSON itself (the editor's JSON support reports it too); `set`: what the file asks for. */
  kind: 'syntax' | 'set';
  severity: 'error' | 'warning';
}

export const SET_KEYS = ['name', 'description', 'target', 'compare', 'minRecall', 'cases'] as const;
export const TARGET_KEYS = ['name', 'connection', 'tenant', 'database', 'collection', 'where', 'k'] as const;
export const CASE_KEYS = ['name', 'query', 'expect', 'k', 'where', 'tags'] as const;
export const EXPECT_KEYS = ['ids', 'sources', 'where'] as const;
export const MAX_TAG = 64;
const TAG = /^[A-Za-z0-9][A-Za-z0-9_.:-]*$/;
const MAX_NAME = 200;
const MAX_LINE = 100_000_000;
export const DEFAULT_K = 10;

/** Names people bring from Chroma's clients and other evaluation tools. */
const ALIASES: Record<string, string> = {
  n_results: 'k',
  nresults: 'k',
  topk: 'k',
  top_k: 'k',
  expected: 'expect',
  expects: 'expect',
  expectation: 'expect',
  relevant: 'expect',
  question: 'query',
  text: 'query',
  tag: 'tags',
  min_recall: 'minRecall',
  threshold: 'minRecall',
  targets: 'compare',
  baseline: 'target',
  collection_name: 'collection',
  db: 'database',
  conn: 'connection',
  id: 'ids',
  expected_ids: 'ids',
  source: 'sources',
  files: 'sources',
  record: 'record',
  similarto: 'record',
  similar_to: 'record',
  embedding: 'vector',
};

const QUERY_SHAPES = 'Give the query as text ("…"), {"text": "…"}, {"vector": [0.1, …]} or {"record": "<record id>"}.';

function suggestion(key: string, known: readonly string[]): string | undefined {
  const plain = key.toLowerCase().replace(/[-\s]/g, '');
  const alias = ALIASES[key] ?? ALIASES[key.toLowerCase()] ?? ALIASES[plain];
  return alias && known.includes(alias) ? alias : known.find((k) => k.toLowerCase() === plain.replace(/_/g, ''));
}

/** The fields of one object: the value node of each known key (repeated and unknown keys reported). */
export type Fields = Partial<Record<string, Node>>;

export class Reader {
  readonly problems: Problem[] = [];
  private errors = 0;

  error(span: Span, message: string): void {
    this.problems.push({ message, span, kind: 'set', severity: 'error' });
    this.errors++;
  }

  warn(span: Span, message: string): void {
    this.problems.push({ message, span, kind: 'set', severity: 'warning' });
  }

  /**
   * The known keys of `obj` with their value nodes; `what` names the object in messages ("the case"). `$schema`
   * is let through where `topLevel` (the set, or a .jsonl header line).
   */
  fields(obj: Node, allowed: readonly string[], what: string, topLevel = false): Fields {
    const out: Fields = {};
    for (const p of properties(obj)) {
      if (p.key === '$schema' && topLevel) {
        continue;
      }
      if (Object.hasOwn(out, p.key)) {
        this.error(spanOf(p.keyNode), `"${p.key}" appears twice in ${what}: keep one.`);
        continue;
      }
      if (!allowed.includes(p.key)) {
        const meant = suggestion(p.key, allowed);
        this.warn(spanOf(p.keyNode), `Unknown key ${quote(p.key)} in ${what}${meant ? `: did you mean "${meant}"?` : `: it is ignored (${what} takes ${allowed.map((k) => `"${k}"`).join(', ')}).`}`);
        continue;
      }
      // a missing value is reported by the parser; the key still counts as given
      out[p.key] = p.valueNode ?? p.keyNode;
    }
    return out;
  }

  text(n: Node, what: string, max = MAX_NAME): string | undefined {
    if (n.type !== 'string' || !String(n.value).trim() || String(n.value).length > max) {
      this.error(spanOf(n), `${what} is a non-empty string of at most ${max} characters${n.type === 'string' ? '' : `, not ${kindOf(n)}`}.`);
      return undefined;
    }
    return String(n.value);
  }

  integer(n: Node, what: string, min: number, max: number): number | undefined {
    const v: unknown = n.value;
    if (n.type !== 'number' || typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      this.error(spanOf(n), `${what} is a whole number from ${min} to ${max.toLocaleString('en-US')}, not ${n.type === 'number' ? String(v) : kindOf(n)}.`);
      return undefined;
    }
    return v;
  }

  minRecall(n: Node): number | undefined {
    const v: unknown = n.value;
    if (n.type !== 'number' || typeof v !== 'number' || !(v > 0 && v <= 1)) {
      this.error(spanOf(n), `"minRecall" is the share of expected items a case must find in its top k: a number above 0 and at most 1 (1: all of them), not ${n.type === 'number' ? String(v) : kindOf(n)}.`);
      return undefined;
    }
    return v;
  }

  /** A `where` filter, checked with Chroma's grammar; `{}` is no filter (undefined, no problem). */
  where(n: Node, what: string): { value?: Where; ok: boolean } {
    if (n.type !== 'object') {
      this.error(spanOf(n), `${what} is a filter on metadata, like {"topic": "setup"} or {"year": {"$gte": 2020}}, not ${kindOf(n)}.`);
      return { ok: false };
    }
    const value = valueOf(n) as Where;
    if (Object.keys(value).length === 0) {
      return { ok: true };
    }
    const message = checkFilter({ where: value });
    if (message) {
      this.error(spanOf(n), `${what}: ${message}`);
      return { ok: false };
    }
    return { value, ok: true };
  }

  /**
   * A target. `base`: the first target, whose fields a compare target takes where it says nothing; without a base,
   * connection and collection are required.
   */
  target(n: Node, key: 'target' | 'compare', base?: EvalTarget): EvalTarget | undefined {
    if (n.type !== 'object') {
      this.error(spanOf(n), `"${key}" is an object with "connection" and "collection" (and optionally "database", "where", "k"), not ${kindOf(n)}.`);
      return undefined;
    }
    const f = this.fields(n, TARGET_KEYS, `"${key}"`);
    const before = this.errorCount();
    const spans: Partial<Record<TargetField, Span>> = { ...(base?.spans ?? {}) };
    const named = (field: TargetField, check: (v: Node) => string | undefined): string | undefined => {
      const node = f[field];
      if (!node) {
        return base?.[field];
      }
      spans[field] = spanOf(node);
      return check(node);
    };
    const connection = named('connection', (v) => this.text(v, '"connection" (the name of a Chroma connection)'));
    const tenant = named('tenant', (v) => this.scopeName(v, 'tenant'));
    const database = named('database', (v) => this.scopeName(v, 'database'));
    const collection = named('collection', (v) => this.collection(v));
    const name = f.name ? this.text(f.name, '"name" (what reports call this target)', 40) : base ? 'B' : 'A';
    const where = f.where ? this.where(f.where, `"${key}.where"`).value : base?.where;
    const k = f.k ? this.integer(f.k, '"k"', 1, MAX_N_RESULTS) : (base?.k ?? DEFAULT_K);
    if (!base && !f.connection) {
      this.error(openingOf(n), `"target" names no connection: add "connection": "<name>".`);
    }
    if (!base && !f.collection) {
      this.error(openingOf(n), `"target" names no collection: add "collection": "<name>".`);
    }
    if (this.errorCount() > before || !connection || !collection || !name || !k) {
      return undefined;
    }
    const out: EvalTarget = { name, connection, collection, k, spans };
    if (tenant) {
      out.tenant = tenant;
    }
    if (database) {
      out.database = database;
    }
    if (where) {
      out.where = where;
    }
    return out;
  }

  private scopeName(n: Node, key: 'tenant' | 'database'): string | undefined {
    return stringUnless(n, scopeNameProblem(n, key), this);
  }

  private collection(n: Node): string | undefined {
    return stringUnless(n, collectionFieldProblem(n, 'to evaluate'), this);
  }

  /** Errors reported so far (syntax errors pushed to `problems` directly are not counted: they block nothing). */
  errorCount(): number {
    return this.errors;
  }

  /** What a case searches with, and the span of a record id. */
  query(n: Node): { query: CaseQuery; recordSpan?: Span } | undefined {
    if (n.type === 'string') {
      const text = this.queryText(n);
      return text === undefined ? undefined : { query: { kind: 'text', text } };
    }
    if (n.type !== 'object') {
      this.error(spanOf(n), n.type === 'array' ? `A vector goes in {"vector": [...]}. ${QUERY_SHAPES}` : QUERY_SHAPES);
      return undefined;
    }
    const f = this.fields(n, ['text', 'vector', 'record', 'excludeSelf'], '"query"');
    const given = (['text', 'vector', 'record'] as const).filter((k) => f[k]);
    if (given.length !== 1) {
      this.error(openingOf(n), given.length === 0 ? QUERY_SHAPES : `"query" has ${given.map((k) => `"${k}"`).join(' and ')}: a case searches by one of them.`);
      return undefined;
    }
    if (f.excludeSelf && !f.record) {
      this.warn(spanOf(f.excludeSelf), '"excludeSelf" applies to a query by {"record": …} only: it is ignored here.');
    }
    if (f.text) {
      const text = this.queryText(f.text);
      return text === undefined ? undefined : { query: { kind: 'text', text } };
    }
    if (f.vector) {
      const problem = vectorProblem(f.vector.type === 'array' ? valueOf(f.vector) : undefined);
      if (problem) {
        this.error(spanOf(f.vector), f.vector.type === 'array' ? `"vector": ${problem}.` : `"vector" is an array of numbers, not ${kindOf(f.vector)}.`);
        return undefined;
      }
      return { query: { kind: 'vector', vector: valueOf(f.vector) as number[] } };
    }
    const id = this.text(f.record as Node, '"record" (the id of a record in the collection, whose embedding is the query)', 100_000);
    let excludeSelf = false;
    if (f.excludeSelf) {
      if (f.excludeSelf.type !== 'boolean') {
        this.error(spanOf(f.excludeSelf), `"excludeSelf" is true or false, not ${kindOf(f.excludeSelf)}.`);
        return undefined;
      }
      excludeSelf = f.excludeSelf.value === true;
    }
    return id === undefined ? undefined : { query: { kind: 'record', recordId: id, excludeSelf }, recordSpan: spanOf(f.record as Node) };
  }

  private queryText(n: Node): string | undefined {
    if (n.type !== 'string' || !String(n.value).trim() || String(n.value).length > MAX_TEXT) {
      const what = n.type !== 'string' ? `a string, not ${kindOf(n)}` : String(n.value).trim() ? `at most ${MAX_TEXT.toLocaleString('en-US')} characters long` : 'not empty: write what to search for';
      this.error(spanOf(n), `The query text is ${what}.`);
      return undefined;
    }
    return String(n.value);
  }

  /** What counts as found, with the span of each expected id. */
  expect(n: Node): { expect: Expectation; idSpans: Span[] } | undefined {
    if (n.type !== 'object') {
      this.error(spanOf(n), `"expect" is an object with "ids", "sources" and/or "where", not ${kindOf(n)}.`);
      return undefined;
    }
    const f = this.fields(n, EXPECT_KEYS, '"expect"');
    const before = this.errorCount();
    const expect: Expectation = { ids: [], sources: [] };
    const idSpans: Span[] = [];
    if (f.ids) {
      for (const item of this.list(f.ids, '"ids"', 'record ids')) {
        const id = this.text(item, 'An expected id', 100_000);
        if (id !== undefined && expect.ids.includes(id)) {
          this.warn(spanOf(item), `${quote(id)} is listed twice in "ids": it counts once.`);
        } else if (id !== undefined) {
          expect.ids.push(id);
          idSpans.push(spanOf(item));
        }
      }
    }
    if (f.sources) {
      for (const item of this.list(f.sources, '"sources"', 'files ("docs/setup.md") or {"source": …, "startLine": …, "endLine": …}')) {
        const source = this.source(item);
        if (source) {
          expect.sources.push(source);
        }
      }
    }
    if (f.where) {
      const where = this.where(f.where, '"expect.where"');
      expect.where = where.value;
      if (where.ok && !where.value) {
        this.error(spanOf(f.where), '"expect.where" is empty: every record would match. Write the filter a right hit matches, or leave it out.');
      }
    }
    if (this.errorCount() > before) {
      return undefined;
    }
    if (expect.ids.length + expect.sources.length === 0 && !expect.where) {
      this.error(openingOf(n), '"expect" names nothing to find: add "ids": ["<record id>"], "sources": ["<file>"] or "where": {…}.');
      return undefined;
    }
    return { expect, idSpans };
  }

  private list(n: Node, what: string, of: string): Node[] {
    if (n.type !== 'array') {
      this.error(spanOf(n), `${what} is a list of ${of}, not ${kindOf(n)}.`);
      return [];
    }
    return n.children ?? [];
  }

  private source(n: Node): SourceExpectation | undefined {
    if (n.type === 'string') {
      const source = this.sourcePath(n);
      return source === undefined ? undefined : { source };
    }
    if (n.type !== 'object') {
      this.error(spanOf(n), `An expected source is a file path ("docs/setup.md") or {"source": "docs/setup.md", "startLine": 10, "endLine": 20}, not ${kindOf(n)}.`);
      return undefined;
    }
    const f = this.fields(n, ['source', 'startLine', 'endLine'], 'an expected source');
    if (!f.source) {
      this.error(openingOf(n), 'This expected source has no "source": add the file\'s workspace-relative path.');
      return undefined;
    }
    const source = this.sourcePath(f.source);
    const startLine = f.startLine ? this.integer(f.startLine, '"startLine"', 1, MAX_LINE) : undefined;
    const endLine = f.endLine ? this.integer(f.endLine, '"endLine"', 1, MAX_LINE) : startLine;
    if (source === undefined || (f.startLine && startLine === undefined) || (f.endLine && endLine === undefined)) {
      return undefined;
    }
    if (endLine !== undefined && startLine === undefined) {
      this.error(spanOf(f.endLine as Node), '"endLine" needs a "startLine" too.');
      return undefined;
    }
    if (startLine !== undefined && endLine !== undefined && endLine < startLine) {
      this.error(spanOf(f.endLine as Node), `"endLine" (${endLine}) is before "startLine" (${startLine}).`);
      return undefined;
    }
    return startLine === undefined ? { source } : { source, startLine, endLine };
  }

  /** A workspace-relative path as ingest writes `source`: forward slashes, no leading `./`. */
  private sourcePath(n: Node): string | undefined {
    const raw = this.text(n, 'A source path', 4096);
    if (raw === undefined) {
      return undefined;
    }
    const path = raw.replace(/\\/g, '/').replace(/^(\.\/)+/, '');
    if (path.startsWith('/') || /^[a-zA-Z]:\//.test(path)) {
      this.warn(spanOf(n), `${quote(raw)} is an absolute path: ingest writes "source" relative to the workspace folder, so it may match nothing.`);
    }
    return path;
  }

  tags(n: Node): string[] | undefined {
    const tags: string[] = [];
    for (const item of this.list(n, '"tags"', 'words')) {
      if (item.type !== 'string' || !TAG.test(String(item.value)) || String(item.value).length > MAX_TAG) {
        this.error(spanOf(item), `A tag is a word of letters, digits, "_", ".", ":" or "-" (up to ${MAX_TAG}), so that the Test Explorer can filter by it (@tag)${item.type === 'string' ? '' : `, not ${kindOf(item)}`}.`);
        return undefined;
      }
      if (!tags.includes(String(item.value))) {
        tags.push(String(item.value));
      }
    }
    return n.type === 'array' ? tags : undefined;
  }
}
