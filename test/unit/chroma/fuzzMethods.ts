/**
 * The client methods the hostile-server fuzz calls, each with random arguments and an independent check of what
 * it returns (see fuzz.test.ts).
 */
import * as assert from 'node:assert/strict';
import type { ChromaClient, CollectionRef } from '../../../src/chroma';
import type { Rng } from '../../support/hostileServer';

type Check = (result: unknown) => void;

interface Method {
  name: string;
  run: (client: ChromaClient, rng: Rng) => Promise<{ result: unknown; check: Check }>;
}

// ------------------------------------------------------------------ independent checks of results

function isInt(v: unknown, min = 0): boolean {
  return Number.isSafeInteger(v) && (v as number) >= min;
}

function checkMetadata(m: unknown, where: string): void {
  if (m === null) {
    return;
  }
  assert.ok(typeof m === 'object' && !Array.isArray(m), `${where}: metadata is not an object`);
  for (const [k, v] of Object.entries(m as object)) {
    const scalar = (x: unknown) => typeof x === 'string' || typeof x === 'boolean' || (typeof x === 'number' && Number.isFinite(x));
    const sparse =
      typeof v === 'object' && v !== null && Array.isArray((v as { indices?: unknown }).indices) && Array.isArray((v as { values?: unknown }).values);
    assert.ok(v === null || scalar(v) || (Array.isArray(v) && v.every(scalar)) || sparse, `${where}: metadata ${k} is ${JSON.stringify(v)?.slice(0, 80)}`);
  }
}

function checkCollection(c: unknown): void {
  const o = c as Record<string, unknown>;
  assert.ok(typeof o === 'object' && o !== null && !Array.isArray(o), 'a collection is not an object');
  assert.ok(typeof o.id === 'string' && o.id.length > 0, 'collection id');
  assert.ok(typeof o.name === 'string' && o.name.length > 0, 'collection name');
  assert.ok(typeof o.tenant === 'string' && typeof o.database === 'string', 'collection tenant/database');
  assert.ok(o.dimension === null || isInt(o.dimension), 'collection dimension');
  assert.ok(o.configuration_json === undefined || o.configuration_json === null || (typeof o.configuration_json === 'object' && !Array.isArray(o.configuration_json)), 'configuration_json');
  checkMetadata(o.metadata, 'collection');
}

function checkIds(ids: unknown, max: number, where: string): string[] {
  assert.ok(Array.isArray(ids), `${where}: ids is not an array`);
  assert.ok(ids.length <= max, `${where}: ${ids.length} ids, more than ${max}`);
  assert.ok(ids.every((id) => typeof id === 'string' && id.length > 0), `${where}: an id is not a non-empty string`);
  assert.equal(new Set(ids).size, ids.length, `${where}: repeated ids`);
  return ids as string[];
}

function checkRows(value: unknown, n: number, where: string, item: (v: unknown) => boolean): void {
  if (value === null) {
    return;
  }
  assert.ok(Array.isArray(value) && value.length === n, `${where}: not one entry per id`);
  value.forEach((v, i) => assert.ok(item(v), `${where}[${i}] is ${JSON.stringify(v)?.slice(0, 80)}`));
}

const stringOrNull = (v: unknown) => v === null || typeof v === 'string';
const finiteVector = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isFinite(x));

function checkRecords(r: Record<string, unknown>, ids: string[], where: string): void {
  checkRows(r.documents, ids.length, `${where}.documents`, stringOrNull);
  checkRows(r.uris, ids.length, `${where}.uris`, stringOrNull);
  checkRows(r.embeddings, ids.length, `${where}.embeddings`, finiteVector);
  if (r.metadatas !== null) {
    checkRows(r.metadatas, ids.length, `${where}.metadatas`, () => true);
    (r.metadatas as unknown[]).forEach((m, i) => checkMetadata(m, `${where}.metadatas[${i}]`));
  }
}

function checkGet(max: number): Check {
  return (result) => {
    const r = result as Record<string, unknown>;
    const ids = checkIds(r.ids, max, 'get');
    checkRecords(r, ids, 'get');
  };
}

