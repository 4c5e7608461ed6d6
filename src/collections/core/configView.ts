/**
 * The read-only configuration/schema page of a collection: its index type, distance and parameters, embedding
 * function, dimension, and, where newer servers send one, its `schema` (the index of each value type by default and
 * per key, sparse-vector indexes among them). Every value from the server is escaped: it is shown as text, never
 * read as Markdown. No `vscode` here.
 */
import type { Collection } from '../../chroma/types';
import { boundedJson, codeFence, displayLine, inlineCode, markdownLine } from '../../util/text';
import { MODIFIABLE, indexOf } from './collectionConfig';

export interface ConfigViewContext {
  /** The connection's name. */
  connection: string;
  /** When the page was made from what the tree holds because the server could not be asked again: why. */
  staleBecause?: string;
}

const CELL = 200;
const SETTINGS = 400;
const JSON_MAX = 20_000;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const cell = (text: string, max = CELL): string => markdownLine(text, max) || ' ';

/** A scalar as text; objects and arrays as bounded one-line JSON. */
function valueText(v: unknown): string {
  if (typeof v === 'string') {
    return v;
  }
  if (typeof v === 'number' || typeof v === 'boolean' || v === null) {
    return String(v);
  }
  return boundedJson(v, SETTINGS, 0).text;
}

/** `a: 1, b.c: 2`: a config object flattened to one line, bounded. */
function flatSettings(config: unknown, max = SETTINGS): string {
  if (!isObject(config)) {
    return config === undefined ? '' : valueText(config);
  }
  const parts: string[] = [];
  let used = 0;
  const walk = (o: Record<string, unknown>, path: string): void => {
    for (const [k, v] of Object.entries(o)) {
      if (used > max) {
        return;
      }
      const key = path ? `${path}.${k}` : k;
      if (isObject(v) && Object.keys(v).length > 0) {
        walk(v, key);
      } else {
        const part = `${key}: ${isObject(v) ? '{}' : valueText(v)}`;
        parts.push(part);
        used += part.length + 2;
      }
    }
  };
  walk(config, '');
  return displayLine(parts.join(', '), max);
}

/** `#embedding`'s vector index config in the schema, where there is one. */
function embeddingIndexConfig(c: Collection): Record<string, unknown> | undefined {
  const keys = isObject(c.schema) && isObject(c.schema.keys) ? c.schema.keys : undefined;
  const e = keys?.['#embedding'];
  const vi = isObject(e) && isObject(e.float_list) && isObject(e.float_list.vector_index) ? e.float_list.vector_index : undefined;
  return vi && isObject(vi.config) ? vi.config : undefined;
}

/** The distance, and where it was read (0.x: its index reads the hnsw:space metadata key first; see distance.ts). */
function spaceOf(c: Collection): { space: string; note?: string } {
  const index = indexOf(c);
  const legacyKey = c.metadata?.['hnsw:space'];
  if (index?.fixed && typeof legacyKey === 'string') {
    return { space: legacyKey, note: 'from the metadata key hnsw:space' };
  }
  if (typeof index?.params.space === 'string') {
    return { space: index.params.space };
  }
  const fromSchema = embeddingIndexConfig(c)?.space;
  if (typeof fromSchema === 'string') {
    return { space: fromSchema };
  }
  const legacy = c.metadata?.['hnsw:space'];
  if (typeof legacy === 'string') {
    return { space: legacy, note: 'from the metadata key hnsw:space' };
  }
  return { space: 'l2', note: 'not reported: Chroma’s default' };
}

function embeddingFunctionOf(c: Collection): unknown {
  const config = c.configuration_json;
  if (config && 'embedding_function' in config && config.embedding_function !== undefined) {
    return config.embedding_function;
  }
  return embeddingIndexConfig(c)?.embedding_function;
}

function functionSummary(ef: unknown): string {
  if (!isObject(ef)) {
    return 'none stored: the app supplies the embeddings';
  }
  if (ef.type === 'known' && typeof ef.name === 'string') {
    return ef.name;
  }
  if (ef.type === 'legacy') {
    return 'legacy: made by an older client, which did not store it';
  }
  return `${valueText(ef.type ?? 'unknown')}`;
}

function table(header: string[], rows: string[][]): string[] {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
}

/** Index rows of one value-type map of the schema (`{string: {fts_index: {enabled, config}}, …}`). */
function schemaRows(valueTypes: unknown, key?: string): string[][] {
  const rows: string[][] = [];
  if (!isObject(valueTypes)) {
    return rows;
  }
  for (const [type, indexes] of Object.entries(valueTypes)) {
    if (!isObject(indexes)) {
      continue;
    }
    for (const [index, spec] of Object.entries(indexes)) {
      const enabled = isObject(spec) && typeof spec.enabled === 'boolean' ? (spec.enabled ? 'yes' : 'no') : '?';
      const settings = isObject(spec) ? flatSettings(spec.config) : valueText(spec);
      rows.push([...(key !== undefined ? [cell(key)] : []), cell(type), cell(index), enabled, settings ? cell(settings, SETTINGS) : ' ']);
    }
  }
  return rows;
}

