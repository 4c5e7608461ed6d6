/**
 * Reading and deleting records: count, get (in pages where the server documents a per-read limit), page through
 * all, query, search, delete by ids or filters. Filters are checked against what the server's generation takes
 * before sending, and sent as JSON text only when a `$in` list mixes whole and decimal numbers (decimals.ts).
 * No `vscode` here.
 */
import { colPath } from './caller';
import type { ApiCaller } from './caller';
import type { CollectionRef, Signal } from './clientTypes';
import { hasMixedNumberList, jsonWithDecimalLists } from './decimals';
import { encodeEmbeddings } from './encoding';
import { ChromaInvalidArgumentError } from './errors';
import type { Server } from './server';
import { anyShape, countShape, getResultShape, queryResultShape, searchResultShape } from './shapes';
import type { DeleteParams, GetParams, GetResult, Include, QueryParams, QueryResult, SearchRequest, SearchResult } from './types';
import { validatePaging, validateQueryEmbeddings, validateResultCount } from './validate';

/** The smaller of the bounds that are set. */
function atMost(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.min(a, b);
}

/** A body with a filter: as it is, or as JSON text when its where has a list mixing whole and decimal numbers. */
function filterBody(body: Record<string, unknown> & { where?: unknown }): object | string {
  return body.where !== undefined && hasMixedNumberList(body.where) ? jsonWithDecimalLists(body) : body;
}

/** Pages of one get, in order, as one result. */
function joinResults(pages: GetResult[]): GetResult {
  if (pages.length === 1) {
    return pages[0];
  }
  const join = <T>(pick: (p: GetResult) => T[] | null): T[] | null =>
    pages.every((p) => pick(p) === null) ? null : pages.flatMap((p) => pick(p) ?? new Array<T>(p.ids.length).fill(null as T));
  return {
    ...pages[0],
    ids: pages.flatMap((p) => p.ids),
    embeddings: join((p) => p.embeddings),
    documents: join((p) => p.documents),
    metadatas: join((p) => p.metadatas),
    uris: join((p) => p.uris),
  };
}

export class Records {
  constructor(
    private readonly caller: ApiCaller,
    private readonly server: Server,
  ) {}

  async count(collection: CollectionRef, opts: Signal = {}): Promise<number> {
    return this.caller.call('GET', `${colPath(collection)}/count`, countShape, opts);
  }

  async delete(collection: CollectionRef, params: DeleteParams, opts: Signal = {}): Promise<void> {
    const hasFilter =
      (params.ids && params.ids.length > 0) ||
      (params.where && Object.keys(params.where).length > 0) ||
      (params.whereDocument && Object.keys(params.whereDocument).length > 0);
    if (!hasFilter) {
      throw new ChromaInvalidArgumentError('Refusing to delete with no ids and no filter. To empty a collection, delete and re-create it.');
    }
    await this.server.checkFilterSupport(params, opts);
    await this.caller.call('POST', `${colPath(collection)}/delete`, anyShape, {
      signal: opts.signal,
      idempotent: true,
      body: filterBody({ ids: params.ids, where: params.where, where_document: params.whereDocument }),
    });
  }

  async get(collection: CollectionRef, params: GetParams = {}, opts: Signal = {}): Promise<GetResult> {
    validatePaging(params.limit, params.offset);
    await this.server.checkFilterSupport(params, opts);
    const max = this.server.limits.maxRecordsPerRead;
    if (max === undefined) {
      return this.getPage(collection, params, opts);
    }
    if (params.ids && params.ids.length > max) {
      return this.getByIdChunks(collection, params, params.ids, max, opts);
    }
    return (params.limit ?? Infinity) <= max ? this.getPage(collection, params, opts) : this.getInPages(collection, params, max, opts);
  }

  /** More ids than one read may return: chunks of `max` ids, joined. */
  private async getByIdChunks(collection: CollectionRef, params: GetParams, ids: string[], max: number, opts: Signal): Promise<GetResult> {
    if (params.limit !== undefined || params.offset !== undefined) {
      throw new ChromaInvalidArgumentError(
        `A get of ${ids.length.toLocaleString('en-US')} ids with a limit or offset is over the limit: Chroma Cloud returns at most ${max} records per read. ` +
          `Ask for ${max} ids or fewer at a time.`,
      );
    }
    const pages: GetResult[] = [];
    for (let i = 0; i < ids.length; i += max) {
      pages.push(await this.getPage(collection, { ...params, ids: ids.slice(i, i + max) }, opts));
    }
    return joinResults(pages);
  }

