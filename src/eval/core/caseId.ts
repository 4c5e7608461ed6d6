/**
 * Stable case ids, so that a Test Explorer item, a report row and the history keep pointing at the same case while
 * the file is edited around it: the case's name, else `#` and the first 12 hex of sha256 of its query. Moving a case,
 * changing its expectation or k keeps its id; changing an unnamed case's query makes it a new case. No `vscode` here.
 */
import { sha256 } from '../../ingest/core/records';
import { displayLine } from '../../util/text';
import type { CaseQuery } from './types';

/** The hash of what a case searches with (text, record id or vector); a record's excludeSelf does not count. */
export function queryHash(query: CaseQuery): string {
  const key = query.kind === 'text' ? ['text', query.text] : query.kind === 'record' ? ['record', query.recordId] : ['vector', query.vector];
  return sha256(JSON.stringify(key)).slice(0, 12);
}

/** `name`, or `#<hash of the query>`. */
export function baseCaseId(name: string | undefined, query: CaseQuery): string {
  return name ?? `#${queryHash(query)}`;
}

/**
 * Ids for cases in file order, each unique: the second case with the same base id gets `~2`, the third `~3`. The
 * caller warns about such repeats (a name given twice, or two unnamed cases with one query), since the suffix
 * follows the order in the file.
 */
export function uniqueIds(bases: readonly string[]): { ids: string[]; repeated: number[] } {
  const seen = new Map<string, number>();
  const taken = new Set(bases);
  const ids: string[] = [];
  const repeated: number[] = [];
  bases.forEach((base, i) => {
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    if (n === 1) {
      ids.push(base);
      return;
    }
    repeated.push(i);
    let suffix = n;
    while (taken.has(`${base}~${suffix}`)) {
      suffix++;
    }
    const id = `${base}~${suffix}`;
    taken.add(id);
    ids.push(id);
  });
  return { ids, repeated };
}

/** A short label for a case: its name, else its query (text cut to `max`, the record id, or the vector's size). */
export function caseLabel(c: { name?: string; query: CaseQuery }, max = 80): string {
  if (c.name !== undefined) {
    return displayLine(c.name, max);
  }
  const q = c.query;
  return displayLine(q.kind === 'text' ? q.text : q.kind === 'record' ? `similar to ${q.recordId}` : `vector (${q.vector.length} dimensions)`, max);
}
