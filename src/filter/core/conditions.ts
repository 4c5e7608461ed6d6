/**
 * The quick filter builder's model: conditions on metadata keys and on the document text, which operators fit a
 * key's kinds of values, what a typed value means for them, and the filter they make together. No `vscode` here.
 */
import type { Generation } from '../../chroma/generation';
import type { Where, WhereDocument } from '../../chroma/types';
import { checkFilter } from './check';
import { describeFilter } from './describe';
import type { Filter } from './filter';
import type { Scalar, ValueKind } from './metadataKeys';

export type Operator = '$eq' | '$ne' | '$gt' | '$gte' | '$lt' | '$lte' | '$in' | '$nin' | '$contains' | '$not_contains';
export type DocumentOperator = '$contains' | '$not_contains' | '$regex' | '$not_regex';
export type Combine = '$and' | '$or';

export interface Condition {
  key: string;
  op: Operator;
  value: Scalar | Scalar[];
}

export interface DocumentCondition {
  op: DocumentOperator;
  text: string;
}

export interface OperatorInfo<O extends string> {
  op: O;
  label: string;
  detail: string;
}

export const OPERATORS: ReadonlyArray<OperatorInfo<Operator>> = [
  { op: '$eq', label: '= equals', detail: '$eq' },
  { op: '$ne', label: '≠ does not equal', detail: '$ne: also records without the key' },
  { op: '$gt', label: '> greater than', detail: '$gt' },
  { op: '$gte', label: '≥ at least', detail: '$gte' },
  { op: '$lt', label: '< less than', detail: '$lt' },
  { op: '$lte', label: '≤ at most', detail: '$lte' },
  { op: '$in', label: 'in a list', detail: '$in: one of several values' },
  { op: '$nin', label: 'not in a list', detail: '$nin: none of several values' },
  { op: '$contains', label: 'list contains', detail: '$contains: the list holds the value (Chroma 1.5+)' },
  { op: '$not_contains', label: 'list lacks', detail: '$not_contains: the list does not hold the value (Chroma 1.5+)' },
];

export const DOCUMENT_OPERATORS: ReadonlyArray<OperatorInfo<DocumentOperator>> = [
  { op: '$contains', label: 'contains text', detail: '$contains' },
  { op: '$not_contains', label: 'does not contain text', detail: '$not_contains' },
  { op: '$regex', label: 'matches a regular expression', detail: '$regex (Rust regex syntax)' },
  { op: '$not_regex', label: 'does not match a regular expression', detail: '$not_regex (Rust regex syntax)' },
];

const NUMBER_OPS: Operator[] = ['$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$in', '$nin'];
const EQUALITY_OPS: Operator[] = ['$eq', '$ne', '$in', '$nin'];
const LIST_OPS: Operator[] = ['$contains', '$not_contains'];

const isList = (k: ValueKind) => k.endsWith('[]');
const isNumeric = (k: ValueKind) => k.startsWith('int') || k.startsWith('float');

/** Whether a server of this generation takes list metadata and $contains / $not_contains on it (undefined: not known). */
const hasLists = (generation: Generation | undefined) => generation !== '0.x' && generation !== '1.x';

/**
 * The operators that fit a key holding these kinds of values (all comparisons when nothing is known), among those the
 * server's generation takes.
 */
export function operatorsFor(kinds: readonly ValueKind[], generation?: Generation): Operator[] {
  if (kinds.length === 0) {
    return NUMBER_OPS;
  }
  const ops = new Set<Operator>();
  for (const k of kinds) {
    for (const op of isList(k) ? (hasLists(generation) ? LIST_OPS : []) : isNumeric(k) ? NUMBER_OPS : EQUALITY_OPS) {
      ops.add(op);
    }
  }
  return OPERATORS.map((o) => o.op).filter((op) => ops.has(op));
}

