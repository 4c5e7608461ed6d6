/**
 * The click suite's server contents, written straight to the real Chroma server (not through the proxy):
 * - default_database: `notes` (a few records, Chroma's default embedding function) and `bulk-000` … `bulk-248`, one
 *   record each: 250 collections, more than two pages of the tree's 100;
 * - database `paging`: `paged-records`, 120 records, more than two pages of the tree's 50.
 * Vectors are 16-d, the dimension of the tiny default model the workbench's HOME holds, so adding and querying with
 * the default function work.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ChromaClient } from '../../../src/chroma';
import type { Collection } from '../../../src/chroma';
import { ChromaServer } from '../../support/chromaServer';
import { demoEmbedding } from '../../support/sampleData';

export const DIM = 16;
export const DEFAULT_EF = { embedding_function: { type: 'known', name: 'default', config: {} } };
export const BULK = Array.from({ length: 249 }, (_, i) => `bulk-${String(i).padStart(3, '0')}`);
export const NOTES = 'notes';
export const PAGING_DB = 'paging';
export const PAGED = 'paged-records';
export const PAGED_RECORDS = 120;

const NOTE_TEXTS = [
  'Chroma stores embeddings next to documents and metadata.',
  'A collection holds records: ids, embeddings, documents, metadata and uris.',
  'Query a collection with text to find the nearest records.',
  'The HNSW index finds approximate nearest neighbours quickly.',
  'Tenants contain databases, and databases contain collections.',
];

async function fill(client: ChromaClient, col: Collection, docs: string[], idOf: (i: number) => string): Promise<void> {
  await client.upsert(col, {
    ids: docs.map((_, i) => idOf(i)),
    embeddings: docs.map((d) => demoEmbedding(d, DIM)),
    documents: docs,
  });
}

/** Runs `fn` over `items`, `width` at a time. */
async function each<T>(items: readonly T[], width: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        await fn(items[next++]);
      }
    }),
  );
}

export async function seed(client: ChromaClient): Promise<void> {
  const notes = await client.createCollection({ name: NOTES, configuration: DEFAULT_EF });
  await fill(client, notes, NOTE_TEXTS, (i) => `note-${i}`);
  await each(BULK, 8, async (name) => {
    const col = await client.createCollection({ name });
    await fill(client, col, [`${name}: one record`], () => `${name}-0`);
  });
  const scope = await client.scope();
  await client.createDatabase(PAGING_DB, { tenant: scope.tenant });
  const paged = await client.createCollection({ name: PAGED, configuration: DEFAULT_EF }, { scope: { tenant: scope.tenant, database: PAGING_DB } });
  const docs = Array.from({ length: PAGED_RECORDS }, (_, i) => `Record ${i}: ${NOTE_TEXTS[i % NOTE_TEXTS.length]}`);
  await fill(client, paged, docs, (i) => `rec-${String(i).padStart(4, '0')}`);
}

/** `<workspace>/data`: a Chroma data folder written by the pinned Chroma (1.0.0), holding one empty collection. */
export async function writeDataFolder(workspace: string, collection: string): Promise<string> {
  const data = join(workspace, 'data');
  mkdirSync(data);
  const server = await ChromaServer.start({ path: data, kind: '1.0.0' });
  try {
    await new ChromaClient({ url: server.url }).createCollection({ name: collection });
  } finally {
    await server.stop();
  }
  return data;
}
