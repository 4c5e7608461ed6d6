/**
 * One semantic query for the query, search and show tools: texts embedded with the collection's own function, then
 * queried, a server's complaint about the filter explained by the part of the filter it is about. No `vscode` here.
 */
import { ChromaInvalidArgumentError } from '../../../chroma/errors';
import type { Collection, Include, QueryResult, Where, WhereDocument } from '../../../chroma/types';
import { embedTexts } from '../embedding';
import { explainFilterError, looksStale } from '../shared';
import type { QueryHit, QuerySpec } from '../shared';
import { collectionNamed } from './common';
import type { ToolRun } from './common';

export interface TextQuery {
  texts: readonly string[];
  nResults: number;
  where?: Where;
  whereDocument?: WhereDocument;
  include: Include[];
}

export interface TextQueryResult {
  result: QueryResult;
  vectors: number[][];
  functionName: string;
  /** When the query was sent (epoch ms) and how long the server took (ms). */
  ranAt: number;
  tookMs: number;
}

/**
 * Looks the collection up (or takes it from `r.collections`, when it was looked up in the last seconds) and
 * queries it; a remembered collection that turns out gone or re-created is looked up again, once, as the query
 * workbench does.
 */
export async function queryNamed(r: ToolRun, name: string, q: TextQuery): Promise<TextQueryResult & { collection: Collection }> {
  const key = { connection: r.at.connection, tenant: r.at.tenant, database: r.at.database, collection: name } as QuerySpec;
  const cached = r.collections?.get(key);
  if (cached) {
    try {
      return { ...(await queryTexts(r, cached, q)), collection: cached };
    } catch (e) {
      if (!looksStale(e)) {
        throw e;
      }
      r.collections?.forget(key);
    }
  }
  const collection = await collectionNamed(r, name);
  r.collections?.set(key, collection);
  return { ...(await queryTexts(r, collection, q)), collection };
}

export async function queryTexts(r: ToolRun, collection: Collection, q: TextQuery): Promise<TextQueryResult> {
  const { vectors, functionName } = await embedTexts(r.ctx, r.at, collection, q.texts, r.signal);
  const filter = { where: q.where, whereDocument: q.whereDocument };
  const ranAt = Date.now();
  try {
    const result = await r.at.client.query(
      collection,
      { queryEmbeddings: vectors, nResults: q.nResults, where: q.where, whereDocument: q.whereDocument, include: q.include },
      { signal: r.signal },
    );
    return { result, vectors, functionName, ranAt, tookMs: Date.now() - ranAt };
  } catch (e) {
    const explained = q.where || q.whereDocument ? explainFilterError(e, filter) : undefined;
    throw explained ? new ChromaInvalidArgumentError(explained, { cause: e }) : e;
  }
}

/** The hits of query number `n` in rank order, as the Results view takes them. */
export function hitsOf(result: QueryResult, n: number): QueryHit[] {
  const ids = result.ids[n] ?? [];
  return ids.map((id, i) => ({
    rank: i + 1,
    id,
    distance: result.distances?.[n]?.[i] ?? null,
    document: result.documents?.[n]?.[i] ?? null,
    metadata: result.metadatas?.[n]?.[i] ?? null,
    uri: result.uris?.[n]?.[i] ?? null,
    embedding: result.embeddings?.[n]?.[i] ? Array.from(result.embeddings[n][i]) : null,
  }));
}
