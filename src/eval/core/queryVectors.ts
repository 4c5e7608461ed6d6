/**
 * The query vector of each case of a batch: texts embedded in one call with the collection's function, records'
 * stored embeddings fetched in one get, vectors checked against the collection's dimension. A case whose vector
 * cannot be made gets the reason instead; the others still run. No `vscode` here.
 */
import type { ChromaClient } from '../../chroma/client';
import { ChromaAbortedError } from '../../chroma/errors';
import type { Collection } from '../../chroma/types';
import { quote } from '../../chroma/sanitize';
import { vectorProblem } from './queryParts';
import type { EvalCase } from './types';

/** Embeds texts with the collection's own embedding function, in order. */
export type Embed = (texts: string[], signal?: AbortSignal) => Promise<number[][]>;

export type QueryVector = { vector: number[] } | { error: string };

export interface VectorContext {
  client: ChromaClient;
  collection: Collection;
  /** The collection's embedding function, asked for on first need; undefined when it has none. */
  embedder: () => Promise<Embed | undefined>;
  signal?: AbortSignal;
}

/** Whether an error is the run being cancelled (then it is thrown on, never recorded as a case's error). */
export function isCancel(e: unknown, signal?: AbortSignal): boolean {
  return signal?.aborted === true || e instanceof ChromaAbortedError || (e instanceof Error && e.name === 'AbortError');
}

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

async function textVectors(texts: string[], ctx: VectorContext): Promise<number[][] | string> {
  const name = quote(ctx.collection.name);
  let embed: Embed | undefined;
  try {
    embed = await ctx.embedder();
  } catch (e) {
    if (isCancel(e, ctx.signal)) {
      throw e;
    }
    return `The embedding function of ${name} is not available: ${messageOf(e)}`;
  }
  if (!embed) {
    return `${name} has no embedding function chosen, so text cannot be searched: choose one with "Chroma: Choose Embedding Function…", or query by vector.`;
  }
  let vectors: number[][];
  try {
    vectors = await embed(texts, ctx.signal);
  } catch (e) {
    if (isCancel(e, ctx.signal)) {
      throw e;
    }
    return `The query text could not be embedded: ${messageOf(e)}`;
  }
  if (!Array.isArray(vectors) || vectors.length !== texts.length) {
    return `The embedding function returned ${Array.isArray(vectors) ? vectors.length : 'no'} vectors for ${texts.length} texts.`;
  }
  const dim = ctx.collection.dimension;
  const bad = vectors.find((v) => vectorProblem(v, dim) !== undefined);
  if (bad) {
    return `The embedding function's vector is not usable for ${name}: ${vectorProblem(bad, dim)}. Use the function (and model) the collection was filled with.`;
  }
  return vectors;
}

async function recordVectors(ids: string[], ctx: VectorContext): Promise<Map<string, number[]>> {
  const got = await ctx.client.get(ctx.collection, { ids, include: ['embeddings'] }, { signal: ctx.signal });
  const out = new Map<string, number[]>();
  got.ids.forEach((id, i) => {
    const e = got.embeddings?.[i];
    if (e) {
      out.set(id, Array.from(e));
    }
  });
  return out;
}

/** The query vector (or why there is none) of each case, in order. */
export async function queryVectors(cases: readonly EvalCase[], ctx: VectorContext): Promise<QueryVector[]> {
  const out: QueryVector[] = new Array<QueryVector>(cases.length);
  const texts = cases.flatMap((c, i) => (c.query.kind === 'text' ? [{ i, text: c.query.text }] : []));
  if (texts.length > 0) {
    const vectors = await textVectors(
      texts.map((t) => t.text),
      ctx,
    );
    texts.forEach((t, j) => (out[t.i] = typeof vectors === 'string' ? { error: vectors } : { vector: vectors[j] }));
  }
  const recordIds = [...new Set(cases.flatMap((c) => (c.query.kind === 'record' ? [c.query.recordId] : [])))];
  const stored = recordIds.length > 0 ? await recordVectors(recordIds, ctx) : new Map<string, number[]>();
  cases.forEach((c, i) => {
    if (c.query.kind === 'record') {
      const v = stored.get(c.query.recordId);
      out[i] = v ? { vector: v } : { error: `Record ${quote(c.query.recordId)} is not in ${quote(ctx.collection.name)} (or has no embedding): query by another record, or by text.` };
    } else if (c.query.kind === 'vector') {
      const problem = vectorProblem(c.query.vector, ctx.collection.dimension);
      out[i] = problem ? { error: `The query vector is not usable: ${problem}.` } : { vector: c.query.vector };
    }
  });
  return out;
}
