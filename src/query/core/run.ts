/** Runs a QuerySpec against a server: the one query path of commands, playground files and re-runs. No `vscode`. */
import { ChromaInvalidArgumentError, ChromaNotFoundError } from '../../chroma/errors';
import type { Collection, Include } from '../../chroma/types';
import { checkDimension, EmbeddingError } from '../../embedding/core/types';
import { checkFilter } from '../../filter/core/check';
import { explainFilterError } from '../../filter/core/explain';
import type { Filter } from '../../filter/core/filter';
import type { QueryHit, QueryRun, QuerySpec, RunDeps } from './spec';
import { MAX_N_RESULTS, vectorProblem } from './specInput';

/**
 * Fetches the collection (or takes it from `deps.collections`), makes the query vector, queries, and returns the
 * hits in rank order. Bad input (a filter outside Chroma's grammar, a vector of the wrong dimension, no embedding
 * function) fails before anything is sent to the collection; a server error about the filter names the part of it
 * that is wrong.
 */
export async function runQuery(spec: QuerySpec, deps: RunDeps): Promise<QueryRun> {
  const { client, signal } = deps;
  const filter: Filter = { where: spec.where, whereDocument: spec.whereDocument };
  const filterProblem = spec.where || spec.whereDocument ? checkFilter(filter) : undefined;
  if (filterProblem) {
    throw new ChromaInvalidArgumentError(`${filterProblem} Nothing was sent.`);
  }
  if (!Number.isInteger(spec.nResults) || spec.nResults < 1 || spec.nResults > MAX_N_RESULTS) {
    throw new ChromaInvalidArgumentError(`The number of results must be a whole number from 1 to ${MAX_N_RESULTS} (got ${spec.nResults}).`);
  }
  if (spec.input.kind === 'vector') {
    const problem = vectorProblem(spec.input.vector);
    if (problem) {
      throw new ChromaInvalidArgumentError(`The query vector is not usable: ${problem}. Nothing was sent.`);
    }
  }
  const cache = deps.collections;
  const cached = cache?.get(spec);
  if (cached) {
    try {
      return await queryOn(cached, spec, deps);
    } catch (e) {
      // a remembered collection may be gone or re-created: fetch it and try once more
      if (!looksStale(e)) {
        throw e;
      }
      cache?.forget(spec);
    }
  }
  const collection = await client.getCollection(spec.collection, { scope: { tenant: spec.tenant, database: spec.database }, signal });
  cache?.set(spec, collection);
  return queryOn(collection, spec, deps);
}

/** Errors a query on a stale remembered collection gives: not found, or a dimension that changed. */
export function looksStale(e: unknown): boolean {
  return e instanceof ChromaNotFoundError || (e instanceof ChromaInvalidArgumentError && /dimension/i.test(e.message)) || (e instanceof EmbeddingError && e.code === 'dimension-mismatch');
}

/** Makes the query vector for `collection` and queries it. */
async function queryOn(collection: Collection, spec: QuerySpec, deps: RunDeps): Promise<QueryRun> {
  const { client, signal } = deps;
  const now = deps.now ?? Date.now;
  const filter: Filter = { where: spec.where, whereDocument: spec.whereDocument };
  let queryVector: number[];
  let embeddedWith: string | undefined;
  switch (spec.input.kind) {
    case 'text': {
      const embedded = await deps.embed(collection, [spec.input.text]);
      if (!embedded) {
        throw new ChromaInvalidArgumentError(
          `"${collection.name}" has no embedding function chosen, so text cannot be searched: choose one with "Chroma: Choose Embedding Function…", or query by vector.`,
        );
      }
      checkDimension(embedded.vectors, collection.dimension, embedded.functionName);
      queryVector = embedded.vectors[0];
      embeddedWith = embedded.functionName;
      break;
    }
    case 'record': {
      const got = await client.get(collection, { ids: [spec.input.recordId], include: ['embeddings'] }, { signal });
      const vector = got.embeddings?.[0];
      if (got.ids.length === 0 || !vector) {
        throw new ChromaNotFoundError(`Record "${spec.input.recordId}" is not in "${collection.name}" (any more): refresh the tree.`);
      }
      queryVector = Array.from(vector);
      break;
    }
    case 'vector': {
      if (collection.dimension !== null && collection.dimension !== undefined && spec.input.vector.length !== collection.dimension) {
        throw new ChromaInvalidArgumentError(
          `The vector has ${spec.input.vector.length} dimensions, but "${collection.name}" holds ${collection.dimension}-dimensional embeddings. Nothing was sent.`,
        );
      }
      queryVector = spec.input.vector;
      break;
    }
  }
  const include: Include[] = [...new Set<Include>([...spec.include, 'distances'])];
  // Find Similar asks for one more: the record itself is (nearly always) its own nearest hit, and is left out.
  const exclude = spec.input.kind === 'record' ? spec.input.recordId : undefined;
  const started = now();
  const result = await client
    .query(
      collection,
      { queryEmbeddings: [queryVector], nResults: spec.nResults + (exclude !== undefined ? 1 : 0), where: spec.where, whereDocument: spec.whereDocument, include },
      { signal },
    )
    .catch((e: unknown) => {
      const explained = spec.where || spec.whereDocument ? explainFilterError(e, filter) : undefined;
      throw explained ? new ChromaInvalidArgumentError(explained, { cause: e }) : e;
    });
  const tookMs = now() - started;
  const hits: QueryHit[] = [];
  const ids = result.ids[0] ?? [];
  for (let i = 0; i < ids.length && hits.length < spec.nResults; i++) {
    if (ids[i] === exclude) {
      continue;
    }
    hits.push({
      rank: hits.length + 1,
      id: ids[i],
      distance: result.distances?.[0]?.[i] ?? null,
      document: result.documents?.[0]?.[i] ?? null,
      metadata: result.metadatas?.[0]?.[i] ?? null,
      uri: result.uris?.[0]?.[i] ?? null,
      embedding: result.embeddings?.[0]?.[i] ? Array.from(result.embeddings[0][i]) : null,
    });
  }
  return { spec, collection, hits, queryVector, embeddedWith, ranAt: started, tookMs };
}
