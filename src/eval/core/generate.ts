/**
 * Generate Evaluation Set: cases made from a collection's own records. N records are sampled evenly over the
 * collection (one in each of N equal stretches of its records, at a seeded place in the stretch); each gives a query
 * made from its text (querySpan.ts), or a question a language model wrote (`phrase`, given by the VS Code layer),
 * with that record as the expected hit. The same seed over the same records gives the same set. No `vscode` here.
 */
import type { ChromaClient } from '../../chroma/client';
import { quote } from '../../chroma/sanitize';
import type { Collection } from '../../chroma/types';
import { seededRandom } from '../../util/random';
import { queryFromText } from './querySpan';
import type { CaseFile, SetFile, TargetFile } from './writeSet';

export const DEFAULT_SIZE = 50;
export const MAX_SIZE = 10_000;
/** Records looked at from each sampled place, for one with usable text. */
const WINDOW = 5;
/** Text longer than this is left out of a question prompt and of the span search (a chunk is rarely longer). */
const MAX_DOCUMENT = 20_000;

export interface GenerateOptions {
  client: ChromaClient;
  collection: Collection;
  /** The set's target: the connection's name and the collection as the file will name them. */
  target: TargetFile;
  /** Cases wanted (default 50); fewer when the collection has fewer records with text. */
  size?: number;
  seed?: number;
  signal?: AbortSignal;
  /** After each sampled place, with how many were done of how many. */
  onProgress?: (done: number, total: number) => void;
  /**
   * Writes a natural question that the document answers (a language model, offered by the VS Code layer);
   * undefined (or a rejection other than a cancel) falls back to a span of the text.
   */
  phrase?: (document: string, signal?: AbortSignal) => Promise<string | undefined>;
  /** The model's name, said in the set's description when `phrase` is given. */
  phraser?: string;
}

export interface Generated {
  set: SetFile;
  /** Records sampled, cases made from them, and records skipped (no usable text). */
  sampled: number;
  cases: number;
  skipped: number;
}

/** The places sampled: one in each of `n` equal stretches of `count` records, at a seeded offset in it. */
export function samplePlaces(count: number, n: number, random: () => number): number[] {
  const take = Math.min(n, count);
  return Array.from({ length: take }, (_, i) => Math.min(count - 1, Math.floor(((i + random()) * count) / take)));
}

async function questionFor(document: string, opts: GenerateOptions, random: () => number): Promise<string | undefined> {
  if (opts.phrase) {
    try {
      const q = (await opts.phrase(document, opts.signal))?.trim();
      if (q) {
        return q;
      }
    } catch (e) {
      if (opts.signal?.aborted) {
        throw e;
      }
    }
  }
  return queryFromText(document, random);
}

/** Generates the set (see the module comment). Cancelling (opts.signal) rejects. */
export async function generateSet(opts: GenerateOptions): Promise<Generated> {
  const size = Math.max(1, Math.min(MAX_SIZE, Math.floor(opts.size ?? DEFAULT_SIZE)));
  const seed = opts.seed ?? 1;
  const random = seededRandom(seed);
  const count = await opts.client.count(opts.collection, { signal: opts.signal });
  const places = samplePlaces(count, size, random);
  const used = new Set<string>();
  const cases: CaseFile[] = [];
  let skipped = 0;
  for (const [i, offset] of places.entries()) {
    const page = await opts.client.get(opts.collection, { limit: WINDOW, offset, include: ['documents'] }, { signal: opts.signal });
    let made = false;
    for (const [j, id] of page.ids.entries()) {
      const doc = page.documents?.[j];
      if (used.has(id) || typeof doc !== 'string' || !doc.trim() || doc.length > MAX_DOCUMENT) {
        continue;
      }
      const query = await questionFor(doc, opts, random);
      if (query) {
        used.add(id);
        cases.push({ query, expect: { ids: [id] }, tags: ['generated'] });
        made = true;
        break;
      }
    }
    skipped += made ? 0 : 1;
    opts.onProgress?.(i + 1, places.length);
  }
  const how = opts.phrase ? `questions written by ${opts.phraser ?? 'a language model'} (a span of the text where it gave none)` : 'a sentence or span of each record\'s text';
  const set: SetFile = {
    description: `Generated from ${quote(opts.collection.name)}: ${cases.length} records sampled evenly (seed ${seed}); each case's query is ${how}, and the record is the expected hit.`,
    target: opts.target,
    minRecall: 1,
    cases,
  };
  return { set, sampled: places.length, cases: cases.length, skipped };
}
