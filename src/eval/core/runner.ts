/**
 * Runs a set's cases against one target: the collection fetched once, the cases in batches of one query request
 * each (many query embeddings, as Chroma takes them; within the server's max batch size), each case asking for
 * max(k, 50) hits so that a miss can say where the item ranked, without a second request. Expected `where`s are
 * checked with one get per batch and filter. Results are reported per case as they are known. No `vscode` here.
 */
import type { ChromaClient } from '../../chroma/client';
import type { Collection, Where } from '../../chroma/types';
import { quote } from '../../chroma/sanitize';
import { caseError, judgeCase } from './judge';
import type { RawHit } from './judge';
import { matchWhere } from './match';
import { aggregate } from './metrics';
import { explainFilterError, MAX_N_RESULTS } from './queryParts';
import { isCancel, queryVectors } from './queryVectors';
import type { Embed, QueryVector } from './queryVectors';
import type { CaseResult, EvalCase, EvalTarget, TargetRun } from './types';

export type { Embed };

/** Hits fetched per case at least: a miss is reported with its rank up to here, else as "not in top 50". */
export const MIN_DEPTH = 50;
/** Cases per query request unless told otherwise (fewer when the server's max batch size is smaller). */
export const DEFAULT_BATCH = 100;

export interface RunDeps {
  /** A client for the target's connection. */
  client: ChromaClient;
  /** The collection's own embedding function (asked once, when a case has text); undefined when it has none. */
  embedderFor: (collection: Collection) => Promise<Embed | undefined>;
  signal?: AbortSignal;
  /** When a batch's work starts (its texts embedded, then its request): the ids of its cases (a test run marks them started). */
  onStart?: (caseIds: string[]) => void;
  /** Each case's result as soon as it is known; `done` of `total`. */
  onResult?: (result: CaseResult, done: number, total: number) => void;
  batchSize?: number;
  now?: () => number;
}

export interface Planned {
  evalCase: EvalCase;
  k: number;
  depth: number;
  /** The target's where and the case's, combined. */
  where?: Where;
  /** n_results of the request: depth, plus one when the query record is to be left out. */
  nResults: number;
}

/** `a` and `b` both: `{$and: [a, b]}`, or whichever is given. */
export function combineWhere(a: Where | undefined, b: Where | undefined): Where | undefined {
  return a && b ? { $and: [a, b] } : (a ?? b);
}

/** The k, depth and filter of each case; a case whose k is over what the server returns per read gets an error. */
export function planCases(cases: readonly EvalCase[], target: EvalTarget, readLimit = MAX_N_RESULTS): { planned: Planned[]; refused: CaseResult[] } {
  const planned: Planned[] = [];
  const refused: CaseResult[] = [];
  for (const c of cases) {
    const k = c.k ?? target.k;
    const depth = Math.min(Math.max(k, MIN_DEPTH), readLimit);
    if (k > readLimit) {
      refused.push(caseError(c, k, depth, `k is ${k}, but this server returns at most ${readLimit} records per query: lower "k".`));
      continue;
    }
    const exclude = c.query.kind === 'record' && c.query.excludeSelf ? 1 : 0;
    planned.push({ evalCase: c, k, depth, where: combineWhere(target.where, c.where), nResults: Math.min(depth + exclude, readLimit) });
  }
  return { planned, refused };
}

/** Batches of at most `size` cases that share a filter and n_results (one request each), in file order of first case. */
export function batchCases(planned: readonly Planned[], size: number): Planned[][] {
  const groups = new Map<string, Planned[]>();
  for (const p of planned) {
    const key = `${p.nResults}|${JSON.stringify(p.where ?? null)}`;
    const group = groups.get(key) ?? [];
    group.push(p);
    groups.set(key, group);
  }
  const out: Planned[][] = [];
  for (const group of groups.values()) {
    for (let i = 0; i < group.length; i += size) {
      out.push(group.slice(i, i + size));
    }
  }
  return out;
}

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

interface BatchContext {
  deps: RunDeps;
  collection: Collection;
  minRecall: number;
  embedder: () => Promise<Embed | undefined>;
}

