import * as assert from 'node:assert/strict';
import type { Collection, GetResult } from '../../../../src/chroma';
import type { CollectionNode, RecordNode } from '../../../../src/explorer/core/model';
import {
  collectionTooltip,
  connectionTooltip,
  formatCollection,
  indexingText,
  preview,
  recordTooltip,
  schemaEntries,
  summarizeEmbedding,
  TOOLTIP_MAX_CHARS,
} from '../../../../src/explorer/core/recordView';
import { activeTags, codeText, renderMarkdown, visibleText } from '../../util/markdown';

const collection: Collection = {
  id: '11111111-2222-3333-4444-555555555555',
  name: 'notes',
  metadata: null,
  dimension: 3,
  tenant: 'default_tenant',
  database: 'default_database',
  configuration_json: { hnsw: { space: 'cosine' }, embedding_function: { type: 'known', name: 'default', config: {} } },
};

describe('record views (pure)', () => {
  it('previews are one line and bounded', () => {
    assert.equal(preview('a\n\n  b\tc'), 'a b c');
    assert.equal(preview('x'.repeat(100), 10), `${'x'.repeat(9)}…`);
    assert.equal(preview(null), '');
  });

  it('summarises an embedding: dimension, norm, first values', () => {
    const s = summarizeEmbedding([3, 4, 0, 0, 0, 0, 0, 0, 0, 1]);
    assert.equal(s.dimension, 10);
    assert.ok(Math.abs(s.norm - Math.sqrt(26)) < 1e-12);
    assert.deepEqual(s.first, [3, 4, 0, 0, 0, 0, 0, 0]);
  });
});

const HOSTILE_ID = '[open](command:chroma.deleteCollection) ![x](https://evil.example/p.png) $(alert) <b>hi</b> `tick` ``two``';
const HOSTILE_TEXT = '# Title\n\n[link](https://evil.example) ![img](https://evil.example/i.png) <img src=x onerror=alert(1)> $(alert) **bold**';
const HOSTILE_META = { '[k](command:x)': '$(alert) <script>alert(1)</script>', ticks: '````', nested: '![i](https://evil.example/i.png)' };

function result(ids: string[], documents: (string | null)[], metadatas: GetResult['metadatas'] = null): GetResult {
  return { ids, documents, metadatas, embeddings: ids.map(() => [0.6, 0.8]), uris: ids.map(() => null), include: [] };
}

function collectionNode(c: Collection): CollectionNode {
  const conn = { kind: 'connection' as const, id: 'c:x', connection: { name: 'x', url: 'http://localhost:8000' } };
  const db = { kind: 'database' as const, id: 'c:x/d', parent: conn, tenant: c.tenant, database: c.database };
  return { kind: 'collection', id: `c:x/d/k:${c.id}`, parent: db, collection: c, count: 3 };
}

function recordNode(recordId: string, document: string | null, metadataJson?: string): RecordNode {
  return {
    kind: 'record',
    id: 'r',
    parent: collectionNode(collection),
    recordId,
    documentStart: document?.slice(0, 2_000) ?? null,
    documentLength: document?.length ?? 0,
    metadataJson,
  };
}

/**
 * What a reader sees of a view: no links, images, HTML or emphasis made from server text. (Theme icons: VS Code
 * draws them anywhere in the rendered HTML, code included, when `supportThemeIcons` is on, so the tree and status
 * tooltips turn it off; the host tests check that.)
 */
function assertInert(markdown: string, allowedTags: RegExp = /^<(h1|h2|strong|em)>$/): void {
  const tags = activeTags(renderMarkdown(markdown)).filter((t) => !allowedTags.test(t));
  assert.deepEqual(tags, [], markdown.slice(0, 2_000));
}

describe('record views: hostile and huge records (pure)', () => {
  const hostile: Collection = { ...collection, name: 'c_[x](y)', metadata: HOSTILE_META, tenant: '<b>t</b>', database: '$(alert)' };

  it('the collection view escapes ids, names, documents and metadata', () => {
    const page = formatCollection(hostile, 3, result([HOSTILE_ID, 'b'], [HOSTILE_TEXT, null]));
    assertInert(page);
    const html = renderMarkdown(page);
    // the record's id is listed as code, exactly
    assert.equal(codeText(/<li><code>.*?<\/code>/.exec(html)?.[0] ?? ''), HOSTILE_ID);
    assert.ok(visibleText(html).includes('"[k](command:x)": "$(alert) <script>alert(1)</script>"'));
    // the check can fail: the same text unescaped renders links and images
    assert.ok(activeTags(renderMarkdown(`# ${HOSTILE_ID}\n\n${HOSTILE_TEXT}`)).some((t) => t.startsWith('<a') || t.startsWith('<img')));
  });

  it('tooltips escape ids, documents, metadata, names and connection fields', () => {
    assertInert(recordTooltip(recordNode(HOSTILE_ID, HOSTILE_TEXT, JSON.stringify(HOSTILE_META, null, 2))), /^<strong>$/);
    assertInert(collectionTooltip(collectionNode(hostile)), /^<strong>$/);
    assertInert(connectionTooltip({ name: '[n](command:x) $(alert)', url: 'http://localhost:8000', tenant: '<i>t</i>', database: '**d**' }), /^<strong>$/);
    // the record tooltip shows the id and the document start as text
    const text = visibleText(renderMarkdown(recordTooltip(recordNode(HOSTILE_ID, 'hello [x](y)'))));
    assert.ok(text.includes('[open](command:chroma.deleteCollection)') && text.includes('hello [x](y)'), text);
  });

  it('a collection view of 20 documents of 2 MB stays bounded; a 1 MB id keeps a tooltip within its bound', () => {
    const sample = formatCollection(collection, 20, result(Array.from({ length: 20 }, (_, i) => `r${i}`), Array.from({ length: 20 }, () => 'y'.repeat(2_000_000))));
    assert.ok(sample.length < 20 * 300 + 5_000, `${sample.length} characters`);
    const tip = recordTooltip(recordNode('i'.repeat(1_000_000), 'x'.repeat(2_000), `{"k": "${'v'.repeat(1_990)}…`));
    assert.ok(tip.length <= TOOLTIP_MAX_CHARS, `${tip.length}`);
  });

  it('collection tooltips stay a few KB with huge metadata', () => {
    const big: Collection = { ...collection, name: 'n'.repeat(600), metadata: { a: 'x'.repeat(5_000_000), b: 'y' } };
    const tip = collectionTooltip(collectionNode(big));
    assert.ok(tip.length <= TOOLTIP_MAX_CHARS, `${tip.length}`);
  });
});

