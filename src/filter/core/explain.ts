/**
 * What a server's error about a filter means: Chroma says only "Invalid where clause" and the like, so the part of
 * the filter it is about is found here and named. No `vscode` here.
 */
import { formatPath } from '../../util/jsonPath';
import { truncate } from '../../util/text';
import { checkPart, PART_NAMES, shortValue } from './check';
import { describeFilter } from './describe';
import { isObject } from './filter';
import type { Filter } from './filter';

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