/** The document operators a server of this generation takes: 0.x has no regular expressions. */
export function documentOperatorsFor(generation?: Generation): ReadonlyArray<OperatorInfo<DocumentOperator>> {
  return generation === '0.x' ? DOCUMENT_OPERATORS.filter((o) => o.op === '$contains' || o.op === '$not_contains') : DOCUMENT_OPERATORS;
}

const isListOp = (op: Operator) => op === '$in' || op === '$nin';
const needsNumber = (op: Operator) => op === '$gt' || op === '$gte' || op === '$lt' || op === '$lte';

/** The scalar kinds a key's values compare as: a list of strings compares with strings. */
function scalarKinds(kinds: readonly ValueKind[]): Set<'string' | 'number' | 'bool'> {
  return new Set(kinds.map((k) => (k.startsWith('string') ? 'string' : k.startsWith('bool') ? 'bool' : 'number')));
}

function parseNumber(text: string): number | undefined {
  const t = text.trim();
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t)) {
    return undefined;
  }
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

/** One typed value read for a key of these kinds; unknown kinds are inferred (true/false, a number, else text). */
function parseScalar(text: string, key: string, kinds: Set<'string' | 'number' | 'bool'>, numberOnly: boolean): { value: Scalar } | { error: string } {
  const t = text.trim();
  const quoted = /^".*"$/s.test(t) ? (JSON.parse(t) as unknown) : undefined;
  if (typeof quoted === 'string' && !numberOnly) {
    return { value: quoted };
  }
  const wantsNumber = numberOnly || (kinds.size === 1 && kinds.has('number'));
  const wantsBool = !numberOnly && kinds.size === 1 && kinds.has('bool');
  const wantsString = !numberOnly && kinds.size === 1 && kinds.has('string');
  if (wantsString) {
    return { value: text };
  }
  const n = parseNumber(t);
  const b = /^(true|false)$/i.test(t) ? t.toLowerCase() === 'true' : undefined;
  if (wantsNumber) {
    return n === undefined ? { error: `${JSON.stringify(t)} is not a number: "${key}" is compared as a number, e.g. 2020 or 0.5` } : { value: n };
  }
  if (wantsBool) {
    return b === undefined ? { error: `"${key}" holds true or false: type true or false` } : { value: b };
  }
  if (b !== undefined && (kinds.size === 0 || kinds.has('bool'))) {
    return { value: b };
  }
  if (n !== undefined && (kinds.size === 0 || kinds.has('number'))) {
    return { value: n };
  }
  return { value: text };
}

/** Items of a typed list: a JSON array, or values separated by commas. */
function splitList(text: string): { items: string[] } | { values: Scalar[] } | { error: string } {
  const t = text.trim();
  if (t.startsWith('[')) {
    try {
      const parsed = JSON.parse(t) as unknown;
      if (Array.isArray(parsed)) {
        return { values: parsed as Scalar[] };
      }
    } catch {
      return { error: 'Not a valid JSON list: write values separated by commas, or a JSON list like ["a", "b"]' };
    }
  }
  const items = t
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  return { items };
}

/**
 * The value typed for a condition, read for the key's kinds: a number for $gt…, a list for $in / $nin. A list mixing
 * whole and decimal numbers stays as typed: the client writes its numbers as decimals (2.0), which every server takes.
 */
export function parseConditionValue(text: string, key: string, op: Operator, kinds: readonly ValueKind[]): { value: Scalar | Scalar[] } | { error: string } {
  const scalar = scalarKinds(kinds);
  if (!isListOp(op)) {
    if (text.trim() === '' && !(scalar.size === 1 && scalar.has('string'))) {
      return { error: 'Type a value.' };
    }
    return parseScalar(text, key, scalar, needsNumber(op));
  }
  const split = splitList(text);
  if ('error' in split) {
    return split;
  }
  let values: Scalar[];
  if ('values' in split) {
    values = split.values;
  } else {
    values = [];
    for (const item of split.items) {
      const one = parseScalar(item, key, scalar, false);
      if ('error' in one) {
        return one;
      }
      values.push(one.value);
    }
  }
  if (values.length === 0) {
    return { error: 'Type one or more values, separated by commas.' };
  }
  return { value: values };
}

