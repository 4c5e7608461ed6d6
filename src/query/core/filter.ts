/**
 * Chroma's filter grammar (`where`, `where_document`), checked before anything is sent, against the same JSON schema
 * the playground files use (media/schemas/chroma-filter.schema.json), with one-line messages that name the part
 * of the filter that is wrong. Also: what a server's error about a filter means, and a short description of a
 * filter for tree descriptions and result headers. No `vscode` here.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Where, WhereDocument } from '../../chroma/types';
import { formatPath } from '../../util/jsonPath';
import { boundedJson, displayLine, truncate } from '../../util/text';
import { SchemaChecker } from './schemaCheck';
import type { SchemaPath, SchemaProblem } from './schemaCheck';

export { formatPath };

export interface Filter {
  where?: Where;
  whereDocument?: WhereDocument;
}

/** Where the schema lives, relative to the extension's (or the checkout's) root. */
export const FILTER_SCHEMA_FILE = join('media', 'schemas', 'chroma-filter.schema.json');

/**
 * Chroma parses request bodies with serde_json, which stops at 128 levels of objects and lists; the body itself is
 * one, so a filter may be 126 deep (measured on 1.0.0 and 1.5.9).
 */
export const MAX_FILTER_DEPTH = 126;

let cached: { schema: unknown; checker: SchemaChecker } | undefined;

/**
 * The schema, read once: from dist/ in the extension, out/src/query/core/ or src/query/core/ in tests; the
 * folder above that has media/schemas/.
 */
export function filterSchema(): unknown {
  return loaded().schema;
}

function loaded(): { schema: unknown; checker: SchemaChecker } {
  if (!cached) {
    let dir = __dirname;
    for (let i = 0; i < 8 && !existsSync(join(dir, FILTER_SCHEMA_FILE)); i++) {
      dir = dirname(dir);
    }
    const file = join(dir, FILTER_SCHEMA_FILE);
    if (!existsSync(file)) {
      throw new Error(`The filter schema (${FILTER_SCHEMA_FILE}) is missing from the extension: reinstall Chroma Explorer.`);
    }
    const schema: unknown = JSON.parse(readFileSync(file, 'utf8'));
    cached = { schema, checker: new SchemaChecker(schema) };
  }
  return cached;
}

const PART_NAMES = { where: 'where', whereDocument: 'where_document' } as const;

/** A one-line message naming the part of the filter that is wrong (e.g. `where.$and[1].year.$gt`), or undefined. */
export function checkFilter(filter: Filter): string | undefined {
  if (typeof filter !== 'object' || filter === null) {
    return 'The filter must be an object with "where" and/or "where_document".';
  }
  return checkPart(filter.where, 'where') ?? checkPart(filter.whereDocument, 'whereDocument');
}

function checkPart(value: unknown, part: keyof typeof PART_NAMES): string | undefined {
  // null is what Chroma takes as "no filter".
  if (value === undefined || value === null) {
    return undefined;
  }
  const name = PART_NAMES[part];
  const deep = tooDeep(value, [name]);
  if (deep) {
    return `${formatPath(deep)}: is nested more than ${MAX_FILTER_DEPTH} levels deep, more than Chroma reads: flatten its $and / $or lists`;
  }
  const problem = loaded().checker.check(value, `#/definitions/${part}`, [name]);
  return problem && formatProblem(problem);
}

/** The path where `value` first goes deeper than MAX_FILTER_DEPTH objects and lists, or undefined. */
function tooDeep(value: unknown, path: SchemaPath): SchemaPath | undefined {
  const below = deepest(value, 1);
  return below && [...path, ...below.reverse()];
}

/** The keys down to the first place deeper than the limit, innermost first (built only when found). */
function deepest(value: unknown, depth: number): (string | number)[] | undefined {
  if (typeof value !== 'object' || value === null) {
    return undefined;
  }
  if (depth > MAX_FILTER_DEPTH) {
    return [];
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = deepest(value[i], depth + 1);
      if (found) {
        found.push(i);
        return found;
      }
    }
    return undefined;
  }
  for (const key in value) {
    if (Object.hasOwn(value, key)) {
      const found = deepest((value as Record<string, unknown>)[key], depth + 1);
      if (found) {
        found.push(key);
        return found;
      }
    }
  }
  return undefined;
}

