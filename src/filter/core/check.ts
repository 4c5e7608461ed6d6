/**
 * Chroma's filter grammar (`where`, `where_document`), checked before anything is sent, against the same JSON schema
 * the playground files use (media/schemas/chroma-filter.schema.json), with one-line messages that name the part
 * of the filter that is wrong. No `vscode` here.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { formatPath } from '../../util/jsonPath';
import { boundedJson, displayLine, truncate } from '../../util/text';
import type { Filter } from './filter';
import { SchemaChecker } from './schemaCheck';
import type { SchemaPath, SchemaProblem } from './schemaCheck';

export { formatPath };

/** Where the schema lives, relative to the extension's (or the checkout's) root. */
export const FILTER_SCHEMA_FILE = join('media', 'schemas', 'chroma-filter.schema.json');

/**
 * Chroma parses request bodies with serde_json, which stops at 128 levels of objects and lists; the body itself is
 * one, so a filter may be 126 deep (measured on 1.0.0 and 1.5.9).
 */
export const MAX_FILTER_DEPTH = 126;

let cached: { schema: unknown; checker: SchemaChecker } | undefined;

/**
 * The schema, read once: from dist/ in the extension, out/src/filter/core/ or src/filter/core/ in tests; the
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

export const PART_NAMES = { where: 'where', whereDocument: 'where_document' } as const;

/** A one-line message naming the part of the filter that is wrong (e.g. `where.$and[1].year.$gt`), or undefined. */
export function checkFilter(filter: Filter): string | undefined {
  if (typeof filter !== 'object' || filter === null) {
    return 'The filter must be an object with "where" and/or "where_document".';
  }
  return checkPart(filter.where, 'where') ?? checkPart(filter.whereDocument, 'whereDocument');
}

export function checkPart(value: unknown, part: keyof typeof PART_NAMES): string | undefined {
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
export function shortValue(v: unknown): string {
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

