/**
 * Sample data for the demo and the UI tests: a few collections of short documents about Chroma, a larger one for
 * paging, and a second database. Vectors come from a hashed bag of words (384-d, L2-normalised): deterministic and
 * good enough for "similar words come back first", and labelled as demo vectors in each collection's metadata.
 */
import { createHash } from 'node:crypto';
import type { ChromaClient, Collection } from '../../src/chroma';

export const DEMO_DIMENSION = 384;

export function demoEmbedding(text: string, dim = DEMO_DIMENSION): number[] {
  const v = new Array<number>(dim).fill(0);
  for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
    const h = createHash('sha1').update(word).digest();
    v[h.readUInt16LE(0) % dim] += h[2] & 1 ? 1 : -1;
  }
  const norm = Math.hypot(...v) || 1;
  return v.map((x) => x / norm);
}

const FACTS = [
  'Chroma is an open-source vector database for AI applications.',
  'A collection holds records: ids, embeddings, documents, metadata and uris.',
  'Embeddings are lists of numbers that capture the meaning of a text.',
  'Query a collection with query embeddings and n_results to find the nearest records.',
  'A where filter narrows results by metadata, with operators like $eq, $in and $gte.',
  'A where_document filter matches on document text with $contains or $regex.',
  'Upsert adds new records and overwrites existing ones with the same id.',
  'The HNSW index finds approximate nearest neighbours quickly.',
  'Distances can be l2, cosine or inner product, set when the collection is created.',
  'Tenants contain databases, and databases contain collections.',
  'The default embedding function is all-MiniLM-L6-v2 with 384 dimensions.',
  'Anonymized telemetry is configured on the Chroma server, not by any client.',
  'Set ANONYMIZED_TELEMETRY=False before chroma run to turn telemetry off.',
  'Chroma Cloud takes its API key in the x-chroma-token header.',
  'The max_batch_size from pre-flight checks limits records per write.',
  'Chunk long files before adding them so that each record stays focused.',
  'Stable ids make re-adding a file an update instead of a duplicate.',
  'Metadata values may be strings, numbers or booleans.',
  'A collection name has 3 to 512 characters from letters, digits, dot, dash and underscore.',
  'Retrieval-augmented generation feeds the nearest documents to a language model.',
];

const SNIPPETS = [
  ['python', 'client = chromadb.PersistentClient(path="./chroma")'],
  ['python', 'collection = client.get_or_create_collection("notes")'],
  ['python', 'collection.add(ids=["a"], documents=["hello"])'],
  ['python', 'results = collection.query(query_texts=["hello"], n_results=3)'],
  ['typescript', 'const client = new ChromaClient({ host: "localhost", port: 8000 });'],
  ['typescript', 'const collection = await client.getOrCreateCollection({ name: "notes" });'],
  ['typescript', 'await collection.upsert({ ids, embeddings, documents });'],
  ['shell', 'chroma run --path ./chroma-data --port 8000'],
  ['shell', 'docker run -p 8000:8000 -e ANONYMIZED_TELEMETRY=False chromadb/chroma'],
  ['yaml', 'environment:\n  - ANONYMIZED_TELEMETRY=False'],
];

const DEMO_META = { demo: true, embedder: 'hashed bag of words, 384-d (demo vectors)' };

async function fill(client: ChromaClient, col: Collection, docs: string[], metas: Array<Record<string, string | number | boolean>>, prefix: string): Promise<void> {
  await client.upsert(col, {
    ids: docs.map((_, i) => `${prefix}-${String(i).padStart(4, '0')}`),
    embeddings: docs.map((d) => demoEmbedding(d)),
    documents: docs,
    metadatas: metas,
  });
}

/** Creates (or refills) the sample collections. Idempotent: stable ids and upsert. */
export async function seedSampleData(client: ChromaClient, opts: { largeRecords?: number } = {}): Promise<string[]> {
  const scope = await client.scope();
  const made: string[] = [];

  const facts = await client.createCollection({ name: 'chroma-facts', metadata: { ...DEMO_META, topic: 'chroma' }, getOrCreate: true });
  await fill(client, facts, FACTS, FACTS.map((_, i) => ({ source: 'facts.md', line: i + 1, topic: i < 10 ? 'basics' : 'operations' })), 'fact');
  made.push(facts.name);

  const code = await client.createCollection({ name: 'code-snippets', metadata: { ...DEMO_META, topic: 'code' }, getOrCreate: true });
  await fill(client, code, SNIPPETS.map(([, s]) => s), SNIPPETS.map(([lang], i) => ({ languageId: lang, source: `snippets/${lang}`, index: i })), 'snippet');
  made.push(code.name);

  const n = opts.largeRecords ?? 2500;
  const large = await client.createCollection({ name: 'paging-demo', metadata: { ...DEMO_META, records: n }, getOrCreate: true });
  const docs = Array.from({ length: n }, (_, i) => `Record ${i}: ${FACTS[i % FACTS.length]}`);
  await fill(client, large, docs, docs.map((_, i) => ({ page: Math.floor(i / 50), even: i % 2 === 0 })), 'rec');
  made.push(large.name);

  await client.createCollection({ name: 'empty-collection', metadata: { note: 'nothing here yet' }, getOrCreate: true });
  made.push('empty-collection');

  try {
    await client.createDatabase('staging', { tenant: scope.tenant });
  } catch {
    // exists already
  }
  const staging = await client.createCollection(
    { name: 'staging-notes', metadata: DEMO_META, getOrCreate: true },
    { scope: { tenant: scope.tenant, database: 'staging' } },
  );
  await fill(client, staging, FACTS.slice(0, 5), FACTS.slice(0, 5).map((_, i) => ({ source: 'staging.md', line: i + 1 })), 'stage');
  made.push('staging/staging-notes');
  return made;
}
