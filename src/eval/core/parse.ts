/**
 * Evaluation sets: `*.chroma-eval.json` (one object with the target and a list of cases) and
 * `*.chroma-eval.jsonl` for large sets (the first non-blank line is that object without "cases", then one case
 * object per line; see media/schemas/chroma-eval.schema.json). This module reads a file's text into a typed set and
 * every problem with the exact span to underline (offsets into the whole text, JSONL included). A case with an
 * error is left out of the set; the rest still run. No `vscode` here.
 */
import { parseTree, printParseErrorCode } from 'jsonc-parser';
import type { Node, ParseError } from 'jsonc-parser';
import { kindOf, openingOf, properties, spanOf } from '../../util/jsonTree';
import type { Span } from '../../util/jsonTree';
import { baseCaseId, uniqueIds } from './caseId';
import { MAX_N_RESULTS } from './queryParts';
import { CASE_KEYS, Reader, SET_KEYS } from './readFields';
import type { Problem } from './readFields';
import type { EvalCase, EvalSet, EvalTarget } from './types';

export type { Problem };

/** The files this feature reads. */
export const EVAL_GLOB = '**/*.chroma-eval.{json,jsonl}';

/** Most cases a set may hold: enough for any hand-made or generated set, few enough to stay responsive. */
export const MAX_CASES = 100_000;

export interface ParsedSet {
  /** Undefined when the file's target cannot be read; its cases are still checked. */
  set?: EvalSet;
  problems: Problem[];
  /** Cases left out of the set because of an error in them. */
  skipped: Span[];
}

/** `jsonl` for a `.jsonl` file name, else `json`. */
export function formatOf(fileName: string): 'json' | 'jsonl' {
  return /\.jsonl$/i.test(fileName) ? 'jsonl' : 'json';
}

const JSON_SHAPE = 'An evaluation set is an object with "target" and "cases": {"target": {"connection": …, "collection": …}, "cases": [{"query": …, "expect": {"ids": […]}}]}.';
const JSONL_SHAPE =
  'A .jsonl evaluation set starts with a header line, {"target": {"connection": …, "collection": …}}, and then has one case per line, {"query": …, "expect": {"ids": […]}}.';

function syntaxProblem(e: ParseError, shift: number, where: string): Problem {
  const what = printParseErrorCode(e.error).replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return {
    message: `The ${where} is not valid JSON here (${what}): fix it so the set can be read.`,
    span: { start: shift + e.offset, end: shift + e.offset + Math.max(1, e.length) },
    kind: 'syntax',
    severity: 'error',
  };
}

/** Moves a line's tree to its place in the whole text. */
function shift(n: Node, by: number): Node {
  (n as { offset: number }).offset += by;
  n.children?.forEach((c) => shift(c, by));
  return n;
}

/** The header and case nodes of the file, syntax problems reported. */
function jsonNodes(text: string, reader: Reader): { header?: Node; cases: Node[]; broken?: Span[] } {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  errors.forEach((e) => reader.problems.push(syntaxProblem(e, 0, 'file')));
  if (!root) {
    return { cases: [] };
  }
  if (root.type !== 'object') {
    reader.error(spanOf(root), JSON_SHAPE);
    return { cases: [] };
  }
  const list = properties(root).find((p) => p.key === 'cases');
  if (!list) {
    reader.error(openingOf(root), `The set has no "cases": add "cases": [{"query": "…", "expect": {"ids": ["…"]}}].`);
    return { header: root, cases: [] };
  }
  if (list.valueNode?.type !== 'array') {
    reader.error(spanOf(list.valueNode ?? list.keyNode), `"cases" is a list of case objects${list.valueNode ? `, not ${kindOf(list.valueNode)}` : ''}.`);
    return { header: root, cases: [] };
  }
  return { header: root, cases: list.valueNode.children ?? [] };
}

function jsonlNodes(text: string, reader: Reader): { header?: Node; cases: Node[]; broken: Span[] } {
  const out: { header?: Node; cases: Node[]; broken: Span[] } = { cases: [], broken: [] };
  let first = true;
  for (let start = 0; start < text.length; ) {
    const nl = text.indexOf('\n', start);
    const end = nl === -1 ? text.length : nl;
    const line = text.slice(start, end);
    if (line.trim()) {
      const errors: ParseError[] = [];
      const node = parseTree(line, errors, { allowTrailingComma: false, disallowComments: true });
      errors.forEach((e) => reader.problems.push(syntaxProblem(e, start, first ? 'header line' : 'line')));
      if (node && !errors.length) {
        if (first) {
          out.header = shift(node, start);
        } else {
          out.cases.push(shift(node, start));
        }
      } else if (!first) {
        // a case line that is not JSON: one case, left out
        out.broken.push({ start, end });
      }
      first = false;
    }
    start = end + 1;
  }
  if (first) {
    reader.error({ start: 0, end: text.length }, `The file is empty. ${JSONL_SHAPE}`);
  } else if (!out.header && !reader.problems.length) {
    reader.error({ start: 0, end: 1 }, JSONL_SHAPE);
  }
  return out;
}