export function conditionWhere(c: Condition): Where {
  return { [c.key]: { [c.op]: c.value } };
}

export function documentWhere(c: DocumentCondition): WhereDocument {
  return { [c.op]: c.text };
}

function combined<T extends Record<string, unknown>>(parts: T[], combine: Combine): T | undefined {
  if (parts.length === 0) {
    return undefined;
  }
  return parts.length === 1 ? parts[0] : ({ [combine]: parts } as unknown as T);
}

/**
 * The filter of the builder's conditions: metadata conditions combined with `combine`, text conditions too (Chroma
 * always requires both where and where_document to match).
 */
export function buildFilter(conditions: readonly Condition[], documents: readonly DocumentCondition[], combine: Combine): Filter {
  const filter: Filter = {};
  const where = combined(conditions.map(conditionWhere), combine);
  const whereDocument = combined(documents.map(documentWhere), combine);
  if (where) {
    filter.where = where;
  }
  if (whereDocument) {
    filter.whereDocument = whereDocument;
  }
  return filter;
}

/** What is wrong with one condition, as the filter check says it, or undefined. */
export function checkCondition(c: Condition): string | undefined {
  return checkFilter({ where: conditionWhere(c) });
}

export function describeCondition(c: Condition | DocumentCondition): string {
  return 'key' in c ? describeFilter({ where: conditionWhere(c) }) : describeFilter({ whereDocument: documentWhere(c) });
}

/** The builder's conditions of a filter it made, to edit it again; undefined when the filter has another shape. */
export function conditionsOf(filter: Filter): { conditions: Condition[]; documents: DocumentCondition[]; combine: Combine } | undefined {
  let combine: Combine | undefined;
  const listOf = (part: unknown): Record<string, unknown>[] | undefined => {
    if (part === undefined || part === null) {
      return [];
    }
    if (typeof part !== 'object' || Array.isArray(part)) {
      return undefined;
    }
    const entries = Object.entries(part as Record<string, unknown>);
    if (entries.length === 1 && (entries[0][0] === '$and' || entries[0][0] === '$or') && Array.isArray(entries[0][1])) {
      const op = entries[0][0];
      if (combine !== undefined && combine !== op) {
        return undefined;
      }
      combine = op;
      return entries[0][1] as Record<string, unknown>[];
    }
    return [part as Record<string, unknown>];
  };
  const wheres = listOf(filter.where);
  const docs = listOf(filter.whereDocument);
  if (!wheres || !docs) {
    return undefined;
  }
  const conditions: Condition[] = [];
  for (const w of wheres) {
    const entries = typeof w === 'object' && w !== null ? Object.entries(w) : [];
    const [key, cond] = entries[0] ?? [];
    // The shorthand {"key": value} is $eq.
    const ops = typeof cond === 'object' && cond !== null && !Array.isArray(cond) ? Object.entries(cond) : [['$eq', cond] as [string, unknown]];
    if (entries.length !== 1 || key.startsWith('$') || ops.length !== 1 || !OPERATORS.some((o) => o.op === ops[0][0])) {
      return undefined;
    }
    conditions.push({ key, op: ops[0][0] as Operator, value: ops[0][1] as Scalar | Scalar[] });
  }
  const documents: DocumentCondition[] = [];
  for (const d of docs) {
    const entries = typeof d === 'object' && d !== null ? Object.entries(d) : [];
    if (entries.length !== 1 || !DOCUMENT_OPERATORS.some((o) => o.op === entries[0][0]) || typeof entries[0][1] !== 'string') {
      return undefined;
    }
    documents.push({ op: entries[0][0] as DocumentOperator, text: entries[0][1] });
  }
  return { conditions, documents, combine: combine ?? '$and' };
}
