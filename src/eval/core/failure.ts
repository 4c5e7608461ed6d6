/**
 * The one-line message of a failed case: what was expected and where it ranked (or that it was not among the hits
 * fetched), what was found, and what came first instead. No `vscode` here.
 *
 *   expected fact-0009 (rank 14, outside the top 10) and docs/a.md:3–9 (not in top 50); found 1 of 3, needs 3
 *   (fact-0003 at rank 7); first came fact-0011, fact-0002, fact-0005
 */
import { displayLine } from '../../util/text';
import type { Hit, ItemResult } from './types';

const MAX_LISTED = 5;
const MAX_LABEL = 60;
const FIRST_CAME = 3;

/** How many of `expected` items minRecall asks for. */
export function needed(expected: number, minRecall: number): number {
  return Math.min(expected, Math.max(1, Math.ceil(expected * minRecall - 1e-9)));
}

function listed(parts: string[]): string {
  const shown = parts.slice(0, MAX_LISTED);
  const more = parts.length - shown.length;
  const body = shown.length > 1 ? `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}` : shown[0];
  return more > 0 ? `${shown.join(', ')} and ${more} more` : body;
}

const label = (item: ItemResult) => displayLine(item.label, MAX_LABEL);

/** Where a missed item is: below the top k, or not among the `depth` hits fetched. */
function whereMissed(item: ItemResult, k: number, depth: number): string {
  return item.rank === undefined ? `${label(item)} (not in top ${depth})` : `${label(item)} (rank ${item.rank}, outside the top ${k})`;
}

/** The failure message of a case that ran (see the module comment). */
export function failureMessage(items: readonly ItemResult[], hits: readonly Hit[], k: number, depth: number, minRecall: number): string {
  const missed = items.filter((i) => !i.found);
  const found = items.filter((i) => i.found);
  const parts = [`expected ${listed(missed.map((i) => whereMissed(i, k, depth)))}`];
  const need = needed(items.length, minRecall);
  if (found.length > 0) {
    parts.push(`found ${found.length} of ${items.length}, needs ${need} (${listed(found.map((i) => `${label(i)} at rank ${i.rank}`))})`);
  } else if (items.length > 1) {
    parts.push(`found none of ${items.length}, needs ${need}`);
  }
  const first = hits.filter((h) => h.rank <= k && !h.relevant).slice(0, FIRST_CAME);
  if (first.length > 0) {
    const more = hits.filter((h) => h.rank <= k && !h.relevant).length > FIRST_CAME ? ', …' : '';
    parts.push(`first came ${first.map((h) => displayLine(h.id, MAX_LABEL)).join(', ')}${more}`);
  } else if (hits.length === 0) {
    parts.push('the query returned no hits');
  }
  return parts.join('; ');
}
