/** Read-only text views of a record and of a collection, and the `chroma:` URIs that address them. No `vscode`. */
import type { Collection, GetResult, Metadata } from '../chroma/types';

export const RECORD_SCHEME = 'chroma';

export interface RecordAddress {
  connection: string;
  tenant: string;
  database: string;
  collectionId: string;
  /** The collection's name when the address was made (ids are what count; names can change). */
  collectionName: string;
  /** undefined: the collection itself. */
  recordId?: string;
}

const enc = encodeURIComponent;

/**
 * Path and query of a `chroma:` URI: /connection/tenant/database/collectionId[/recordId].md, each part encoded,
 * and `name=<collection name>` as the query.
 */
export function addressToUriParts(a: RecordAddress): { path: string; query: string } {
  const parts = [a.connection, a.tenant, a.database, a.collectionId, ...(a.recordId !== undefined ? [a.recordId] : [])];
  return { path: `/${parts.map(enc).join('/')}.md`, query: `name=${enc(a.collectionName)}` };
}

export function uriPartsToAddress(path: string, query: string): RecordAddress | undefined {
  const parts = path.replace(/^\//, '').replace(/\.md$/, '').split('/');
  if (parts.length !== 4 && parts.length !== 5) {
    return undefined;
  }
  try {
    const [connection, tenant, database, collectionId, recordId] = parts.map((p) => decodeURIComponent(p));
    const collectionName = decodeURIComponent(new URLSearchParams(query).get('name') ?? '') || collectionId;
    return { connection, tenant, database, collectionId, collectionName, recordId };
  } catch {
    return undefined;
  }
}

/** A one-line start of a document, for tree descriptions. */
export function preview(text: string | null | undefined, max = 80): string {
  if (!text) {
    return '';
  }
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

export interface EmbeddingSummary {
  dimension: number;
  norm: number;
  first: number[];
}

export function summarizeEmbedding(e: ArrayLike<number>, firstCount = 8): EmbeddingSummary {
  let sq = 0;
  for (let i = 0; i < e.length; i++) {
    sq += e[i] * e[i];
  }
  return { dimension: e.length, norm: Math.sqrt(sq), first: Array.from({ length: Math.min(firstCount, e.length) }, (_, i) => e[i]) };
}

function fence(text: string, lang = ''): string {
  const ticks = '`'.repeat(Math.max(3, ...[...text.matchAll(/`+/g)].map((m) => m[0].length + 1)));
  return `${ticks}${lang}\n${text}\n${ticks}`;
}

function metadataBlock(m: Metadata | null | undefined): string {
  return m && Object.keys(m).length ? fence(JSON.stringify(m, null, 2), 'json') : '_none_';
}

export function embeddingFunctionLabel(c: Collection): string {
  const ef = c.configuration_json?.embedding_function;
  if (!ef || ef.type === 'legacy' || !ef.name) {
    return 'none stored (legacy)';
  }
  return ef.name;
}

export function distanceSpace(c: Collection): string {
  const cfg = c.configuration_json;
  const space = (cfg?.hnsw as { space?: string } | null | undefined)?.space ?? (cfg?.spann as { space?: string } | null | undefined)?.space;
  return space ?? 'l2';
}

export function formatRecord(collection: Collection, result: GetResult, recordId: string): string {
  const i = result.ids.indexOf(recordId);
  if (i < 0) {
    return `# ${recordId}\n\nThis record is not in collection \`${collection.name}\` any more. Refresh the tree.\n`;
  }
  const doc = result.documents?.[i];
  const emb = result.embeddings?.[i];
  const uri = result.uris?.[i];
  const lines = [
    `# ${recordId}`,
    '',
    `Collection \`${collection.name}\` (${collection.id}) in ${collection.tenant}/${collection.database}`,
    '',
    '## Document',
    '',
    doc === null || doc === undefined ? '_none_' : fence(doc),
    '',
    '## Metadata',
    '',
    metadataBlock(result.metadatas?.[i]),
    '',
  ];
  if (uri) {
    lines.push('## URI', '', uri, '');
  }
  lines.push('## Embedding', '');
  if (emb) {
    const s = summarizeEmbedding(emb);
    lines.push(
      `- dimension: ${s.dimension}`,
      `- norm: ${s.norm.toFixed(6)}`,
      `- first values: [${s.first.map((v) => v.toFixed(6)).join(', ')}${s.dimension > s.first.length ? ', …' : ''}]`,
      '',
    );
  } else {
    lines.push('_none_', '');
  }
  return lines.join('\n');
}

export function formatCollection(c: Collection, count: number | undefined, sample: GetResult): string {
  const lines = [
    `# ${c.name}`,
    '',
    `- id: ${c.id}`,
    `- tenant / database: ${c.tenant} / ${c.database}`,
    `- records: ${count ?? 'unknown'}`,
    `- dimension: ${c.dimension ?? 'not set yet (no records)'}`,
    `- distance: ${distanceSpace(c)}`,
    `- embedding function: ${embeddingFunctionLabel(c)}`,
    '',
    '## Metadata',
    '',
    metadataBlock(c.metadata),
    '',
    '## Configuration',
    '',
    fence(JSON.stringify(c.configuration_json ?? {}, null, 2), 'json'),
    '',
    `## First ${sample.ids.length} records`,
    '',
  ];
  sample.ids.forEach((id, i) => {
    lines.push(`- \`${id}\`: ${preview(sample.documents?.[i], 120) || '_no document_'}`);
  });
  lines.push('');
  return lines.join('\n');
}

/** A query's results as Markdown: rank, id, distance, document start and metadata. */
export function formatQueryResults(
  collection: Collection,
  queryText: string,
  functionName: string,
  result: { ids: string[][]; distances: (number | null)[][] | null; documents: (string | null)[][] | null; metadatas: (Metadata | null)[][] | null },
): string {
  const lines = [
    `# Query: ${preview(queryText, 100)}`,
    '',
    `Collection \`${collection.name}\` in ${collection.tenant}/${collection.database}, embedded with \`${functionName}\`, ${result.ids[0]?.length ?? 0} nearest records.`,
    '',
  ];
  (result.ids[0] ?? []).forEach((id, i) => {
    const distance = result.distances?.[0]?.[i];
    lines.push(`## ${i + 1}. \`${id}\`${distance === null || distance === undefined ? '' : ` · distance ${distance.toFixed(4)}`}`, '');
    lines.push(preview(result.documents?.[0]?.[i], 400) || '_no document_', '');
    const m = result.metadatas?.[0]?.[i];
    if (m && Object.keys(m).length) {
      lines.push(fence(JSON.stringify(m), 'json'), '');
    }
  });
  return lines.join('\n');
}