function checkQuery(queries: number, nResults: number): Check {
  return (result) => {
    const r = result as Record<string, unknown>;
    assert.ok(Array.isArray(r.ids) && r.ids.length === queries, 'query: not one id list per query');
    for (const field of ['documents', 'metadatas', 'embeddings', 'uris', 'distances']) {
      assert.ok(r[field] === null || (Array.isArray(r[field]) && (r[field] as unknown[]).length === queries), `query.${field}: not one list per query`);
    }
    (r.ids as unknown[]).forEach((row, q) => {
      const ids = checkIds(row, nResults, `query[${q}]`);
      const pick = (field: string) => (r[field] === null ? null : (r[field] as unknown[])[q]);
      checkRecords({ documents: pick('documents'), uris: pick('uris'), embeddings: pick('embeddings'), metadatas: pick('metadatas') }, ids, `query[${q}]`);
      checkRows(pick('distances'), ids.length, `query[${q}].distances`, (d) => d === null || (typeof d === 'number' && Number.isFinite(d)));
    });
  };
}

const anything: Check = () => undefined;
const count: Check = (n) => assert.ok(isInt(n), `count is ${JSON.stringify(n)}`);
const list =
  (max: number, item: (v: unknown) => void): Check =>
  (r) => {
    assert.ok(Array.isArray(r) && r.length <= max, 'not a list within the limit');
    r.forEach(item);
  };

// ------------------------------------------------------------------ the methods fuzzed

const ref = (rng: Rng): CollectionRef => ({
  id: '6f1c1a52-1111-2222-3333-444455556666',
  tenant: 'default_tenant',
  database: 'default_database',
  dimension: rng.chance(0.5) ? 3 : null,
});

function recordSet(rng: Rng) {
  const n = rng.int(1, 12); // at most 12: MAX_REQUESTS_PER_CASE in fuzz.test.ts counts on it
  return {
    ids: Array.from({ length: n }, (_, i) => `r-${i}`),
    embeddings: Array.from({ length: n }, () => [rng.next(), rng.next(), rng.next()]),
    documents: Array.from({ length: n }, (_, i) => `doc ${i}`),
    metadatas: Array.from({ length: n }, (_, i) => ({ i })),
  };
}

