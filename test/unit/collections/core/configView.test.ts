import * as assert from 'node:assert/strict';
import type { ChromaClient, Collection } from '../../../../src/chroma';
import { configMarkdown } from '../../../../src/collections/core/configView';
import { serverKindFromEnv } from '../../../support/chromaServer';
import { clientFor, uniqueName, useChromaServer, vectors } from '../../../support/fixtures';
import { activeTags, renderMarkdown, visibleText } from '../../util/markdown';

/** The cells of every table row of a rendering, as text. */
function rows(html: string): string[][] {
  return [...html.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((r) => [...r[1].matchAll(/<t[dh][^>]*>([\s\S]*?)<\/t[dh]>/g)].map((c) => visibleText(c[1])));
}

const hasRow = (html: string, start: string[]): boolean => rows(html).some((r) => start.every((c, i) => r[i] === c));

/** The tags a rendering has that our own page structure does not make (headings, tables, lists, code). */
function foreignTags(html: string): string[] {
  return activeTags(html).filter((t) => !/^<(h[1-6]|table)\b/.test(t));
}

/** A collection of the newest server (binding 1.3.4) as it answered GET, with a sparse index added on one key. */
function newestCollection(): Collection {
  const hnsw = { ef_construction: 100, max_neighbors: 16, ef_search: 50, num_threads: 2, batch_size: 100, sync_threshold: 1000, resize_factor: 1.2 };
  const ef = { type: 'known', name: 'default', config: {} };
  return {
    id: '704e7463-c0ac-4595-9df8-e62bbdba8925',
    name: 'cfg',
    configuration_json: { hnsw: { space: 'cosine', ef_construction: 100, ef_search: 50, max_neighbors: 16, resize_factor: 1.2, sync_threshold: 1000 }, spann: null, embedding_function: ef },
    schema: {
      defaults: {
        string: { fts_index: { enabled: false, config: {} }, string_inverted_index: { enabled: true, config: {} } },
        float_list: { vector_index: { enabled: false, config: { space: 'cosine', embedding_function: ef, hnsw } } },
        sparse_vector: { sparse_vector_index: { enabled: false, config: { embedding_function: { type: 'unknown' }, bm25: false } } },
      },
      keys: {
        '#embedding': { float_list: { vector_index: { enabled: true, config: { space: 'cosine', embedding_function: ef, source_key: '#document', hnsw } } } },
        '#document': { string: { fts_index: { enabled: true, config: {} }, string_inverted_index: { enabled: false, config: {} } } },
        sparse: { sparse_vector: { sparse_vector_index: { enabled: true, config: { embedding_function: { type: 'known', name: 'splade' }, source_key: '#document', bm25: false } } } },
      },
    },
    metadata: null,
    dimension: null,
    tenant: 'default_tenant',
    database: 'default_database',
    log_position: 0,
    version: 0,
  };
}

describe('Collection configuration page', () => {
  const ctx = useChromaServer();
  let client: ChromaClient;
  before(() => {
    client = clientFor(ctx.server.url);
  });

  it("shows the server's collection: index, distance, parameters (which are editable), function, dimension; 1.0.0 has no schema", async () => {
    const created = await client.createCollection({
      name: uniqueName('config'),
      metadata: { team: 'search' },
      configuration: {
        hnsw: { space: 'ip', ef_search: 64 },
        embedding_function: { type: 'known', name: 'openai', config: { model_name: 'text-embedding-3-small', api_key_env_var: 'OPENAI_API_KEY' } },
      },
    });
    await client.add(created, { ids: ['a'], embeddings: vectors(1, 5) });
    const page = configMarkdown(await client.getCollection(created.name), { connection: 'local' });
    const html = renderMarkdown(page);
    const text = visibleText(html);
    assert.match(page, /^# Configuration of /);
    assert.ok(hasRow(html, ['Index', 'HNSW']));
    assert.ok(hasRow(html, ['Distance (space)', 'ip']));
    assert.ok(hasRow(html, ['Dimension', '5']));
    assert.ok(hasRow(html, ['Embedding function', 'openai']));
    assert.ok(hasRow(html, ['ef_search', '64', 'yes']));
    assert.ok(hasRow(html, ['ef_construction', '100', 'no']));
    assert.ok(hasRow(html, ['max_neighbors', '16', 'no']));
    assert.ok(hasRow(html, ['resize_factor', '1.2', 'yes']));
    assert.match(text, /"api_key_env_var": "OPENAI_API_KEY"/);
    if (serverKindFromEnv() === '1.0.0') {
      assert.match(text, /This server sends no schema/);
    } else {
      assert.ok(rows(html).some((r) => r[0] === '#embedding' && r[2] === 'vector_index' && r[3] === 'yes' && /space: ip/.test(r[4])), 'the schema\'s vector index');
    }
    assert.match(text, /"team": "search"/);
    assert.deepEqual(foreignTags(renderMarkdown(page)), []);
  });

  it('a collection with no records yet says the dimension is not set; a legacy one says where its space came from', () => {
    const page = configMarkdown(
      {
        id: 'x',
        name: 'old-one',
        configuration_json: { embedding_function: { type: 'legacy' } },
        metadata: { 'hnsw:space': 'cosine' },
        dimension: null,
        tenant: 't',
        database: 'd',
      },
      { connection: 'c' },
    );
    const html = renderMarkdown(page);
    assert.ok(hasRow(html, ['Index', 'not reported']));
    assert.ok(hasRow(html, ['Distance (space)', 'cosine (from the metadata key hnsw:space)']));
    assert.ok(hasRow(html, ['Dimension', 'not set yet: fixed by the first record added']));
    assert.ok(hasRow(html, ['Embedding function', 'legacy: made by an older client, which did not store it']));
  });

  it("shows the newest server's schema: the index of each value type by default and per key, and its sparse indexes", () => {
    const page = configMarkdown(newestCollection(), { connection: 'newest' });
    const html = renderMarkdown(page);
    assert.match(page, /### Defaults/);
    assert.ok(hasRow(html, ['string', 'fts_index', 'no']));
    assert.ok(hasRow(html, ['sparse_vector', 'sparse_vector_index', 'no']));
    const embedding = rows(html).find((r) => r[0] === '#embedding');
    assert.deepEqual(embedding?.slice(0, 4), ['#embedding', 'float_list', 'vector_index', 'yes']);
    assert.match(embedding![4], /^space: cosine, embedding_function.type: known, embedding_function.name: default, .*source_key: #document, hnsw.ef_construction: 100, .*hnsw.num_threads: 2/);
    assert.ok(hasRow(html, ['#document', 'string', 'fts_index', 'yes']));
    assert.ok(hasRow(html, ['sparse', 'sparse_vector', 'sparse_vector_index', 'yes']));
    assert.match(visibleText(html), /Sparse vector indexes\s+sparse: embedding_function.type: known, embedding_function.name: splade/);
    assert.deepEqual(foreignTags(html), []);
  });

  it('escapes everything the server sends: no link, image, HTML or table break from names, keys or values', () => {
    const hostile = newestCollection();
    hostile.name = 'evil [click](command:chroma.deleteCollection) <img src=x>';
    hostile.metadata = { '<script>x</script>': '![i](http://x/y.png)' };
    (hostile.schema!.keys as Record<string, unknown>)['a|b [l](http://x) <b>'] = { string: { fts_index: { enabled: true, config: { '`x`': '**bold** | cell' } } } };
    hostile.configuration_json!.embedding_function = { type: 'known', name: 'x](http://evil)', config: { '```': '```\n# not a heading' } };
    const html = renderMarkdown(configMarkdown(hostile, { connection: '<b>conn</b>' }));
    assert.deepEqual(foreignTags(html), []);
    assert.ok(!/<a |<img|<script|<b>/.test(html), html);
    assert.match(visibleText(html), /evil \[click\]\(command:chroma\.deleteCollection\) <img src=x>/);
    // a table row stays one row: the key's "|" is text
    assert.ok(hasRow(html, ['a|b [l](http://x) <b>', 'string', 'fts_index', 'yes', '`x`: **bold** | cell']), JSON.stringify(rows(html)));
  });
});