/** The set-level fields: target, compare, minRecall, name, description. */
function readHeader(header: Node, reader: Reader, format: 'json' | 'jsonl'): Omit<EvalSet, 'cases' | 'format'> | undefined {
  if (header.type !== 'object') {
    reader.error(spanOf(header), format === 'json' ? JSON_SHAPE : JSONL_SHAPE);
    return undefined;
  }
  const keys = format === 'json' ? SET_KEYS : SET_KEYS.filter((k) => k !== 'cases');
  const f = reader.fields(header, keys, format === 'json' ? 'the set' : 'the header line', true);
  if (format === 'jsonl' && properties(header).some((p) => p.key === 'cases')) {
    // reported as unknown above; say where cases go instead
    reader.warn(openingOf(header), 'In a .jsonl set, cases go on the lines after this header, one per line.');
  }
  if (!f.target) {
    reader.error(openingOf(header), `The set names no "target": add "target": {"connection": "<name>", "collection": "<name>"}.`);
    return undefined;
  }
  const before = reader.errorCount();
  const target = reader.target(f.target, 'target');
  const compare = f.compare && target ? reader.target(f.compare, 'compare', target) : undefined;
  const minRecall = f.minRecall ? reader.minRecall(f.minRecall) : 1;
  const name = f.name ? reader.text(f.name, '"name"') : undefined;
  const description = f.description ? reader.text(f.description, '"description"', 10_000) : undefined;
  if (!target || reader.errorCount() > before || minRecall === undefined) {
    return undefined;
  }
  if (compare && compare.name === target.name && f.compare) {
    reader.error(openingOf(f.compare), `Both targets are called ${JSON.stringify(target.name)}: give "compare" another "name".`);
    return undefined;
  }
  if (compare && sameTarget(target, compare)) {
    reader.warn(openingOf(f.compare as Node), '"compare" is the same as "target": change the connection, database, collection, where or k it differs in.');
  }
  return { ...(name !== undefined ? { name } : {}), ...(description !== undefined ? { description } : {}), target, ...(compare ? { compare } : {}), minRecall };
}

function sameTarget(a: EvalTarget, b: EvalTarget): boolean {
  const key = (t: EvalTarget) => JSON.stringify([t.connection, t.tenant, t.database, t.collection, t.where ?? null, t.k]);
  return key(a) === key(b);
}

/** One case, without its id yet; undefined after reporting why it cannot run. */
function readCase(n: Node, reader: Reader): Omit<EvalCase, 'id'> | undefined {
  if (n.type !== 'object') {
    reader.error(spanOf(n), `A case is an object with "query" and "expect", not ${kindOf(n)}.`);
    return undefined;
  }
  const before = reader.errorCount();
  const f = reader.fields(n, CASE_KEYS, 'the case');
  if (!f.query) {
    reader.error(openingOf(n), 'This case has nothing to search for: add "query": "<text>" (or {"record": "<id>"}, {"vector": […]}).');
  }
  if (!f.expect) {
    reader.error(openingOf(n), 'This case does not say what counts as found: add "expect": {"ids": ["<record id>"]} (or "sources", "where").');
  }
  const query = f.query ? reader.query(f.query) : undefined;
  const expect = f.expect ? reader.expect(f.expect) : undefined;
  const name = f.name ? reader.text(f.name, 'The case\'s "name"') : undefined;
  const k = f.k ? reader.integer(f.k, '"k"', 1, MAX_N_RESULTS) : undefined;
  const where = f.where ? reader.where(f.where, 'The case\'s "where"') : undefined;
  const tags = f.tags ? reader.tags(f.tags) : [];
  if (reader.errorCount() > before || !query || !expect || !tags) {
    return undefined;
  }
  const out: Omit<EvalCase, 'id'> = { query: query.query, expect: expect.expect, tags, span: spanOf(n), idSpans: expect.idSpans };
  if (name !== undefined) {
    out.name = name;
  }
  if (k !== undefined) {
    out.k = k;
  }
  if (where?.value) {
    out.where = where.value;
  }
  if (query.recordSpan) {
    out.recordSpan = query.recordSpan;
  }
  return out;
}

/** Reads an evaluation set's text (`format`: see formatOf). */
export function parseEvalSet(text: string, format: 'json' | 'jsonl'): ParsedSet {
  const reader = new Reader();
  if (!text.trim() && format === 'json') {
    reader.error({ start: 0, end: text.length }, `The file is empty. ${JSON_SHAPE}`);
    return { problems: reader.problems, skipped: [] };
  }
  const nodes = format === 'json' ? jsonNodes(text, reader) : jsonlNodes(text, reader);
  const header = nodes.header ? readHeader(nodes.header, reader, format) : undefined;
  if (nodes.cases.length > MAX_CASES) {
    reader.error(spanOf(nodes.cases[MAX_CASES]), `The set has ${nodes.cases.length.toLocaleString('en-US')} cases, more than ${MAX_CASES.toLocaleString('en-US')}: split it into several files.`);
  }
  const read: Omit<EvalCase, 'id'>[] = [];
  const skipped: Span[] = [...(nodes.broken ?? [])];
  for (const n of nodes.cases.slice(0, MAX_CASES)) {
    const c = readCase(n, reader);
    if (c) {
      read.push(c);
    } else {
      skipped.push(spanOf(n));
    }
  }
  if (format === 'json' && nodes.header && nodes.cases.length === 0 && properties(nodes.header).some((p) => p.key === 'cases' && p.valueNode?.type === 'array')) {
    reader.warn(openingOf(nodes.header), 'The set has no cases yet: add {"query": "…", "expect": {"ids": ["…"]}} to "cases".');
  }
  const { ids, repeated } = uniqueIds(read.map((c) => baseCaseId(c.name, c.query)));
  for (const i of repeated) {
    const c = read[i];
    reader.warn(
      { start: c.span.start, end: c.span.start + 1 },
      c.name !== undefined
        ? `Another case is also named ${JSON.stringify(c.name)}: this one is told apart as ${JSON.stringify(ids[i])}, by its place in the file. Give it its own name.`
        : `Another unnamed case has the same query: this one is told apart by its place in the file. Give the cases names, so their results keep apart when the file changes.`,
    );
  }
  const cases: EvalCase[] = read.map((c, i) => ({ id: ids[i], ...c }));
  return { set: header ? { ...header, cases, format } : undefined, problems: reader.problems, skipped };
}