function formatProblem(p: SchemaProblem): string {
  if (!p.aboutValue) {
    return `${formatPath(p.path)}: ${p.message}`;
  }
  // "needs a number, got "x": why" reads better than the value quoted after the explanation.
  const got = `, got ${shortValue(p.value)}`;
  const colon = p.message.indexOf(': ');
  const example = p.message.search(/[{["]/);
  const split = colon >= 0 && (example < 0 || colon < example);
  const message = split ? `${p.message.slice(0, colon)}${got}${p.message.slice(colon)}` : `${p.message}${got}`;
  return `${formatPath(p.path)}: ${message}`;
}

/** A value as a message quotes it: short JSON, or its kind when long. */
function shortValue(v: unknown): string {
  if (typeof v === 'number' && !Number.isFinite(v)) {
    return `${v} (not a JSON number)`;
  }
  if (v === undefined) {
    return 'nothing';
  }
  const json = boundedJson(v, 40, 0);
  if (!json.truncated) {
    return displayLine(json.text, 40);
  }
  if (typeof v === 'string') {
    return displayLine(JSON.stringify(truncate(v, 30)), 40);
  }
  return Array.isArray(v) ? `a list of ${v.length}` : 'an object';
}

// ---------------------------------------------------------------------------------------------------------------
// Server errors

interface ServerErrorLike {
  status?: number;
  serverMessage?: string;
}

function serverMessageOf(e: unknown): string | undefined {
  if (typeof e !== 'object' || e === null) {
    return undefined;
  }
  const { status, serverMessage } = e as ServerErrorLike;
  if (typeof serverMessage !== 'string' || (status !== undefined && status >= 500)) {
    return undefined;
  }
  return serverMessage;
}

const INDEX_TYPES: Record<string, string> = { Str: 'string', Int: 'whole-number', Float: 'decimal', Bool: 'boolean' };

/**
 * A server error about a filter, explained with the part of the filter it names; undefined when it is not one.
 * Chroma says only "Invalid where clause" or "Invalid where document clause": the part is found by checking the
 * filter here, or, when the schema takes it, by what only newer servers take.
 */
export function explainFilterError(e: unknown, filter: Filter): string | undefined {
  const said = serverMessageOf(e);
  if (said === undefined) {
    return undefined;
  }
  if (/invalid where document clause/i.test(said)) {
    return explainPart(filter, 'whereDocument', said);
  }
  if (/invalid where clause/i.test(said)) {
    return explainPart(filter, 'where', said);
  }
  if (/regex (syntax|parse) err|byte pattern is not allowed/i.test(said)) {
    return explainRegex(filter, said);
  }
  // serde's message names the path, cut short when the filter is deep: check the part it names here.
  const body = /failed to parse the request body as JSON: (where(?:_document)?)\b/i.exec(said);
  if (body) {
    const part = body[1] === 'where_document' ? 'whereDocument' : 'where';
    const found = checkPart(filter[part], part);
    return found ? `Chroma refused the filter: ${found}` : `Chroma could not read the ${body[1]} filter: it said "${truncate(said, 120)}".`;
  }
  const index = /cannot filter using metadata key '(.*)' with type '(\w+)' because indexing is disabled/i.exec(said);
  if (index) {
    const [, key, type] = index;
    const path = findKey(filter.where, key, ['where']) ?? ['where', key];
    return (
      `Chroma refused the filter: ${formatPath(path)}: this collection's schema turns off the ${INDEX_TYPES[type] ?? type} index of "${truncate(key, 60)}", ` +
      'so Chroma cannot filter on it: filter on another key, or enable that index in the collection'
    );
  }
  return undefined;
}

function explainPart(filter: Filter, part: keyof typeof PART_NAMES, said: string): string {
  const found = checkPart(filter[part], part);
  if (found) {
    return `Chroma refused the filter: ${found}`;
  }
  const newer = part === 'where' ? newerOnly(filter.where, ['where']) : undefined;
  if (newer) {
    return `Chroma refused the filter: ${newer}`;
  }
  const shown = part === 'where' ? describeFilter({ where: filter.where }) : describeFilter({ whereDocument: filter.whereDocument });
  return `Chroma refused the ${PART_NAMES[part]} filter (${shown}): it said "${truncate(said, 80)}".`;
}

/** What the schema takes because Chroma 1.5 and later do, but older servers refuse: its path and why. */
function newerOnly(where: unknown, path: (string | number)[]): string | undefined {
  if (!isObject(where)) {
    return undefined;
  }
  for (const [key, value] of Object.entries(where)) {
    if ((key === '$and' || key === '$or') && Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const found = newerOnly(value[i], [...path, key, i]);
        if (found) {
          return found;
        }
      }
    } else if (key === '#document') {
      return `${formatPath([...path, key])}: this server does not know "#document" (Chroma 1.5 and later do): filter the text with where_document instead`;
    } else if (isObject(value)) {
      const op = Object.keys(value)[0];
      if (op === '$contains' || op === '$not_contains') {
        return `${formatPath([...path, key, op])}: this server takes ${op} on list-valued metadata only from Chroma 1.5: use $eq / $in, or where_document for the text`;
      }
    }
  }
  return undefined;
}

function findKey(where: unknown, key: string, path: (string | number)[]): (string | number)[] | undefined {
  if (!isObject(where)) {
    return undefined;
  }
  for (const [k, v] of Object.entries(where)) {
    if ((k === '$and' || k === '$or') && Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const found = findKey(v[i], key, [...path, k, i]);
        if (found) {
          return found;
        }
      }
    } else if (k === key) {
      return [...path, k];
    }
  }
  return undefined;
}

interface Pattern {
  path: (string | number)[];
  pattern: string;
}

/** Every regex in the filter, with its path. */
function patterns(filter: Filter): Pattern[] {
  const out: Pattern[] = [];
  const walk = (node: unknown, path: (string | number)[], inWhere: boolean): void => {
    if (!isObject(node)) {
      return;
    }
    for (const [k, v] of Object.entries(node)) {
      if ((k === '$and' || k === '$or') && Array.isArray(v)) {
        v.forEach((child, i) => walk(child, [...path, k, i], inWhere));
      } else if (!inWhere && (k === '$regex' || k === '$not_regex') && typeof v === 'string') {
        out.push({ path: [...path, k], pattern: v });
      } else if (inWhere && k === '#document' && isObject(v)) {
        walk(v, [...path, k], false);
      }
    }
  };
  walk(filter.where, ['where'], true);
  walk(filter.whereDocument, ['where_document'], false);
  return out;
}

function explainRegex(filter: Filter, said: string): string {
  const reason = /error:\s*([^:]*)$/i.exec(said)?.[1]?.trim() ?? truncate(said, 100);
  const all = patterns(filter);
  const echoed = /regex parse error:\s*(.*?)\s*\^+\s*error:/i.exec(said)?.[1];
  // The server echoes the pattern (on one line once it reaches us): the longest pattern it echoes is the one.
  const candidates = echoed === undefined ? [] : all.filter((p) => p.pattern.replace(/\s+/g, ' ').trim() === echoed.trim());
  const bad = candidates[0] ?? (all.length === 1 ? all[0] : undefined);
  const where = bad ? `${formatPath(bad.path)}: ${shortValue(bad.pattern)}` : 'A regular expression in the filter';
  return `Chroma refused the filter: ${where} is not a regular expression it takes: ${reason} (Chroma uses Rust regex syntax)`;
}

// ---------------------------------------------------------------------------------------------------------------
// Description

/** Deeper $and / $or levels are shown as …: a description is one short line anyway. */
const MAX_DESCRIBED_DEPTH = 8;

const SYMBOLS: Record<string, string> = {
  $eq: '=',
  $ne: '≠',
  $gt: '>',
  $gte: '≥',
  $lt: '<',
  $lte: '≤',
  $in: 'in',
  $nin: 'not in',
  $contains: 'contains',
  $not_contains: 'lacks',
};

const DOCUMENT_WORDS: Record<string, string> = {
  $contains: 'contains',
  $not_contains: 'lacks',
  $regex: 'matches',
  $not_regex: "doesn't match",
};

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function literal(v: unknown, depth = 0): string {
  if (typeof v === 'string') {
    return JSON.stringify(truncate(v, 24));
  }
  if (Array.isArray(v)) {
    if (depth > 2) {
      return '[…]';
    }
    const shown = v.slice(0, 4).map((x) => literal(x, depth + 1)).join(', ');
    return `[${shown}${v.length > 4 ? ', …' : ''}]`;
  }
  return typeof v === 'object' && v !== null ? '{…}' : String(v);
}

function documentText(op: string, pattern: unknown): string | undefined {
  const word = DOCUMENT_WORDS[op];
  if (!word || typeof pattern !== 'string') {
    return undefined;
  }
  return op.endsWith('regex') ? `text ${word} /${truncate(pattern, 24)}/` : `text ${word} ${literal(pattern)}`;
}

/**
 * Words for a where or where_document clause: `$and` / `$or` join their parts' words (in brackets when nested),
 * anything else is `leaf`'s. Undefined when a part cannot be put in words.
 */
function describeClause(c: unknown, nested: boolean, depth: number, leaf: (key: string, value: unknown) => string | undefined): string | undefined {
  if (depth > MAX_DESCRIBED_DEPTH) {
    return '…';
  }
  if (!isObject(c) || Object.keys(c).length !== 1) {
    return undefined;
  }
  const [key, value] = Object.entries(c)[0];
  if (key !== '$and' && key !== '$or') {
    return leaf(key, value);
  }
  if (!Array.isArray(value)) {
    return undefined;
  }
  const parts = value.map((p) => describeClause(p, true, depth + 1, leaf));
  if (parts.some((p) => p === undefined)) {
    return undefined;
  }
  if (parts.length === 0) {
    return key === '$and' ? 'everything' : 'nothing';
  }
  const joined = parts.join(key === '$and' ? ' and ' : ' or ');
  return nested && parts.length > 1 ? `(${joined})` : joined;
}

function whereLeaf(key: string, value: unknown): string | undefined {
  const name = truncate(key, 24);
  if (!isObject(value)) {
    return `${name} = ${literal(value)}`;
  }
  const [op, operand] = Object.entries(value)[0] ?? [];
  if (key === '#document' && op !== undefined) {
    const text = documentText(op, operand);
    if (text) {
      return text;
    }
  }
  const symbol = op === undefined ? undefined : SYMBOLS[op];
  return symbol === undefined ? undefined : `${name} ${symbol} ${literal(operand)}`;
}

const describeWhere = (w: unknown, nested: boolean): string | undefined => describeClause(w, nested, 0, whereLeaf);
const describeDocument = (d: unknown, nested: boolean): string | undefined => describeClause(d, nested, 0, documentText);

/** The JSON to edit: all of it (a filter too deep for JSON.stringify cannot be edited as text anyway). */
function fullJson(v: unknown): string {
  try {
    return JSON.stringify(v) ?? '';
  } catch {
    return '';
  }
}

/** Bounded JSON on one line, for what describe cannot put in words. */
function compactJson(v: unknown, max = 400): string {
  return boundedJson(v, max, 0).text;
}

/** Whether the filter filters nothing: no where and no where_document. */
export function isEmptyFilter(filter: Filter | undefined): boolean {
  return !filter || ((filter.where === undefined || filter.where === null) && (filter.whereDocument === undefined || filter.whereDocument === null));
}

/** A short one-line description of a filter for tree descriptions and result headers: `year > 2020 and text contains "x"`. */
export function describeFilter(filter: Filter, max = 80): string {
  if (isEmptyFilter(filter)) {
    return 'no filter';
  }
  const parts: string[] = [];
  if (filter.where !== undefined && filter.where !== null) {
    parts.push(describeWhere(filter.where, filter.whereDocument !== undefined && filter.whereDocument !== null) ?? compactJson(filter.where));
  }
  if (filter.whereDocument !== undefined && filter.whereDocument !== null) {
    parts.push(describeDocument(filter.whereDocument, parts.length > 0) ?? compactJson(filter.whereDocument));
  }
  return displayLine(parts.join(' and '), max);
}

// ---------------------------------------------------------------------------------------------------------------
// JSON text

const COMBINED_KEYS = new Set(['where', 'where_document', 'whereDocument']);

/**
 * A filter typed as JSON: `{"where": {…}, "where_document": {…}}`, or a bare where clause (`{"year": 2020}`), as
 * pasted from code. An object whose keys are only where / where_document with object values is the first form.
 */
export function parseFilterText(text: string): { filter: Filter } | { error: string } {
  const trimmed = text.trim();
  if (!trimmed) {
    return { error: 'Type a filter as JSON, e.g. {"year": {"$gt": 2020}} or {"where_document": {"$contains": "text"}}.' };
  }
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch (e) {
    return { error: `Not valid JSON: ${displayLine(e instanceof Error ? e.message : String(e), 120)}` };
  }
  if (!isObject(value)) {
    return { error: `The filter must be a JSON object such as {"year": 2020}, got ${shortValue(value)}.` };
  }
  const combined = looksCombined(value);
  const filter: Filter = combined
    ? dropNulls({
        where: value.where as Where | undefined,
        whereDocument: (value.where_document ?? value.whereDocument) as WhereDocument | undefined,
      })
    : { where: value };
  const problem = checkFilter(filter);
  return problem ? { error: problem } : { filter };
}

/** Whether a parsed object is the `{"where": …, "where_document": …}` form rather than a bare where clause. */
function looksCombined(value: Record<string, unknown>): boolean {
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((k) => COMBINED_KEYS.has(k) && (value[k] === null || isObject(value[k])));
}

function dropNulls(filter: Filter): Filter {
  const out: Filter = {};
  if (filter.where !== undefined && filter.where !== null) {
    out.where = filter.where;
  }
  if (filter.whereDocument !== undefined && filter.whereDocument !== null) {
    out.whereDocument = filter.whereDocument;
  }
  return out;
}

/** A filter as the JSON text parseFilterText reads back: a bare where clause when that is all it has. */
export function filterToText(filter: Filter | undefined): string {
  const { where, whereDocument } = dropNulls(filter ?? {});
  if (where !== undefined && whereDocument === undefined && !(isObject(where) && looksCombined(where))) {
    return fullJson(where);
  }
  const out: Record<string, unknown> = {};
  if (where !== undefined) {
    out.where = where;
  }
  if (whereDocument !== undefined) {
    out.where_document = whereDocument;
  }
  return Object.keys(out).length > 0 ? fullJson(out) : '';
}