export const METHODS: Method[] = [
  { name: 'heartbeat', run: async (c) => ({ result: await c.heartbeat(), check: (n) => assert.ok(typeof n === 'number' && Number.isFinite(n)) }) },
  { name: 'version', run: async (c) => ({ result: await c.version(), check: (v) => assert.ok(typeof v === 'string' && v.length > 0 && v.length <= 64) }) },
  { name: 'preflight', run: async (c) => ({ result: await c.preflight({ refresh: true }), check: (p) => assert.ok(isInt((p as { max_batch_size: unknown }).max_batch_size, 1)) }) },
  { name: 'healthcheck', run: async (c) => ({ result: await c.healthcheck(), check: (h) => assert.ok(typeof h === 'object' && h !== null && !Array.isArray(h)) }) },
  {
    name: 'identity',
    run: async (c) => ({
      result: await c.identity(),
      check: (i) => {
        const o = i as { tenant: unknown; databases: unknown };
        assert.ok(typeof o.tenant === 'string' && Array.isArray(o.databases) && o.databases.every((d) => typeof d === 'string'));
      },
    }),
  },
  {
    name: 'scope',
    run: async (c) => ({ result: await c.scope(), check: (s) => assert.ok(typeof (s as { tenant: unknown }).tenant === 'string' && typeof (s as { database: unknown }).database === 'string') }),
  },
  { name: 'getTenant', run: async (c) => ({ result: await c.getTenant('acme'), check: (t) => assert.equal(typeof (t as { name: unknown }).name, 'string') }) },
  {
    name: 'listDatabases',
    run: async (c, rng) => {
      const limit = rng.pick([1, 5, 100]);
      return {
        result: await c.listDatabases({ tenant: 'acme', limit }),
        check: list(limit, (d) => {
          const o = d as Record<string, unknown>;
          assert.ok(typeof o.id === 'string' && typeof o.name === 'string' && o.name.length > 0 && typeof o.tenant === 'string', 'database');
        }),
      };
    },
  },
  { name: 'getDatabase', run: async (c) => ({ result: await c.getDatabase('docs', { tenant: 'acme' }), check: (d) => assert.equal(typeof (d as { name: unknown }).name, 'string') }) },
  {
    name: 'listCollections',
    run: async (c, rng) => {
      const limit = rng.pick([1, 10, 100]);
      return { result: await c.listCollections({ limit }), check: list(limit, checkCollection) };
    },
  },
  {
    name: 'iterateCollections',
    run: async (c) => {
      const seen: unknown[] = [];
      for await (const col of c.iterateCollections({ pageSize: 5 })) {
        seen.push(col);
        if (seen.length >= 15) {
          break;
        }
      }
      return { result: seen, check: list(15, checkCollection) };
    },
  },
  { name: 'countCollections', run: async (c) => ({ result: await c.countCollections(), check: count }) },
  { name: 'getCollection', run: async (c) => ({ result: await c.getCollection('notes'), check: checkCollection }) },
  { name: 'createCollection', run: async (c) => ({ result: await c.createCollection({ name: 'notes-1', metadata: { owner: 'me' } }), check: checkCollection }) },
  { name: 'modifyCollection', run: async (c, rng) => ({ result: await c.modifyCollection(ref(rng), { name: 'renamed', metadata: { a: 1 } }), check: anything }) },
  { name: 'deleteCollection', run: async (c) => ({ result: await c.deleteCollection('notes'), check: anything }) },
  { name: 'count', run: async (c, rng) => ({ result: await c.count(ref(rng)), check: count }) },
  {
    name: 'add',
    run: async (c, rng) => {
      const rs = recordSet(rng);
      return { result: await c.add(ref(rng), rs), check: (r) => assert.equal((r as { written: number }).written, rs.ids.length) };
    },
  },
  {
    name: 'upsert',
    run: async (c, rng) => {
      const rs = recordSet(rng);
      return { result: await c.upsert(ref(rng), rs), check: (r) => assert.equal((r as { written: number }).written, rs.ids.length) };
    },
  },
  { name: 'update', run: async (c, rng) => ({ result: await c.update(ref(rng), { ids: ['a', 'b'], metadatas: [{ x: null }, { y: 2 }] }), check: anything }) },
  { name: 'delete', run: async (c, rng) => ({ result: await c.delete(ref(rng), { ids: ['a'] }), check: anything }) },
  {
    name: 'get',
    run: async (c, rng) => {
      const ids = rng.chance(0.3) ? ['a', 'b', 'c'] : undefined;
      const limit = rng.pick([undefined, 1, 10, 100]);
      const include = rng.pick([undefined, ['documents' as const], ['embeddings' as const, 'metadatas' as const, 'uris' as const, 'documents' as const]]);
      const max = Math.min(limit ?? Infinity, ids?.length ?? Infinity);
      return { result: await c.get(ref(rng), { ids, limit, include }), check: checkGet(max) };
    },
  },
  {
    name: 'iterateRecords',
    run: async (c, rng) => {
      const pages: unknown[] = [];
      for await (const page of c.iterateRecords(ref(rng), { pageSize: 4 })) {
        pages.push(page);
        if (pages.length >= 3) {
          break;
        }
      }
      return { result: pages, check: (ps) => (ps as unknown[]).forEach((p) => checkGet(4)(p)) };
    },
  },
  {
    name: 'query',
    run: async (c, rng) => {
      const queries = rng.int(1, 3);
      const nResults = rng.pick([1, 5, 10]);
      const include = rng.pick([undefined, ['distances' as const], ['embeddings' as const, 'metadatas' as const, 'documents' as const, 'distances' as const, 'uris' as const]]);
      const queryEmbeddings = Array.from({ length: queries }, () => [rng.next(), rng.next(), rng.next()]);
      return { result: await c.query(ref(rng), { queryEmbeddings, nResults, include }), check: checkQuery(queries, nResults) };
    },
  },
];
