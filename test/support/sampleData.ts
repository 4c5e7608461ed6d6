/**
 * Sample data for the demo (demoData.ts seeds it) and the tests: a few collections of short documents about Chroma,
 * a larger one for paging, an empty one, and one in a second database. Also `demoEmbedding`, the "demo vectors": a
 * hashed bag of words (384-d, L2-normalised), deterministic and good enough for "similar words come back first",
 * which the tests use wherever a real model is not the point.
 */
import { createHash } from 'node:crypto';
import type { Metadata } from '../../src/chroma';

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

export const FACTS = [
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

type Values = Record<string, string | number | boolean>;

/**
 * paging-demo's records repeat one fact per topic, so that their vectors form one group per `topic` (with the demo
 * vectors and with a real model alike): the Collection Overview coloured by `topic` shows them (media/readme/overview.png).
 */
const TOPICS: readonly [topic: string, fact: number][] = [
  ['basics', 0],
  ['embeddings', 2],
  ['querying', 3],
  ['filters', 4],
  ['writing', 6],
  ['operations', 12],
];

/** One sample collection and its records. */
export interface SampleCollection {
  name: string;
  /** Its database; the tenant's default database when absent. */
  database?: string;
  metadata: Metadata;
  ids: string[];
  documents: string[];
  metadatas: Values[];
}

function records(prefix: string, documents: string[], metadatas: Values[]): Pick<SampleCollection, 'ids' | 'documents' | 'metadatas'> {
  return { ids: documents.map((_, i) => `${prefix}-${String(i).padStart(4, '0')}`), documents, metadatas };
}

/** The demo's collections, in the order they are made. `largeRecords`: how many records paging-demo holds (2,500). */
export function sampleCollections(opts: { largeRecords?: number } = {}): SampleCollection[] {
  const n = opts.largeRecords ?? 2500;
  const topics = Array.from({ length: n }, (_, i) => TOPICS[i % TOPICS.length]);
  const large = topics.map(([, fact], i) => `Record ${i}: ${FACTS[fact]}`);
  return [
    {
      name: 'chroma-facts',
      metadata: { demo: true, topic: 'chroma' },
      ...records('fact', FACTS, FACTS.map((_, i) => ({ source: 'facts.md', line: i + 1, topic: i < 10 ? 'basics' : 'operations' }))),
    },
    {
      name: 'code-snippets',
      metadata: { demo: true, topic: 'code' },
      ...records('snippet', SNIPPETS.map(([, s]) => s), SNIPPETS.map(([lang], i) => ({ languageId: lang, source: `snippets/${lang}`, index: i }))),
    },
    { name: 'paging-demo', metadata: { demo: true, records: n }, ...records('rec', large, topics.map(([topic], i) => ({ page: Math.floor(i / 50), even: i % 2 === 0, topic }))) },
    { name: 'empty-collection', metadata: { demo: true, note: 'nothing here yet' }, ...records('empty', [], []) },
    {
      name: 'staging-notes',
      database: 'staging',
      metadata: { demo: true },
      ...records('stage', FACTS.slice(0, 5), FACTS.slice(0, 5).map((_, i) => ({ source: 'staging.md', line: i + 1 }))),
    },
  ];
}