/** The server's answer for the cases that have a vector, as raw hits per case (the query record left out where asked). */
async function queryBatch(batch: readonly Planned[], vectors: number[][], ctx: BatchContext): Promise<RawHit[][]> {
  const { where, nResults } = batch[0];
  const result = await ctx.deps.client.query(ctx.collection, { queryEmbeddings: vectors, nResults, where, include: ['metadatas', 'distances'] }, { signal: ctx.deps.signal });
  return batch.map((p, q) => {
    const exclude = p.evalCase.query.kind === 'record' && p.evalCase.query.excludeSelf ? p.evalCase.query.recordId : undefined;
    const hits: RawHit[] = [];
    (result.ids[q] ?? []).forEach((id, i) => {
      if (id !== exclude && hits.length < p.depth) {
        hits.push({ id, distance: result.distances?.[q]?.[i] ?? null, metadata: result.metadatas?.[q]?.[i] ?? null });
      }
    });
    return hits;
  });
}

/** The expected-`where` matches of each case (undefined for cases without one). */
async function whereMatches(batch: readonly Planned[], hits: readonly RawHit[][], ctx: BatchContext): Promise<Array<Set<string> | undefined>> {
  const asks = batch.flatMap((p, i) => (p.evalCase.expect.where ? [{ i, where: p.evalCase.expect.where, ids: hits[i].map((h) => h.id) }] : []));
  const out = new Array<Set<string> | undefined>(batch.length).fill(undefined);
  if (asks.length > 0) {
    const sets = await matchWhere(ctx.deps.client, ctx.collection, asks, ctx.deps.signal);
    asks.forEach((a, j) => (out[a.i] = sets[j]));
  }
  return out;
}

/** The query vectors of a batch; a batch whose query records cannot be read gets that error for every case. */
async function prepareBatch(batch: readonly Planned[], ctx: BatchContext): Promise<QueryVector[]> {
  const { signal } = ctx.deps;
  try {
    return await queryVectors(
      batch.map((p) => p.evalCase),
      { client: ctx.deps.client, collection: ctx.collection, embedder: ctx.embedder, signal },
    );
  } catch (e) {
    if (isCancel(e, signal)) {
      throw e;
    }
    return batch.map(() => ({ error: `The query records could not be read: ${messageOf(e)}` }));
  }
}

/** Runs one batch with its vectors: one query, the where checks, the judgement. Errors become the cases' results. */
async function runBatch(batch: readonly Planned[], vectors: readonly QueryVector[], ctx: BatchContext): Promise<CaseResult[]> {
  const { signal } = ctx.deps;
  const results = new Array<CaseResult>(batch.length);
  const ready: number[] = [];
  vectors.forEach((v, i) => ('error' in v ? (results[i] = caseError(batch[i].evalCase, batch[i].k, batch[i].depth, v.error)) : ready.push(i)));
  if (ready.length === 0) {
    return results;
  }
  const sent = ready.map((i) => batch[i]);
  try {
    const hits = await queryBatch(
      sent,
      ready.map((i) => (vectors[i] as { vector: number[] }).vector),
      ctx,
    );
    let matched: Array<Set<string> | undefined>;
    try {
      matched = await whereMatches(sent, hits, ctx);
    } catch (e) {
      if (isCancel(e, signal)) {
        throw e;
      }
      matched = sent.map(() => undefined);
      sent.forEach((p, j) => {
        if (p.evalCase.expect.where) {
          const why = explainFilterError(e, { where: p.evalCase.expect.where }) ?? messageOf(e);
          results[ready[j]] = caseError(p.evalCase, p.k, p.depth, `The expected "where" could not be checked: ${why}`);
        }
      });
    }
    sent.forEach((p, j) => {
      results[ready[j]] ??= judgeCase({ evalCase: p.evalCase, k: p.k, depth: p.depth, minRecall: ctx.minRecall, hits: hits[j], whereMatched: matched[j] });
    });
  } catch (e) {
    if (isCancel(e, signal)) {
      throw e;
    }
    const why = (sent[0].where && explainFilterError(e, { where: sent[0].where })) || messageOf(e);
    sent.forEach((p, j) => (results[ready[j]] = caseError(p.evalCase, p.k, p.depth, `The query failed: ${why}`)));
  }
  return results;
}

