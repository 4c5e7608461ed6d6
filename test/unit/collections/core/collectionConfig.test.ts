import * as assert from 'node:assert/strict';
import type { ChromaClient, Collection } from '../../../../src/chroma';
import {
  currentSettings,
  describeChanges,
  modifyPayload,
  parseEmbeddingFunction,
  parseMetadata,
  parseParam,
  MODIFIABLE,
} from '../../../../src/collections/core/collectionConfig';
import type { CollectionSettings } from '../../../../src/collections/core/collectionConfig';
import { serverKindFromEnv } from '../../../support/chromaServer';
import { clientFor, uniqueName, useChromaServer } from '../../../support/fixtures';

const spec = (key: string) => MODIFIABLE.hnsw.find((p) => p.key === key)!;

describe('Edit Collection: settings and the modify payload (real server)', () => {
  const ctx = useChromaServer();
  let client: ChromaClient;
  let col: Collection;
  let current: CollectionSettings;

  before(async () => {
    client = clientFor(ctx.server.url);
  });
  beforeEach(async () => {
    col = await client.createCollection({
      name: uniqueName('edit'),
      metadata: { owner: 'search', tier: 2 },
      configuration: { hnsw: { space: 'cosine', ef_search: 50 }, embedding_function: { type: 'known', name: 'default', config: {} } },
    });
    current = currentSettings(await client.getCollection(col.name));
  });

  it('reads what the server reports; 1.0.0 leaves num_threads and batch_size out, newer servers have them in the schema', () => {
    assert.equal(current.index, 'hnsw');
    assert.equal(current.params.ef_search, 50);
    assert.equal(current.params.sync_threshold, 1000);
    assert.equal(current.params.resize_factor, 1.2);
    if (serverKindFromEnv() === '1.0.0') {
      assert.equal(current.params.num_threads, undefined);
      assert.equal(current.params.batch_size, undefined);
    } else {
      assert.equal(typeof current.params.num_threads, 'number');
      assert.equal(current.params.batch_size, 100);
    }
    assert.deepEqual(current.embeddingFunction, { type: 'known', name: 'default', config: {} });
    assert.deepEqual(current.metadata, { owner: 'search', tier: 2 });
  });

  it('nothing changed: no payload, and the same metadata in another key order is no change', () => {
    assert.equal(modifyPayload(current, structuredClone(current)), undefined);
    const reordered = { ...structuredClone(current), metadata: { tier: 2, owner: 'search' } };
    assert.equal(modifyPayload(current, reordered), undefined);
  });

  it('one search parameter changed: the payload carries it alone, and the server keeps everything else', async () => {
    const after = structuredClone(current);
    after.params.ef_search = 77;
    const payload = modifyPayload(current, after);
    assert.deepEqual(payload, { configuration: { hnsw: { ef_search: 77 } } });
    assert.deepEqual(describeChanges(current, after), ['hnsw.ef_search: 50 → 77']);
    await client.modifyCollection(col, payload!);
    const got = await client.getCollection(col.name);
    assert.equal(got.configuration_json?.hnsw?.ef_search, 77);
    assert.equal(got.configuration_json?.hnsw?.space, 'cosine');
    assert.equal(got.configuration_json?.hnsw?.ef_construction, 100);
    assert.deepEqual(got.metadata, { owner: 'search', tier: 2 });
    assert.equal(got.configuration_json?.embedding_function?.name, 'default');
  });

  it('a parameter 1.0.0 does not report, once set, is sent alone; the server takes it', async () => {
    const after = structuredClone(current);
    after.params.num_threads = 3;
    const payload = modifyPayload(current, after);
    assert.deepEqual(payload, { configuration: { hnsw: { num_threads: 3 } } });
    await client.modifyCollection(col, payload!);
  });

  it('SPANN (Chroma Cloud): its search parameters, and only the changed one in the payload', () => {
    const spann: Collection = {
      ...col,
      configuration_json: { hnsw: null, spann: { space: 'cosine', search_nprobe: 64, ef_search: 200, write_nprobe: 32 }, embedding_function: null },
    };
    const settings = currentSettings(spann);
    assert.equal(settings.index, 'spann');
    assert.deepEqual(settings.params, { search_nprobe: 64, ef_search: 200 });
    assert.equal(settings.embeddingFunction, null);
    const after = structuredClone(settings);
    after.params.search_nprobe = 128;
    assert.deepEqual(modifyPayload(settings, after), { configuration: { spann: { search_nprobe: 128 } } });
  });

  it('name, metadata and embedding function: each only when changed, applied as sent', async () => {
    const after = structuredClone(current);
    after.name = `${col.name}-renamed`;
    after.metadata = { owner: 'search' };
    after.embeddingFunction = { type: 'known', name: 'openai', config: { model_name: 'text-embedding-3-small', api_key_env_var: 'OPENAI_API_KEY' } };
    const payload = modifyPayload(current, after)!;
    assert.deepEqual(Object.keys(payload).sort(), ['configuration', 'metadata', 'name']);
    assert.deepEqual(payload.configuration, { embedding_function: after.embeddingFunction });
    await client.modifyCollection(col, payload);
    const got = await client.getCollection(after.name);
    assert.deepEqual(got.metadata, { owner: 'search' }, 'the metadata is replaced: the removed key is gone');
    assert.equal(got.configuration_json?.embedding_function?.name, 'openai');
    assert.equal(got.configuration_json?.hnsw?.ef_search, 50, 'search parameters untouched');
  });

  it('checks what is typed before anything is sent', () => {
    assert.deepEqual(parseParam(spec('ef_search'), ' 120 '), { value: 120 });
    assert.match((parseParam(spec('ef_search'), '1.5') as { error: string }).error, /whole number/);
    assert.match((parseParam(spec('ef_search'), '-3') as { error: string }).error, /whole number/);
    assert.deepEqual(parseParam(spec('resize_factor'), '1.5'), { value: 1.5 });
    assert.match((parseParam(spec('resize_factor'), '0') as { error: string }).error, /greater than 0/);
    assert.match((parseMetadata('{"a": {"nested": 1}}') as { error: string }).error, /must be a string, number or boolean/);
    assert.match((parseMetadata('[1]') as { error: string }).error, /JSON object/);
    assert.match((parseMetadata('{}') as { error: string }).error, /at least one key/);
    assert.match((parseMetadata('{"a": ') as { error: string }).error, /Not valid JSON/);
    assert.deepEqual(parseMetadata('{"a": 1, "b": true}'), { metadata: { a: 1, b: true } });
    assert.match((parseEmbeddingFunction('{"type": "legacy"}') as { error: string }).error, /"known"/);
    assert.match((parseEmbeddingFunction('{"type": "known", "name": "openai"}') as { error: string }).error, /"config"/);
    assert.deepEqual(parseEmbeddingFunction('{"type": "known", "name": "ollama", "config": {"model_name": "m"}}'), {
      embeddingFunction: { type: 'known', name: 'ollama', config: { model_name: 'm' } },
    });
  });
});