/** Keys whose sparse-vector index is enabled, with its settings. */
function sparseIndexes(schema: Record<string, unknown>): Array<{ key: string; settings: string }> {
  const out: Array<{ key: string; settings: string }> = [];
  const keys = isObject(schema.keys) ? schema.keys : {};
  for (const [key, types] of Object.entries(keys)) {
    const sv = isObject(types) && isObject(types.sparse_vector) ? types.sparse_vector.sparse_vector_index : undefined;
    if (isObject(sv) && sv.enabled === true) {
      out.push({ key, settings: flatSettings(sv.config) });
    }
  }
  return out;
}

/** The page's Markdown. */
export function configMarkdown(c: Collection, ctx: ConfigViewContext): string {
  const lines: string[] = [];
  const index = indexOf(c);
  const kind = index?.kind;
  const { space, note } = spaceOf(c);
  const ef = embeddingFunctionOf(c);
  lines.push(`# Configuration of ${markdownLine(c.name, CELL)}`, '');
  lines.push(
    `Read-only. Collection ${inlineCode(displayLine(c.id, 100))} in ${markdownLine(c.tenant, 100)} / ${markdownLine(c.database, 100)} on ${markdownLine(ctx.connection, 100)}.`,
    '',
  );
  if (ctx.staleBecause) {
    lines.push(`> As last listed: the server could not be asked again (${markdownLine(ctx.staleBecause, 300)}).`, '');
  }
  lines.push(
    ...table(
      ['Setting', 'Value'],
      [
        ['Index', kind ? kind.toUpperCase() : 'not reported'],
        ['Distance (space)', `${cell(space)}${note ? ` (${note})` : ''}`],
        ['Dimension', c.dimension === null || c.dimension === undefined ? 'not set yet: fixed by the first record added' : cell(String(c.dimension))],
        ['Embedding function', cell(functionSummary(ef))],
      ],
    ),
    '',
  );
  if (index) {
    const modifiable = new Set(index.fixed ? [] : MODIFIABLE[index.kind].map((p) => p.key));
    const rows = Object.entries(index.params)
      .filter(([k]) => k !== 'space')
      .map(([k, v]) => [cell(k), cell(valueText(v)), modifiable.has(k) ? 'yes' : 'no']);
    lines.push(`## ${index.kind.toUpperCase()} parameters`, '');
    lines.push(...(rows.length ? table(['Parameter', 'Value', 'Editable'], rows) : ['None reported.']), '');
    lines.push(
      index.fixed
        ? 'This server (Chroma 0.x) reports them as `hnsw_configuration` and cannot change them: they are fixed when the collection is created.'
        : 'Editable parameters can be changed with Edit Collection…; the others are fixed when the collection is created.',
      '',
    );
  }
  lines.push('## Embedding function', '');
  if (isObject(ef)) {
    lines.push(codeFence(boundedJson(ef, JSON_MAX).text, 'json'), '');
  } else {
    lines.push(cell(functionSummary(ef)), '');
  }
  if (isObject(c.schema)) {
    lines.push('## Schema', '', 'The indexes the server keeps, per value type: by default, and for each key that has its own.', '');
    const defaults = schemaRows(c.schema.defaults);
    if (defaults.length) {
      lines.push('### Defaults', '', ...table(['Value type', 'Index', 'Enabled', 'Settings'], defaults), '');
    }
    const keyRows = isObject(c.schema.keys) ? Object.entries(c.schema.keys).flatMap(([key, types]) => schemaRows(types, key)) : [];
    if (keyRows.length) {
      lines.push('### Keys', '', ...table(['Key', 'Value type', 'Index', 'Enabled', 'Settings'], keyRows), '');
    }
    const sparse = sparseIndexes(c.schema);
    lines.push('### Sparse vector indexes', '');
    lines.push(...(sparse.length ? sparse.map((s) => `- ${cell(s.key)}: ${cell(s.settings, SETTINGS)}`) : ['None enabled.']), '');
  } else {
    lines.push('## Schema', '', 'This server sends no schema with its collections (Chroma 1.2 and newer do).', '');
  }
  lines.push('## Metadata', '');
  lines.push(c.metadata && Object.keys(c.metadata).length ? codeFence(boundedJson(c.metadata, JSON_MAX).text, 'json') : 'None.', '');
  return lines.join('\n');
}
