/**
 * Read-only Markdown views of a collection and of query results, and the tree's tooltips (a record itself opens as
 * JSON: src/records/core/recordFile.ts). Everything a server sent is escaped (or put in code spans and fences that
 * fit it) and cut to a bounded size before it is formatted. No `vscode`.
 */
import { distanceSpace } from '../../chroma/distance';
import type { Collection, GetResult, IndexingStatus, Metadata } from '../../chroma/types';
import { describeAuth } from '../../connections/core/connectionConfig';
import type { ConnectionConfig } from '../../connections/core/connectionConfig';
import { boundedJson, codeFence, codeLine, displayLine, formatCount, hasOwnKeys, markdownLine } from '../../util/text';
import type { CollectionNode, RecordNode } from './model';

/** A one-line start of a document, for tree descriptions: only a bounded prefix is read, then cleaned and cut. */
export function preview(text: string | null | undefined, max = 80): string {
  return displayLine(text, max);
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

/** How much of each part of a record a view shows; the rest is cut with a note saying how much. */
export const VIEW_LIMITS = {
  /** Characters of metadata or configuration JSON in the collection view. */
  json: 20_000,
  /** Characters of an id or name in a heading or list line. */
  name: 200,
  /** Characters of metadata JSON per query result, and in a tooltip. */
  smallJson: 2_000,
} as const;


export function jsonBlock(value: unknown, max: number, indent = 2): string {
  const json = boundedJson(value, max, indent);
  const block = codeFence(json.text, 'json');
  return json.truncated ? `${block}\n\n_Cut at ${formatCount(max)} characters._` : block;
}

function metadataBlock(m: Metadata | null | undefined, max: number = VIEW_LIMITS.json): string {
  return hasOwnKeys(m) ? jsonBlock(m, max) : '_none_';
}

export function numberText(v: unknown, digits: number): string {
  return typeof v === 'number' ? v.toFixed(digits) : markdownLine(String(v), 40);
}

// The configuration is free-form JSON from the server: read each field only when it has the expected type.
const objectOf = (v: unknown): Record<string, unknown> | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
const stringOf = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

export function embeddingFunctionLabel(c: Collection): string {
  const ef = objectOf(c.configuration_json?.embedding_function);
  const name = stringOf(ef?.name);
  return !ef || ef.type === 'legacy' || !name ? 'none stored (legacy)' : name;
}

/** The distance, from wherever the collection's server version keeps it (see src/chroma/distance.ts). */
export { distanceSpace };

/** What newer servers add to a collection's views, fetched apart from the collection itself. */
export interface CollectionExtras {
  /** Its indexing status, or why it could not be read; undefined where the server reports none. */
  indexing?: IndexingStatus | { error: string };
}

/** "1,234 of 1,300 operations indexed (95%); 66 waiting", from checked whole numbers. */
export function indexingText(indexing: IndexingStatus | { error: string }): string {
  if ('error' in indexing) {
    return `could not be read: ${markdownLine(indexing.error, 300)}`;
  }
  const { num_indexed_ops: done, num_unindexed_ops: waiting, total_ops: total } = indexing;
  if (waiting === 0) {
    return `up to date (${formatCount(total)} operation${total === 1 ? '' : 's'} indexed)`;
  }
  const percent = Math.floor(indexing.op_indexing_progress * 100);
  return `${formatCount(done)} of ${formatCount(total)} operations indexed (${percent}%); ${formatCount(waiting)} waiting`;
}

/** Our names for the index types a collection schema lists; others are shown as the server names them. */
const INDEX_NAMES: Record<string, string> = {
  fts_index: 'full-text',
  string_inverted_index: 'string filter',
  int_inverted_index: 'int filter',
  float_inverted_index: 'float filter',
  bool_inverted_index: 'bool filter',
  vector_index: 'vector',
  sparse_vector_index: 'sparse vector',
};

export interface SchemaEntry {
  /** A key such as `#document`, or undefined for the defaults. */
  key?: string;
  /** Enabled indexes, e.g. "vector (cosine)". Server text: escape before display. */
  indexes: string[];
}

/**
 * The enabled indexes of a collection schema (newer servers): `{defaults: {valueType: {indexType: {enabled, config}}},
 * keys: {key: {…same…}}}`. Free-form server JSON: each field is read only when it has the expected type.
 */
export function schemaEntries(schema: unknown): SchemaEntry[] {
  const enabled = (types: unknown): string[] => {
    const out: string[] = [];
    for (const byIndex of Object.values(objectOf(types) ?? {})) {
      for (const [index, value] of Object.entries(objectOf(byIndex) ?? {})) {
        const v = objectOf(value);
        if (v?.enabled === true) {
          const space = stringOf(objectOf(v.config)?.space);
          const name = INDEX_NAMES[index] ?? index;
          out.push(space ? `${name} (${space})` : name);
        }
      }
    }
    return out;
  };
  const root = objectOf(schema);
  if (!root) {
    return [];
  }
  const entries: SchemaEntry[] = Object.entries(objectOf(root.keys) ?? {}).map(([key, types]) => ({ key, indexes: enabled(types) }));
  if (root.defaults !== undefined) {
    entries.push({ indexes: enabled(root.defaults) });
  }
  return entries;
}

/** Markdown list items for schema entries: at most `max` of them, names and index lists cut and escaped. */
function schemaLines(entries: SchemaEntry[], max: number, indent = ''): string[] {
  const lines = entries.slice(0, max).map((e) => {
    const what = e.indexes.length ? markdownLine(e.indexes.join(', '), 120) : 'no index';
    return `${indent}- ${e.key === undefined ? 'other keys' : codeLine(e.key, 60)}: ${what}`;
  });
  if (entries.length > max) {
    lines.push(`${indent}- and ${formatCount(entries.length - max)} more`);
  }
  return lines;
}

/** "in `tenant`/`database`" */
export function where(c: Collection): string {
  return `${codeLine(c.tenant, VIEW_LIMITS.name)}/${codeLine(c.database, VIEW_LIMITS.name)}`;
}

export function formatCollection(c: Collection, count: number | undefined, sample: GetResult, extras: CollectionExtras = {}): string {
  const lines = [
    `# ${codeLine(c.name, VIEW_LIMITS.name)}`,
    '',
    `- id: ${codeLine(c.id, VIEW_LIMITS.name)}`,
    `- tenant / database: ${codeLine(c.tenant, VIEW_LIMITS.name)} / ${codeLine(c.database, VIEW_LIMITS.name)}`,
    `- records: ${count === undefined ? 'unknown' : markdownLine(String(count), 40)}`,
    `- dimension: ${c.dimension === null || c.dimension === undefined ? 'not set yet (no records)' : markdownLine(String(c.dimension), 40)}`,
    `- distance: ${markdownLine(distanceSpace(c), VIEW_LIMITS.name)}`,
    `- embedding function: ${markdownLine(embeddingFunctionLabel(c), VIEW_LIMITS.name)}`,
  ];
  if (extras.indexing) {
    lines.push(`- indexing: ${indexingText(extras.indexing)}`);
  }
  lines.push('', '## Metadata', '', metadataBlock(c.metadata), '', '## Configuration', '', jsonBlock(c.configuration_json ?? {}, VIEW_LIMITS.json), '');
  if (objectOf(c.schema)) {
    lines.push('## Schema', '', 'Enabled indexes per key:', '', ...schemaLines(schemaEntries(c.schema), 50), '', jsonBlock(c.schema, VIEW_LIMITS.json), '');
  }
  lines.push(`## First ${sample.ids.length} records`, '');
  sample.ids.forEach((id, i) => {
    lines.push(`- ${codeLine(id, VIEW_LIMITS.name)}: ${markdownLine(preview(sample.documents?.[i], 120), 120) || '_no document_'}`);
  });
  lines.push('');
  return lines.join('\n');
}

// Tooltips of the explorer's tree: Markdown with every server string escaped or in a code span, a few KB at most.

/** The most characters a tree tooltip's Markdown may have. */
export const TOOLTIP_MAX_CHARS = 4_096;

export function connectionTooltip(c: ConnectionConfig): string {
  return [
    `**${markdownLine(c.name, VIEW_LIMITS.name)}**`,
    '',
    `- URL: ${codeLine(c.url, 300)}`,
    `- tenant: ${c.tenant ? codeLine(c.tenant, VIEW_LIMITS.name) : 'from the server (/auth/identity)'}`,
    `- database: ${c.database ? codeLine(c.database, VIEW_LIMITS.name) : 'all of the tenant'}`,
    `- auth: ${describeAuth(c.authHeader)}`,
  ].join('\n');
}

/** The tooltip, with what newer servers add where known (`extras`, fetched on hover). */
export function collectionTooltip(node: CollectionNode, extras: CollectionExtras = {}): string {
  const c = node.collection;
  const count = node.count !== undefined ? formatCount(node.count) : node.countError ? markdownLine(node.countError, 300) : 'counting…';
  const lines = [
    `**${markdownLine(c.name, VIEW_LIMITS.name)}**`,
    '',
    `- id: ${codeLine(c.id, VIEW_LIMITS.name)}`,
    `- records: ${count}`,
    `- dimension: ${c.dimension === null || c.dimension === undefined ? 'not set yet' : markdownLine(String(c.dimension), 40)}`,
    `- distance: ${markdownLine(distanceSpace(c), 100)}`,
    `- embedding function: ${markdownLine(embeddingFunctionLabel(c), 100)}`,
  ];
  if (extras.indexing) {
    lines.push(`- indexing: ${indexingText(extras.indexing)}`);
  }
  const tail: string[] = [];
  if (hasOwnKeys(c.metadata)) {
    const json = boundedJson(c.metadata, VIEW_LIMITS.smallJson);
    tail.push('', codeFence(json.text, 'json'));
  }
  if (objectOf(c.schema)) {
    // the schema's lines only where they fit the tooltip's budget; else a pointer to the collection's page
    const entries = schemaEntries(c.schema);
    const full = ['- schema (enabled indexes):', ...schemaLines(entries, 6, '  ')];
    const size = (parts: string[]) => parts.reduce((n, l) => n + l.length + 1, 0);
    lines.push(...(size(lines) + size(full) + size(tail) <= TOOLTIP_MAX_CHARS ? full : [`- schema: ${formatCount(entries.length)} entries (see the collection's page)`]));
  }
  return [...lines, ...tail].join('\n');
}

export function recordTooltip(node: RecordNode): string {
  const lines = [`**${markdownLine(node.recordId, VIEW_LIMITS.name)}**`, ''];
  if (node.recordId.length > VIEW_LIMITS.name) {
    lines.push(`_id of ${formatCount(node.recordId.length)} characters_`, '');
  }
  lines.push(node.documentStart === null ? '_no document_' : markdownLine(node.documentStart, 400) || '_empty document_');
  if (node.documentLength > 400) {
    lines.push('', `_${formatCount(node.documentLength)} characters in all_`);
  }
  if (node.metadataJson !== undefined) {
    lines.push('', codeFence(node.metadataJson, 'json'));
  }
  return lines.join('\n');
}