/**
 * The batches in turn, each batch's vectors made (texts embedded) while the batch before it is queried and judged:
 * with a real embedding function, embedding and the server's work overlap instead of adding up.
 */
async function runBatches(batches: readonly Planned[][], ctx: BatchContext, report: (r: CaseResult) => void): Promise<void> {
  const { signal, onStart } = ctx.deps;
  const prepare = (batch: readonly Planned[]) => {
    onStart?.(batch.map((p) => p.evalCase.id));
    const ready = prepareBatch(batch, ctx);
    // awaited below unless the run stops first: then its rejection (a cancel) is of no interest
    ready.catch(() => undefined);
    return ready;
  };
  let next = batches.length > 0 ? prepare(batches[0]) : undefined;
  for (const [i, batch] of batches.entries()) {
    signal?.throwIfAborted();
    const vectors = await (next as Promise<QueryVector[]>);
    signal?.throwIfAborted();
    next = i + 1 < batches.length ? prepare(batches[i + 1]) : undefined;
    (await runBatch(batch, vectors, ctx)).forEach(report);
  }
}

/** The server's max_batch_size, or the default batch when its pre-flight checks cannot be read. */
async function serverBatchLimit(deps: RunDeps): Promise<number> {
  try {
    const max = (await deps.client.preflight({ signal: deps.signal })).max_batch_size;
    return max > 0 ? max : DEFAULT_BATCH;
  } catch (e) {
    if (isCancel(e, deps.signal)) {
      throw e;
    }
    return DEFAULT_BATCH;
  }
}

/** The collection of a target, in its tenant and database (the connection's own where it names none). */
async function openCollection(target: EvalTarget, deps: RunDeps): Promise<Collection> {
  const scope = { ...(target.tenant ? { tenant: target.tenant } : {}), ...(target.database ? { database: target.database } : {}) };
  return deps.client.getCollection(target.collection, { scope, signal: deps.signal });
}

/**
 * Runs `cases` (the set's, or some of them) against `target`. Cancelling (deps.signal) rejects (tell it by the
 * signal); everything else that goes wrong is a case's error result, named in its message.
 */
export async function runTarget(target: EvalTarget, cases: readonly EvalCase[], minRecall: number, deps: RunDeps): Promise<TargetRun> {
  const now = deps.now ?? Date.now;
  const startedAt = now();
  const total = cases.length;
  const byId = new Map<string, CaseResult>();
  const report = (r: CaseResult) => {
    byId.set(r.caseId, r);
    deps.onResult?.(r, byId.size, total);
  };
  const finish = (): TargetRun => {
    const results = cases.map((c) => byId.get(c.id) as CaseResult);
    return { target, minRecall, results, metrics: aggregate(results), startedAt, durationMs: now() - startedAt };
  };
  let collection: Collection;
  try {
    collection = await openCollection(target, deps);
  } catch (e) {
    if (isCancel(e, deps.signal)) {
      throw e;
    }
    const where = [target.tenant, target.database].filter(Boolean).join('/');
    const why = `${quote(target.collection)}${where ? ` in ${where}` : ''} could not be opened on ${quote(target.connection)}: ${messageOf(e)}`;
    cases.forEach((c) => report(caseError(c, c.k ?? target.k, Math.max(c.k ?? target.k, MIN_DEPTH), why)));
    return finish();
  }
  const { planned, refused } = planCases(cases, target, deps.client.limits.maxRecordsPerRead);
  refused.forEach(report);
  const size = Math.max(1, Math.min(deps.batchSize ?? DEFAULT_BATCH, await serverBatchLimit(deps)));
  let embed: Promise<Embed | undefined> | undefined;
  const ctx: BatchContext = { deps, collection, minRecall, embedder: () => (embed ??= deps.embedderFor(collection)) };
  await runBatches(batchCases(planned, size), ctx, report);
  return finish();
}
