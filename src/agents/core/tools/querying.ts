/**
 * One semantic query for the query, search and show tools: texts embedded with the collection's own function, then
 * queried, a server's complaint about the filter explained by the part of the filter it is about. No `vscode` here.
 */
import { ChromaInvalidArgumentError } from '../../../chroma/errors';
import type { Collection, Include, QueryResult, Where, WhereDocument } from '../../../chroma/types';
import { embedTexts } from '../embedding';
import { explainFilterError } from '../shared';
import type { QueryHit } from '../shared';
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
