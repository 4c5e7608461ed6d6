/**
 * The last queries of a workspace, newest first: the same query run again moves to the top instead of being
 * listed twice. What is stored is read back through the same checks as any other query argument. No `vscode`.
 */
import type { QuerySpec } from './spec';
import { asQuerySpec } from './specInput';

export interface HistoryEntry {
  spec: QuerySpec;
  /** When it last ran (epoch ms). */
  ranAt: number;
  /** How many hits it had then; undefined when it failed. */
  hits?: number;
}

export const HISTORY_MAX = 50;

/** JSON with object keys sorted, so two equal queries give the same text. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) {
    return `[${v.map(canonical).join(',')}]`;
  }
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/** What makes two queries the same query (include order does not count). */
export function specKey(spec: QuerySpec): string {
  return canonical({ ...spec, include: [...spec.include].sort() });
}

/** The list with `entry` on top, an earlier run of the same query removed, at most `max` long. */
export function addToHistory(list: readonly HistoryEntry[], entry: HistoryEntry, max = HISTORY_MAX): HistoryEntry[] {
  const key = specKey(entry.spec);
  return [entry, ...list.filter((e) => specKey(e.spec) !== key)].slice(0, Math.max(0, max));
}

export function removeFromHistory(list: readonly HistoryEntry[], spec: QuerySpec): HistoryEntry[] {
  const key = specKey(spec);
  return list.filter((e) => specKey(e.spec) !== key);
}

/** Stored history as it can be used: entries that do not check out (an older format, a hand edit) are dropped. */
export function readHistory(stored: unknown, max = HISTORY_MAX): HistoryEntry[] {
  if (!Array.isArray(stored)) {
    return [];
  }
  const out: HistoryEntry[] = [];
  for (const item of stored) {
    const e = item as Partial<HistoryEntry> | null;
    const spec = e && typeof e === 'object' ? asQuerySpec(e.spec) : undefined;
    if (!spec || typeof e?.ranAt !== 'number' || !Number.isFinite(e.ranAt)) {
      continue;
    }
    out.push({ spec, ranAt: e.ranAt, ...(typeof e.hits === 'number' && Number.isInteger(e.hits) && e.hits >= 0 ? { hits: e.hits } : {}) });
    if (out.length === max) {
      break;
    }
  }
  return out;
}
