/**
 * Delete Records Matching…: the records a `where` / `where_document` filter matches are first counted (their ids
 * read page by page), then deleted by id, a batch at a time, never by an open-ended delete-by-filter whose effect
 * could not be reported. Each batch is a page of ids read with the filter and deleted by those ids, so the count
 * deleted is exact; a cancel stops between batches (a batch sent is always finished). No `vscode` here.
 */
import type { ChromaClient, CollectionRef } from '../../chroma/client';
import { ChromaInvalidArgumentError, ChromaUnexpectedResponseError } from '../../chroma/errors';
import type { Where, WhereDocument } from '../../chroma/types';

export interface MatchFilter {
  where?: Where;
  whereDocument?: WhereDocument;
}

/** Ids per read and per delete: one request each way per batch. */
export const DEFAULT_BATCH = 1_000;
/** Ids named in the confirmation. */
export const PREVIEW_IDS = 10;

export interface MatchCount {
  /** Records that match, counted id by id. */
  count: number;
  /** The first few matching ids, for the confirmation. */
  firstIds: string[];
}

export interface DeleteOutcome {
  deleted: number;
  /** The user cancelled: the records not deleted yet are still there. */
  cancelled: boolean;
  /** More records match than were confirmed (added since the count): left for another run. */
  moreRemain: boolean;
}

export interface RunOptions {
  /** Checked between batches; the batch in flight is finished first, so the count stays exact. */
  signal?: AbortSignal;
  batchSize?: number;
  onProgress?: (done: number) => void;
}

const hasKeys = (v: object | undefined): boolean => v !== undefined && v !== null && Object.keys(v).length > 0;

export function isEmptyMatchFilter(filter: MatchFilter | undefined): boolean {
  return !filter || (!hasKeys(filter.where) && !hasKeys(filter.whereDocument));
}

/** The batch size within the server's documented limits (Chroma Cloud: 300 per read and per write). */
function batchFor(client: ChromaClient, asked: number | undefined): number {
  const limits = client.limits;
  return Math.max(1, Math.min(asked ?? DEFAULT_BATCH, limits.maxRecordsPerRead ?? Infinity, limits.maxRecordsPerWrite ?? Infinity));
}

function refuseEmpty(filter: MatchFilter): void {
  if (isEmptyMatchFilter(filter)) {
    throw new ChromaInvalidArgumentError('The filter is empty: it would match every record. To empty a collection, delete and re-create it.');
  }
}

/** Counts the records matching `filter`, reading only their ids. Throws an abort error when `signal` fires. */
export async function countMatches(client: ChromaClient, collection: CollectionRef, filter: MatchFilter, opts: RunOptions = {}): Promise<MatchCount> {
  refuseEmpty(filter);
  const pageSize = batchFor(client, opts.batchSize);
  const firstIds: string[] = [];
  let count = 0;
  for await (const page of client.iterateRecords(collection, { where: filter.where, whereDocument: filter.whereDocument, include: [], pageSize }, { signal: opts.signal })) {
    for (const id of page.ids) {
      if (firstIds.length < PREVIEW_IDS) {
        firstIds.push(id);
      }
    }
    count += page.ids.length;
    opts.onProgress?.(count);
  }
  return { count, firstIds };
}

/**
 * Deletes the records matching `filter`, at most `max` of them (what the user confirmed): reads a batch of matching
 * ids from the start, deletes exactly those, and goes on until none match, `max` are deleted, or `signal` fires.
 */
export async function deleteMatching(
  client: ChromaClient,
  collection: CollectionRef,
  filter: MatchFilter,
  max: number,
  opts: RunOptions = {},
): Promise<DeleteOutcome> {
  refuseEmpty(filter);
  const batch = batchFor(client, opts.batchSize);
  let deleted = 0;
  let previous = new Set<string>();
  for (;;) {
    if (opts.signal?.aborted) {
      return { deleted, cancelled: true, moreRemain: false };
    }
    const room = max - deleted;
    const page = await client.get(collection, {
      where: filter.where,
      whereDocument: filter.whereDocument,
      include: [],
      limit: Math.max(1, Math.min(batch, room)),
      offset: 0,
    });
    if (page.ids.length === 0) {
      return { deleted, cancelled: false, moreRemain: false };
    }
    if (room <= 0) {
      return { deleted, cancelled: false, moreRemain: true };
    }
    // A server that still lists what it was just told to delete would make this loop count records twice.
    if (page.ids.some((id) => previous.has(id))) {
      throw new ChromaUnexpectedResponseError(
        `Chroma still lists records it was asked to delete, so the deletion stopped after ${deleted.toLocaleString('en-US')}. Refresh the collection and run it again.`,
        { operation: 'POST …/delete' },
      );
    }
    // no signal here: a delete that was sent is seen through, so the number reported is what was deleted
    await client.delete(collection, { ids: page.ids });
    deleted += page.ids.length;
    previous = new Set(page.ids);
    opts.onProgress?.(deleted);
  }
}
