/**
 * A filter as JSON text: read from what a user types or pastes, and written back for editing. No `vscode` here.
 */
import type { Where, WhereDocument } from '../../chroma/types';
import { displayLine } from '../../util/text';
import { checkFilter, shortValue } from './check';
import { isObject } from './filter';
import type { Filter } from './filter';

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

/** The JSON to edit: all of it (a filter too deep for JSON.stringify cannot be edited as text anyway). */
function fullJson(v: unknown): string {
  try {
    return JSON.stringify(v) ?? '';
  } catch {
    return '';
  }
}
