/**
 * What of a filter a server of an older generation cannot take, found before sending so the user reads "not
 * supported by this server (Chroma 0.6): …" instead of a raw 400. The rules are those servers' own: 0.5/0.6's
 * validate_where / validate_where_document (chromadb/api/types.py), and what Chroma 1.x before 1.5 refuses (measured
 * on 1.0.0). Only what the generation lacks is looked for; the filter's grammar is checked elsewhere. No `vscode`.
 */
import type { Generation } from './generation';
import { formatPath } from '../util/jsonPath';
import type { JsonPath } from '../util/jsonPath';

export interface FilterParts {
  where?: unknown;
  whereDocument?: unknown;
}

interface Found {
  path: JsonPath;
  why: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const MAX_DEPTH = 130;

/** Whether a filter uses anything some server generation lacks (only then is the server's generation needed). */
export function usesNewerFilterParts(filter: FilterParts): boolean {
  return unsupported(filter, '0.x') !== undefined;
}

/**
 * The first part of the filter the generation cannot take, as `where_document.$regex: why`, or undefined. Any
 * generation other than 0.x and 1.x (or none known) takes everything the grammar allows.
 */
export function unsupportedFilterPart(filter: FilterParts, generation: Generation | undefined): string | undefined {
  const found = generation === '0.x' || generation === '1.x' ? unsupported(filter, generation) : undefined;
  return found && `${formatPath(found.path)}: ${found.why}`;
}

function unsupported(filter: FilterParts, generation: '0.x' | '1.x'): Found | undefined {
  return where(filter.where, ['where'], generation, 0) ?? (generation === '0.x' ? whereDocument(filter.whereDocument, ['where_document'], 0) : undefined);
}

function tooFew(items: readonly unknown[], op: string): string | undefined {
  if (items.length >= 2) {
    return undefined;
  }
  return items.length === 0
    ? `an empty ${op} is not taken; leave it out`
    : `${op} needs two or more filters here; use its one filter on its own`;
}

function where(w: unknown, path: JsonPath, generation: '0.x' | '1.x', depth: number): Found | undefined {
  if (!isObject(w) || depth > MAX_DEPTH) {
    return undefined;
  }
  for (const [key, value] of Object.entries(w)) {
    if ((key === '$and' || key === '$or') && Array.isArray(value)) {
      const few = generation === '0.x' ? tooFew(value, key) : undefined;
      if (few) {
        return { path: [...path, key], why: few };
      }
      for (let i = 0; i < value.length; i++) {
        const found = where(value[i], [...path, key, i], generation, depth + 1);
        if (found) {
          return found;
        }
      }
    } else if (key === '#document' && isObject(value)) {
      return { path: [...path, key], why: '"#document" in where is for Chroma 1.5 and later; filter the text with where_document instead' };
    } else if (isObject(value)) {
      const op = Object.keys(value)[0];
      if (op === '$contains' || op === '$not_contains') {
        return { path: [...path, key, op], why: `${op} on metadata lists is for Chroma 1.5 and later; use $eq or $in, or where_document for the text` };
      }
    }
  }
  return undefined;
}

function whereDocument(d: unknown, path: JsonPath, depth: number): Found | undefined {
  if (!isObject(d) || depth > MAX_DEPTH) {
    return undefined;
  }
  for (const [op, operand] of Object.entries(d)) {
    if ((op === '$and' || op === '$or') && Array.isArray(operand)) {
      const few = tooFew(operand, op);
      if (few) {
        return { path: [...path, op], why: few };
      }
      for (let i = 0; i < operand.length; i++) {
        const found = whereDocument(operand[i], [...path, op, i], depth + 1);
        if (found) {
          return found;
        }
      }
    } else if (op === '$regex' || op === '$not_regex') {
      return { path: [...path, op], why: 'it has no regular expressions; use $contains or $not_contains' };
    } else if ((op === '$contains' || op === '$not_contains') && operand === '') {
      return { path: [...path, op], why: `it takes no empty ${op} text; leave the condition out` };
    }
  }
  return undefined;
}
