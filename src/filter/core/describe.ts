/**
 * A filter in a few words, for tree descriptions, result headers and pickers: `year > 2020 and text contains "x"`.
 * No `vscode` here.
 */
import { boundedJson, displayLine, truncate } from '../../util/text';
import { isEmptyFilter, isObject } from './filter';
import type { Filter } from './filter';

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

/** Bounded JSON on one line, for what describe cannot put in words. */
function compactJson(v: unknown, max = 400): string {
  return boundedJson(v, max, 0).text;
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