/** The schema the newest server gives a new collection (trimmed to the enabled parts and a disabled one). */
const NEWEST_SCHEMA = {
  defaults: {
    string: { fts_index: { enabled: false, config: {} }, string_inverted_index: { enabled: true, config: {} } },
    int: { int_inverted_index: { enabled: true, config: {} } },
    sparse_vector: { sparse_vector_index: { enabled: false, config: { bm25: false } } },
  },
  keys: {
    '#embedding': { float_list: { vector_index: { enabled: true, config: { space: 'cosine', source_key: '#document' } } } },
    '#document': { string: { fts_index: { enabled: true, config: {} }, string_inverted_index: { enabled: false, config: {} } } },
  },
};

describe('record views: what newer servers add (pure)', () => {
  it('indexing status: progress and what waits, or up to date, or why it could not be read', () => {
    assert.equal(
      indexingText({ num_indexed_ops: 1200, num_unindexed_ops: 34, total_ops: 1234, op_indexing_progress: 0.9724 }),
      '1,200 of 1,234 operations indexed (97%); 34 waiting',
    );
    assert.equal(indexingText({ num_indexed_ops: 5, num_unindexed_ops: 0, total_ops: 5, op_indexing_progress: 1 }), 'up to date (5 operations indexed)');
    assert.equal(indexingText({ error: 'Chroma at h timed out [x](y)' }), 'could not be read: Chroma at h timed out \\[x\\]\\(y\\)');
  });

  it('schema: the enabled indexes per key, then the defaults; odd shapes give what can be read', () => {
    assert.deepEqual(schemaEntries(NEWEST_SCHEMA), [
      { key: '#embedding', indexes: ['vector (cosine)'] },
      { key: '#document', indexes: ['full-text'] },
      { indexes: ['string filter', 'int filter'] },
    ]);
    assert.deepEqual(schemaEntries(null), []);
    assert.deepEqual(schemaEntries({ keys: { k: 'not an object', j: { string: { new_index: { enabled: true } } } } }), [
      { key: 'k', indexes: [] },
      { key: 'j', indexes: ['new_index'] },
    ]);
  });

  it('the collection tooltip and page show the indexing status and schema where the server gave them, and not otherwise', () => {
    const withSchema: Collection = { ...collection, schema: NEWEST_SCHEMA };
    const indexing = { num_indexed_ops: 10, num_unindexed_ops: 2, total_ops: 12, op_indexing_progress: 0.83 };
    const tip = visibleText(renderMarkdown(collectionTooltip(collectionNode(withSchema), { indexing })));
    assert.match(tip, /indexing: 10 of 12 operations indexed \(83%\); 2 waiting/);
    assert.match(tip, /schema \(enabled indexes\):\n+#embedding: vector \(cosine\)\n#document: full-text\nother keys: string filter, int filter/);
    const plain = collectionTooltip(collectionNode(collection));
    assert.doesNotMatch(plain, /indexing|schema/);
    const page = formatCollection(withSchema, 12, result([], []), { indexing });
    assert.match(page, /- indexing: 10 of 12 operations indexed \(83%\); 2 waiting/);
    assert.match(visibleText(renderMarkdown(page)), /Schema\n+Enabled indexes per key:\n+#embedding: vector \(cosine\)\n#document: full-text\nother keys: string filter, int filter/);
    assert.match(page, /"source_key": "#document"/);
    assert.doesNotMatch(formatCollection(collection, 12, result([], [])), /## Schema|indexing:/);
  });

  it('hostile schema keys and index names are inert; a huge schema keeps the tooltip within its bound', () => {
    const hostileSchema = { keys: { [HOSTILE_ID]: { string: { '[i](command:x) <img src=x>': { enabled: true, config: { space: '**s**' } } } } } };
    const c: Collection = { ...collection, schema: hostileSchema, metadata: HOSTILE_META };
    assertInert(collectionTooltip(collectionNode(c), { indexing: { error: HOSTILE_TEXT } }), /^<strong>$/);
    assertInert(formatCollection(c, 1, result([], []), { indexing: { error: HOSTILE_TEXT } }));
    const keys = Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`${'k'.repeat(500)}${i}`, { string: { fts_index: { enabled: true } } }]));
    const huge: Collection = { ...collection, name: 'n'.repeat(600), metadata: { a: 'x'.repeat(5_000_000) }, schema: { keys } };
    const tip = collectionTooltip(collectionNode(huge), { indexing: { error: 'e'.repeat(10_000) } });
    assert.ok(tip.length <= TOOLTIP_MAX_CHARS, `${tip.length}`);
    assert.match(tip, /and 4,994 more|schema: 5,000 entries/);
    assert.ok(formatCollection(huge, 1, result([], [])).length < 50_000);
  });
});