  /** A limit over what one read may return: pages of `max` from the offset, joined. */
  private async getInPages(collection: CollectionRef, params: GetParams, max: number, opts: Signal): Promise<GetResult> {
    const wanted = params.limit ?? Infinity;
    const pages: GetResult[] = [];
    const start = params.offset ?? 0;
    let got = 0;
    let previous: string | undefined;
    for (;;) {
      const ask = Math.min(max, wanted - got);
      const page = await this.getPage(collection, { ...params, limit: ask, offset: start + got }, opts);
      previous = this.caller.checkNextPage('POST …/get', start + got, previous, page.ids[0]);
      pages.push(page);
      got += page.ids.length;
      if (page.ids.length < ask || got >= wanted) {
        return joinResults(pages);
      }
    }
  }

  private getPage(collection: CollectionRef, params: GetParams, opts: Signal): Promise<GetResult> {
    return this.caller.call('POST', `${colPath(collection)}/get`, getResultShape({ limit: atMost(params.limit, params.ids?.length) }), {
      signal: opts.signal,
      idempotent: true,
      body: filterBody({
        ids: params.ids,
        where: params.where,
        where_document: params.whereDocument,
        limit: params.limit,
        offset: params.offset,
        include: params.include ?? ['documents', 'metadatas'],
      }),
    });
  }

  async *iterate(
    collection: CollectionRef,
    params: Omit<GetParams, 'limit' | 'offset'> & { pageSize?: number } = {},
    opts: Signal = {},
  ): AsyncGenerator<GetResult, void, undefined> {
    const { pageSize: asked = 100, ...rest } = params;
    // Chroma Cloud returns at most 300 records per read: pages are no larger.
    const pageSize = Math.min(asked, this.server.limits.maxRecordsPerRead ?? asked);
    let previous: string | undefined;
    for (let offset = 0; ; offset += pageSize) {
      const page = await this.get(collection, { ...rest, limit: pageSize, offset }, opts);
      previous = this.caller.checkNextPage('POST …/get', offset, previous, page.ids[0]);
      if (page.ids.length > 0) {
        yield page;
      }
      if (page.ids.length < pageSize) {
        return;
      }
    }
  }

  async query(collection: CollectionRef, params: QueryParams, opts: Signal = {}): Promise<QueryResult> {
    validateQueryEmbeddings(params.queryEmbeddings, collection.dimension, this.server.limits);
    const nResults = params.nResults ?? 10;
    if (!Number.isInteger(nResults) || nResults < 1) {
      throw new ChromaInvalidArgumentError(`nResults must be a whole number ≥ 1 (got ${nResults}).`);
    }
    validateResultCount(nResults, this.server.limits);
    await this.server.checkFilterSupport(params, opts);
    const include: Include[] = params.include ?? ['documents', 'metadatas', 'distances'];
    const shape = queryResultShape({ queries: params.queryEmbeddings.length, nResults });
    return this.caller.call('POST', `${colPath(collection)}/query`, shape, {
      signal: opts.signal,
      idempotent: true,
      body: filterBody({
        query_embeddings: encodeEmbeddings(params.queryEmbeddings, false),
        n_results: nResults,
        where: params.where,
        where_document: params.whereDocument,
        ids: params.ids,
        include,
      }),
    });
  }

  async search(collection: CollectionRef, body: SearchRequest, opts: Signal = {}): Promise<SearchResult> {
    if (!body || !Array.isArray(body.searches) || body.searches.length === 0) {
      throw new ChromaInvalidArgumentError('No searches given: pass at least one search in "searches".');
    }
    try {
      const result = await this.caller.call('POST', `${colPath(collection)}/search`, searchResultShape(body.searches.length), {
        signal: opts.signal,
        idempotent: true,
        body,
      });
      this.server.learn('search', { support: 'yes', how: 'a search worked' });
      return result;
    } catch (e) {
      throw this.server.featureError(
        'search',
        e,
        'does not support the search API',
        'Search is Chroma Cloud only for now; use Query for nearest neighbours on this server.',
      );
    }
  }
}
