/**
 * A hostile Chroma server for tests: a local node:http server that answers any request with an answer generated
 * from a seed. Some answers are correct for the endpoint (so calls can succeed), the rest are garbage: wrong types,
 * truncated JSON, inconsistent get/query results, wrong-length vectors and bad base64, HTML error pages (also 100 KB
 * of `<`), huge bodies and compression bombs, slow-loris trickles, stalls, resets, malformed HTTP, 1xx/3xx/5xx
 * statuses, and redirects to another origin, where a recorder counts whatever arrives.
 *
 * `hostileCase(seed, request)` is the generator on its own: the same seed and request always give the same case,
 * so it can drive other consumers (the tree model, record views) and a failure replays from its seed.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { deflateSync, gzipSync } from 'node:zlib';
import { seededRandom } from '../../src/util/random';

// ------------------------------------------------------------------ seeded randomness

/** 32-bit mix of two numbers: case seeds from a run seed and a case index, request seeds from a case seed. */
export function mixSeed(a: number, b: number): number {
  let h = (Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x6b43a9b5, 0xc2b2ae35)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Seeded (mulberry32, src/util/random.ts): small, fast, good enough to pick garbage. */
export class Rng {
  readonly next: () => number;

  constructor(seed: number) {
    this.next = seededRandom(seed);
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** One key of `weights`, drawn in proportion to its weight. */
  weighted<K extends string>(weights: Record<K, number>): K {
    const entries = Object.entries(weights) as Array<[K, number]>;
    let r = this.next() * entries.reduce((n, [, w]) => n + w, 0);
    for (const [key, w] of entries) {
      r -= w;
      if (r < 0) {
        return key;
      }
    }
    return entries[entries.length - 1][0];
  }

  word(min = 3, max = 12): string {
    const chars = 'abcdefghijklmnopqrstuvwxyz0123456789';
    let s = '';
    for (let i = this.int(min, max); i > 0; i--) {
      s += chars[this.int(0, chars.length - 1)];
    }
    return s;
  }
}

// ------------------------------------------------------------------ requests and cases

export interface HostileRequest {
  method: string;
  /** Path and query below the server root, e.g. `/api/v2/tenants/t/databases/d/collections?limit=10`. */
  path: string;
  /** The parsed JSON request body, when there was one. */
  body?: unknown;
}

/**
 * What a client must make of a case: `ok` (a correct answer: the call must succeed), `error` (the call must fail
 * with a typed error), or `either` (garbage that may happen to be acceptable, e.g. a mutated field that is optional).
 */
export type Expect = 'ok' | 'error' | 'either';

export interface HostileCase {
  /** What kind of garbage this is, for failure messages and statistics. */
  label: string;
  expect: Expect;
  /** The ChromaError code a client must fail with when this is the last answer, where one code is right. */
  expectCode?: 'redirect' | 'unexpected-response' | 'response-too-large' | 'timeout';
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  /** Bytes written straight to the socket instead of an HTTP response (malformed HTTP, 1xx, not HTTP at all). */
  raw?: Buffer;
  /** After `raw` or the headers: keep the connection open and send nothing more. */
  stall?: boolean;
  /** Send the body this many bytes at a time, `everyMs` apart. */
  trickle?: { bytes: number; everyMs: number };
  /** Send only this many bytes of the body, then destroy the socket. */
  cutAfter?: number;
  /** A path on the recorder origin to redirect to (the Location is made from it). */
  redirectPath?: string;
}

export interface HostileOptions {
  /** The client's response cap: huge bodies are made just over it, valid large ones under it. */
  maxBodyBytes: number;
  /** A secret the client sends, which error bodies sometimes echo back (it must never reach a message). */
  secret?: string;
}

interface Route {
  kind:
    | 'heartbeat'
    | 'version'
    | 'preflight'
    | 'healthcheck'
    | 'identity'
    | 'tenant'
    | 'databases'
    | 'database'
    | 'collections'
    | 'collectionsCount'
    | 'collection'
    | 'count'
    | 'get'
    | 'query'
    | 'write'
    | 'unknown';
  limit?: number;
  tenant?: string;
  database?: string;
}

function route(req: HostileRequest): Route {
  const [pathname, search = ''] = req.path.split('?', 2);
  const query = new URLSearchParams(search);
  const limitText = query.get('limit');
  const limit = limitText === null ? undefined : Number(limitText);
  const p = pathname.replace(/^\/api\/v[12]/, '').split('/').filter(Boolean).map(decodeURIComponent);
  const get = req.method === 'GET';
  const scope = { tenant: p[1], database: p[3] };
  if (p.length === 1 && get) {
    const system: Record<string, Route['kind']> = {
      heartbeat: 'heartbeat',
      version: 'version',
      'pre-flight-checks': 'preflight',
      healthcheck: 'healthcheck',
    };
    return { kind: system[p[0]] ?? 'unknown' };
  }
  if (p[0] === 'auth' && p[1] === 'identity') {
    return { kind: 'identity' };
  }
  if (p[0] !== 'tenants') {
    return { kind: 'unknown' };
  }
  if (!get) {
    if (req.method === 'POST' && p.length === 5 && p[4] === 'collections') {
      return { kind: 'collection', ...scope };
    }
    if (req.method === 'POST' && p[6] === 'get') {
      return { kind: 'get', ...scope };
    }
    if (req.method === 'POST' && p[6] === 'query') {
      return { kind: 'query', ...scope };
    }
    return { kind: 'write' };
  }
  switch (p.length) {
    case 2:
      return { kind: 'tenant', tenant: p[1] };
    case 3:
      return { kind: 'databases', tenant: p[1], limit };
    case 4:
      return { kind: 'database', ...scope };
    case 5:
      return p[4] === 'collections_count' ? { kind: 'collectionsCount' } : { kind: 'collections', ...scope, limit };
    case 6:
      return { kind: 'collection', ...scope };
    default:
      return p[6] === 'count' ? { kind: 'count' } : { kind: 'unknown' };
  }
}

// ------------------------------------------------------------------ valid answers

function uuid(rng: Rng): string {
  const hex = () => rng.int(0, 0xffff).toString(16).padStart(4, '0');
  return `${hex()}${hex()}-${hex()}-${hex()}-${hex()}-${hex()}${hex()}${hex()}`;
}

function scalarValue(rng: Rng): string | number | boolean {
  switch (rng.int(0, 3)) {
    case 0:
      return rng.word();
    case 1:
      return rng.int(-1000, 1000);
    case 2:
      return rng.next() * 100;
    default:
      return rng.chance(0.5);
  }
}

function validMetadata(rng: Rng): Record<string, unknown> | null {
  if (rng.chance(0.2)) {
    return null;
  }
  const m: Record<string, unknown> = {};
  for (let i = rng.int(0, 5); i > 0; i--) {
    m[rng.word(1, 10)] = scalarValue(rng);
  }
  // Newer servers: arrays of scalars and sparse vectors.
  if (rng.chance(0.05)) {
    m.tags = [rng.word(), rng.word()];
  }
  if (rng.chance(0.03)) {
    m.sparse = { '#type': 'sparse_vector', indices: [1, 5, 9], values: [0.5, 0.25, 1] };
  }
  return m;
}

function validEmbedding(rng: Rng, dim: number, base64: boolean): number[] | string {
  const v = Array.from({ length: dim }, () => Math.round((rng.next() * 2 - 1) * 1e6) / 1e6);
  return base64 ? Buffer.from(new Float32Array(v).buffer).toString('base64') : v;
}

function validCollection(rng: Rng, scope: { tenant?: string; database?: string }): Record<string, unknown> {
  const c: Record<string, unknown> = {
    id: uuid(rng),
    name: `${rng.word()}-${rng.int(0, 999)}`,
    metadata: validMetadata(rng),
    dimension: rng.chance(0.3) ? null : rng.int(1, 1536),
    tenant: scope.tenant ?? 'default_tenant',
    database: scope.database ?? 'default_database',
  };
  // Fields of 1.x, which 0.6 servers omit.
  if (rng.chance(0.8)) {
    c.configuration_json = rng.chance(0.2)
      ? null
      : { hnsw: { space: 'l2', ef_construction: 100 }, embedding_function: { type: 'known', name: 'default', config: {} } };
    c.log_position = rng.int(0, 10_000);
    c.version = rng.int(0, 10);
  }
  // Fields of newer servers.
  if (rng.chance(0.2)) {
    c.schema = { defaults: {}, keys: {} };
  }
  return c;
}

interface GetBody {
  ids?: unknown;
  limit?: unknown;
  include?: unknown;
  query_embeddings?: unknown;
  n_results?: unknown;
}

function includes(body: GetBody, fallback: string[]): string[] {
  return Array.isArray(body.include) ? body.include.filter((x): x is string => typeof x === 'string') : fallback;
}

/** Records for a get or one query row: `n` of them, with the included fields. */
function records(rng: Rng, n: number, include: string[], dim: number, base64: boolean, idsAsked?: string[]) {
  const ids = idsAsked ? idsAsked.slice(0, n) : Array.from({ length: n }, (_, i) => `${rng.word(1, 8)}-${i}`);
  return {
    ids,
    documents: include.includes('documents') ? ids.map(() => (rng.chance(0.1) ? null : `doc ${rng.word(0, 40)}`)) : null,
    metadatas: include.includes('metadatas') ? ids.map(() => validMetadata(rng)) : null,
    embeddings: include.includes('embeddings') ? ids.map(() => validEmbedding(rng, dim, base64)) : null,
    uris: include.includes('uris') ? ids.map(() => (rng.chance(0.5) ? null : `file:///${rng.word()}`)) : null,
  };
}

/** A correct answer for the request's endpoint, or undefined for a path Chroma does not have. */
export function validAnswer(req: HostileRequest, rng: Rng): { status: number; json: unknown } | undefined {
  const r = route(req);
  const body = (typeof req.body === 'object' && req.body !== null ? req.body : {}) as GetBody;
  const big = rng.chance(0.03);
  switch (r.kind) {
    case 'heartbeat':
      return { status: 200, json: { 'nanosecond heartbeat': Date.now() * 1e6 + rng.int(0, 999) } };
    case 'version':
      return { status: 200, json: rng.pick(['1.0.0', '0.6.3', '0.5.18', '1.3.4']) };
    case 'preflight': {
      const json: Record<string, unknown> = { max_batch_size: rng.pick([1, 7, 100, 1000, 5461, 41_666]) };
      if (rng.chance(0.7)) {
        json.supports_base64_encoding = rng.chance(0.5);
      }
      return { status: 200, json };
    }
    case 'healthcheck':
      return { status: 200, json: { is_executor_ready: true, is_log_client_ready: rng.chance(0.9) } };
    case 'identity':
      return {
        status: 200,
        json: { user_id: rng.chance(0.5) ? '' : rng.word(), tenant: 'default_tenant', databases: ['default_database', ...(rng.chance(0.3) ? [rng.word()] : [])] },
      };
    case 'tenant':
      return { status: 200, json: { name: r.tenant, ...(rng.chance(0.3) ? { resource_name: rng.word() } : {}) } };
    case 'databases':
    case 'collections': {
      const limit = r.limit !== undefined && Number.isInteger(r.limit) && r.limit >= 0 ? r.limit : 100;
      const n = Math.min(limit, big ? rng.int(0, 400) : rng.int(0, 12));
      const item = () =>
        r.kind === 'databases' ? { id: uuid(rng), name: rng.word(), tenant: r.tenant } : validCollection(rng, r);
      return { status: 200, json: Array.from({ length: n }, item) };
    }
    case 'database':
      return { status: 200, json: { id: uuid(rng), name: r.database, tenant: r.tenant } };
    case 'collectionsCount':
    case 'count':
      return { status: 200, json: rng.int(0, big ? 2 ** 40 : 5000) };
    case 'collection':
      return { status: req.method === 'POST' ? rng.pick([200, 201]) : 200, json: validCollection(rng, r) };
    case 'get': {
      const askedIds = Array.isArray(body.ids) ? body.ids.filter((x): x is string => typeof x === 'string') : undefined;
      const limit = typeof body.limit === 'number' ? body.limit : Infinity;
      // Big answers stay under the client's 1 MiB cap at their largest: 1,000 records of 48 floats (~11 bytes
      // each as JSON), a 5-key metadata and a 44-byte document come to ~0.8 MiB. (2,000 × 64 once made 1.3 MiB.)
      const cap = Math.min(limit, askedIds?.length ?? Infinity, big ? 1000 : 30);
      const dim = rng.int(1, big ? 48 : 16);
      const n = rng.int(0, Number.isFinite(cap) ? cap : 30);
      const include = includes(body, ['documents', 'metadatas']);
      return { status: 200, json: { ...records(rng, n, include, dim, rng.chance(0.3), askedIds), include } };
    }
    case 'query': {
      const queries = Array.isArray(body.query_embeddings) ? body.query_embeddings.length : 1;
      const nResults = typeof body.n_results === 'number' ? body.n_results : 10;
      const include = includes(body, ['documents', 'metadatas', 'distances']);
      const dim = rng.int(1, 16);
      const rows = Array.from({ length: queries }, () => records(rng, rng.int(0, Math.min(nResults, 20)), include, dim, rng.chance(0.3)));
      const field = (name: 'documents' | 'metadatas' | 'embeddings' | 'uris') => (include.includes(name) ? rows.map((row) => row[name]) : null);
      return {
        status: 200,
        json: {
          ids: rows.map((row) => row.ids),
          documents: field('documents'),
          metadatas: field('metadatas'),
          embeddings: field('embeddings'),
          uris: field('uris'),
          distances: include.includes('distances') ? rows.map((row) => row.ids.map(() => (rng.chance(0.05) ? null : rng.next() * 2))) : null,
          include,
        },
      };
    }
    case 'write':
      return { status: rng.pick([200, 201]), json: rng.pick([{}, true, null]) };
    case 'unknown':
      return undefined;
  }
}

// ------------------------------------------------------------------ garbage

/** A random JSON value of limited depth. */
export function randomJson(rng: Rng, depth = 3): unknown {
  switch (rng.int(0, depth > 0 ? 9 : 5)) {
    case 0:
      return null;
    case 1:
      return rng.chance(0.5);
    case 2:
      return rng.pick([0, -1, 12, 1.5, 1e300, -0, 2 ** 53 + 2]);
    case 3:
      return rng.pick(['', '12 records', 'null', '<html>', rng.word(), '\u202eevil\u0000\n']);
    case 4:
      return [];
    case 5:
      return {};
    case 6:
    case 7:
      return Array.from({ length: rng.int(1, 4) }, () => randomJson(rng, depth - 1));
    default: {
      const o: Record<string, unknown> = {};
      for (let i = rng.int(1, 4); i > 0; i--) {
        o[rng.pick(['ids', 'id', 'name', 'metadata', 'metadatas', 'embeddings', 'documents', 'error', rng.word()])] = randomJson(rng, depth - 1);
      }
      return o;
    }
  }
}

/** Every place in a JSON value, as paths of keys and indices. */
function places(value: unknown, path: Array<string | number> = [], out: Array<Array<string | number>> = [], budget = { n: 400 }): Array<Array<string | number>> {
  if (budget.n-- <= 0) {
    return out;
  }
  out.push(path);
  if (Array.isArray(value)) {
    value.slice(0, 20).forEach((v, i) => places(v, [...path, i], out, budget));
  } else if (typeof value === 'object' && value !== null) {
    for (const key of Object.keys(value).slice(0, 20)) {
      places((value as Record<string, unknown>)[key], [...path, key], out, budget);
    }
  }
  return out;
}

/** One change at a random place of a (copied) valid answer: the garbage that looks almost right. */
function mutate(json: unknown, rng: Rng): { json: unknown; how: string } {
  const copy = JSON.parse(JSON.stringify(json)) as unknown;
  const all = places(copy);
  const path = rng.pick(all);
  if (path.length === 0) {
    return { json: randomJson(rng), how: 'replaced' };
  }
  const parent = path.slice(0, -1).reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], copy) as Record<string | number, unknown>;
  const key = path[path.length - 1];
  const how = rng.weighted({ type: 4, remove: 2, lengthen: 2, shorten: 2, duplicate: 1, vector: 1, base64: 1, huge: 1 });
  const target = parent[key];
  switch (how) {
    case 'type':
      parent[key] = randomJson(rng, 1);
      break;
    case 'remove':
      if (Array.isArray(parent)) {
        parent.splice(Number(key), 1);
      } else {
        delete parent[key];
      }
      break;
    case 'lengthen':
      if (Array.isArray(target)) {
        target.push(target.length ? target[0] : randomJson(rng, 1));
      } else {
        parent[key] = [target, target];
      }
      break;
    case 'shorten':
      if (Array.isArray(target)) {
        target.pop();
      } else {
        parent[key] = null;
      }
      break;
    case 'duplicate':
      if (Array.isArray(target) && target.length > 1) {
        target[1] = target[0];
      } else {
        parent[key] = '12 records';
      }
      break;
    case 'vector':
      parent[key] = rng.pick([[1, 2, 'x'], [1e400], [], [[1]], Array.from({ length: 7 }, () => rng.next())]);
      break;
    case 'base64':
      parent[key] = rng.pick(['AAAA', 'AAAAAA==', '!!!!', 'AACAPw', 'AACAPwAAgH8=', 'AACAPw==AACAPw==']);
      break;
    case 'huge':
      parent[key] = 'x'.repeat(rng.int(10_000, 100_000));
      break;
  }
  return { json: copy, how: `${how} at ${path.join('.') || 'root'}` };
}

let bombCache: { gzip: Buffer; deflate: Buffer } | undefined;

/**
 * Compression bombs. gzip: about 1 MB that grows to 1 GiB: one member of 1 MiB of spaces, repeated (gzip allows
 * concatenated members; fetch decodes them all), so making it costs almost nothing. deflate: 16 MiB compressed.
 */
export function compressionBombs(): { gzip: Buffer; deflate: Buffer } {
  if (!bombCache) {
    const member = gzipSync(Buffer.alloc(1024 * 1024, 0x20), { level: 9 });
    const copies = Math.ceil((1024 * 1024) / member.length);
    bombCache = {
      gzip: Buffer.concat(Array.from({ length: copies }, () => member)),
      deflate: deflateSync(Buffer.alloc(16 * 1024 * 1024, 0x20), { level: 9 }),
    };
  }
  return bombCache;
}

const json = (value: unknown) => Buffer.from(JSON.stringify(value) ?? 'null');
const JSON_TYPE = { 'content-type': 'application/json' };
const HTML_TYPE = { 'content-type': 'text/html' };

function errorBody(rng: Rng, secret: string | undefined): Buffer {
  const message = rng.weighted({ plain: 3, long: 2, control: 2, secret: 1 });
  const text =
    message === 'plain'
      ? 'Error executing plan: something broke'
      : message === 'long'
        ? `${'line one\n'.repeat(rng.int(1, 20))}${'m'.repeat(rng.int(1000, 300_000))}`
        : message === 'control'
          ? '\u001b[31mred\u0007\u202eoverride\u2066isolate\r\n\u0000end\u0085\u2028'
          : `bad token ${secret ?? 'none'} for tenant`;
  return json(rng.chance(0.8) ? { error: rng.pick(['InternalError', 'InvalidArgumentError', `Kind${'\n'.repeat(3)}`, 'x'.repeat(5000)]), message: text } : { detail: text });
}

/** The case for one request: a correct answer, or one of many kinds of garbage. Deterministic in `seed` and `req`. */
export function hostileCase(seed: number, req: HostileRequest, opts: HostileOptions): HostileCase {
  const rng = new Rng(seed);
  const valid = validAnswer(req, rng);
  const base = (label: string, expect: Expect, status: number, body: Buffer, headers: Record<string, string> = JSON_TYPE): HostileCase => ({
    label,
    expect,
    status,
    headers: { ...headers },
    body,
  });
  const kind = rng.weighted({
    valid: 40,
    mutated: 20,
    randomJson: 6,
    truncated: 4,
    notJson: 3,
    html: 3,
    ltPage: 1,
    status: 5,
    redirect: 4,
    huge: 2,
    bomb: 2,
    gzipValid: 2,
    badGzip: 1,
    slowLoris: 2,
    stall: 1,
    cut: 2,
    reset: 1,
    malformed: 1,
    informational: 1,
  });
  const validBody = valid ? json(valid.json) : undefined;
  if (validBody && validBody.length >= opts.maxBodyBytes) {
    // A harness bug, not a client one: a correct answer must fit under the client's cap.
    throw new Error(`hostile server: a valid answer of ${validBody.length} bytes is over the ${opts.maxBodyBytes}-byte cap`);
  }
  switch (kind) {
    case 'valid':
      return valid ? base('valid', 'ok', valid.status, validBody!) : base('404', 'error', 404, json({ detail: 'Not Found' }));
    case 'mutated': {
      if (!valid) {
        return base('404', 'error', 404, json({ error: 'NotFoundError', message: 'no such thing' }));
      }
      const m = mutate(valid.json, rng);
      return base(`mutated (${m.how})`, 'either', 200, json(m.json));
    }
    case 'randomJson':
      return base('random JSON', 'either', rng.pick([200, 201]), json(randomJson(rng)));
    case 'truncated': {
      const whole = validBody ?? json(randomJson(rng));
      const cut = whole.subarray(0, rng.int(0, Math.max(0, whole.length - 1)));
      let parses = cut.length === 0;
      try {
        JSON.parse(cut.toString('utf8'));
        parses = true;
      } catch {
        // truncated for real
      }
      return base('truncated JSON', parses ? 'either' : 'error', 200, cut);
    }
    case 'notJson':
      return base('2xx not JSON', 'error', 200, Buffer.from(rng.pick(['12 records', 'OK', '<html><body>Welcome to nginx!</body></html>', '{"ids": [', 'NaN', "{'a': 1}"])), rng.chance(0.5) ? HTML_TYPE : JSON_TYPE);
    case 'html': {
      const status = rng.pick([200, 400, 404, 500, 502, 503, 504, 520]);
      const page = `<!DOCTYPE html><html><head><title>${status} Error</title><script>alert(1)</script></head><body><h1>${rng.word()}</h1>${'<p>filler</p>'.repeat(rng.int(0, 2000))}</body></html>`;
      return base(`HTML ${status}`, 'error', status, Buffer.from(page), HTML_TYPE);
    }
    case 'ltPage':
      return base('100 KB of <', 'error', rng.pick([200, 500, 502]), Buffer.alloc(100 * 1024, '<'), HTML_TYPE);
    case 'status': {
      const status = rng.pick([400, 401, 403, 404, 405, 409, 413, 418, 422, 429, 500, 501, 502, 503, 504, 599, 600, 799, 999]);
      const headers: Record<string, string> = { ...JSON_TYPE };
      if (status === 429 || status === 503) {
        headers['retry-after'] = rng.pick(['0', '1', '-5', 'soon', 'Wed, 21 Oct 2015 07:28:00 GMT', '99999']);
      }
      return base(`status ${status}`, 'error', status, rng.chance(0.8) ? errorBody(rng, opts.secret) : Buffer.alloc(0), headers);
    }
    case 'redirect': {
      const status = rng.pick([300, 301, 302, 303, 304, 305, 307, 308]);
      const c = base(`redirect ${status}`, 'error', status, Buffer.from('moved'), HTML_TYPE);
      // 304 is "not modified", no redirect: the client says so as an unexpected answer
      c.expectCode = status === 304 ? 'unexpected-response' : 'redirect';
      c.redirectPath = rng.chance(0.9) ? req.path : undefined;
      return c;
    }
    case 'huge': {
      const size = opts.maxBodyBytes + rng.int(1, opts.maxBodyBytes * 2);
      const c = base('huge body', 'error', rng.pick([200, 500]), Buffer.alloc(size, rng.pick(['[', ' ', '"', 'a'])));
      c.expectCode = 'response-too-large';
      if (rng.chance(0.5)) {
        // Chunked: no length announced, so only counting catches it.
        c.headers['transfer-encoding'] = 'chunked';
      }
      return c;
    }
    case 'bomb': {
      const bombs = compressionBombs();
      const gzip = rng.chance(0.7);
      return {
        ...base(`${gzip ? 'gzip' : 'deflate'} bomb`, 'error', 200, gzip ? bombs.gzip : bombs.deflate, { ...JSON_TYPE, 'content-encoding': gzip ? 'gzip' : 'deflate' }),
        expectCode: 'response-too-large',
      };
    }
    case 'gzipValid':
      return valid
        ? base('valid, gzip-compressed', 'ok', valid.status, gzipSync(validBody!), { ...JSON_TYPE, 'content-encoding': 'gzip' })
        : base('404', 'error', 404, json({ detail: 'Not Found' }));
    case 'badGzip':
      return base('not really gzip', 'error', 200, Buffer.from('this is not gzip at all'), { ...JSON_TYPE, 'content-encoding': 'gzip' });
    case 'slowLoris': {
      // 1 byte per 200 ms of at least 20 bytes: never complete within a client timeout under 4 s.
      const body = Buffer.concat([validBody ?? json(randomJson(rng)), Buffer.alloc(20, ' ')]);
      const c = base('slow-loris', 'error', 200, body);
      c.expectCode = 'timeout';
      c.headers['content-length'] = String(body.length);
      c.trickle = { bytes: 1, everyMs: 200 };
      return c;
    }
    case 'stall':
      return { ...base('stall', 'error', 200, Buffer.alloc(0)), stall: true, expectCode: 'timeout' };
    case 'cut': {
      const body = validBody ?? json(randomJson(rng));
      const c = base('cut short', 'error', 200, body);
      c.headers['content-length'] = String(body.length + rng.int(1, 1000));
      c.cutAfter = rng.int(0, body.length);
      return c;
    }
    case 'reset':
      return { ...base('reset before answering', 'error', 200, Buffer.alloc(0)), cutAfter: -1 };
    case 'malformed':
      return {
        ...base('malformed HTTP', 'error', 0, Buffer.alloc(0)),
        raw: Buffer.from(
          rng.pick([
            'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\nhello',
            'SSH-2.0-OpenSSH_9.6\r\n',
            'HTTP/1.1 abc Nope\r\n\r\n',
            `HTTP/1.1 200 OK\r\nX-Big: ${'h'.repeat(100_000)}\r\n\r\n`,
            'HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n{}',
            '\u0000\u0001\u0002garbage\r\n\r\n',
          ]),
        ),
      };
    case 'informational':
      return {
        ...base('1xx then nothing', 'error', 0, Buffer.alloc(0)),
        raw: Buffer.from(rng.pick(['HTTP/1.1 102 Processing\r\n\r\n', 'HTTP/1.1 103 Early Hints\r\nLink: </x>; rel=preload\r\n\r\n', 'HTTP/1.1 100 Continue\r\n\r\n'])),
        stall: true,
      };
  }
}

// ------------------------------------------------------------------ servers

/** A plain server that answers 200 with a heartbeat and records every request that reaches it: "somewhere else". */
export class Recorder {
  readonly seen: Array<{ method: string; path: string; headers: IncomingMessage['headers']; bodyBytes: number }> = [];

  private constructor(private readonly server: Server) {}

  static async start(): Promise<Recorder> {
    const server = createServer();
    const recorder = new Recorder(server);
    server.on('request', (req, res) => {
      let bodyBytes = 0;
      req.on('data', (c: Buffer) => (bodyBytes += c.length));
      req.on('end', () => {
        recorder.seen.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, bodyBytes });
        res.writeHead(200, JSON_TYPE);
        res.end(JSON.stringify({ 'nanosecond heartbeat': 1 }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    return recorder;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}

export interface ServedCase {
  label: string;
  expect: Expect;
  expectCode?: HostileCase['expectCode'];
  method: string;
  path: string;
}

/**
 * Serves hostile cases. A client addresses one fuzz case through its base URL: `${server.url}/c/<caseSeed>`. The
 * n-th request of that case is answered with `hostileCase(mixSeed(caseSeed, n), request)`, and recorded in
 * `served(caseSeed)`. Redirects point at the recorder.
 */
export class HostileServer {
  private readonly servedBySeed = new Map<number, ServedCase[]>();
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();

  private constructor(
    private readonly server: Server,
    readonly recorder: Recorder,
    private readonly opts: HostileOptions,
    private readonly generate: (seed: number, req: HostileRequest, opts: HostileOptions) => HostileCase,
  ) {}

  static async start(
    opts: HostileOptions,
    generate: (seed: number, req: HostileRequest, opts: HostileOptions) => HostileCase = hostileCase,
  ): Promise<HostileServer> {
    compressionBombs(); // made up front: making them later would stall the event loop mid-run
    const server = createServer({ maxHeaderSize: 64 * 1024 });
    const hostile = new HostileServer(server, await Recorder.start(), opts, generate);
    server.on('connection', (socket) => {
      hostile.sockets.add(socket);
      socket.on('close', () => hostile.sockets.delete(socket));
    });
    server.on('request', (req, res) => hostile.handle(req, res));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    return hostile;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The base URL a client uses for one fuzz case. */
  caseUrl(caseSeed: number): string {
    return `${this.url}/c/${caseSeed >>> 0}`;
  }

  /** What was answered so far to the requests of a case, in order. */
  served(caseSeed: number): ServedCase[] {
    return this.servedBySeed.get(caseSeed >>> 0) ?? [];
  }

  forget(caseSeed: number): void {
    this.servedBySeed.delete(caseSeed >>> 0);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    let bytes = 0;
    req.on('data', (c: Buffer) => {
      bytes += c.length;
      if (bytes < 16 * 1024 * 1024) {
        chunks.push(c);
      }
    });
    req.on('end', () => {
      const match = /^\/c\/(\d+)(\/.*)?$/.exec(req.url ?? '');
      if (!match) {
        res.writeHead(404, JSON_TYPE);
        res.end('{"detail":"Not Found"}');
        return;
      }
      const caseSeed = Number(match[1]) >>> 0;
      let body: unknown;
      try {
        body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined;
      } catch {
        body = undefined;
      }
      const request: HostileRequest = { method: req.method ?? 'GET', path: match[2] ?? '/', body };
      const served = this.servedBySeed.get(caseSeed) ?? [];
      this.servedBySeed.set(caseSeed, served);
      const c = this.generate(mixSeed(caseSeed, served.length), request, this.opts);
      served.push({ label: c.label, expect: c.expect, expectCode: c.expectCode, method: request.method, path: request.path });
      this.answer(req, res, c, `/c/${caseSeed}`);
    });
  }

  private later(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
  }

  /** `prefix`: the case's own path prefix, kept on redirects so the recorder can tell which case sent what. */
  private answer(req: IncomingMessage, res: ServerResponse, c: HostileCase, prefix: string): void {
    const socket = req.socket;
    if (c.raw) {
      socket.write(c.raw);
      if (!c.stall) {
        socket.end();
      }
      return;
    }
    if (c.stall) {
      return;
    }
    if (c.cutAfter === -1) {
      socket.destroy();
      return;
    }
    const headers: Record<string, string> = { ...c.headers };
    if (c.redirectPath !== undefined) {
      headers.location = `${this.recorder.url}${prefix}${c.redirectPath}`;
    }
    if (!headers['content-length'] && !headers['transfer-encoding']) {
      headers['content-length'] = String(c.body.length);
    }
    try {
      res.writeHead(c.status, headers);
    } catch {
      socket.destroy();
      return;
    }
    if (c.trickle) {
      const { bytes, everyMs } = c.trickle;
      let at = 0;
      const step = () => {
        if (res.destroyed || at >= c.body.length) {
          res.end();
          return;
        }
        res.write(c.body.subarray(at, at + bytes));
        at += bytes;
        this.later(everyMs, step);
      };
      step();
      return;
    }
    if (c.cutAfter !== undefined) {
      res.write(c.body.subarray(0, c.cutAfter));
      this.later(5, () => socket.destroy());
      return;
    }
    res.end(c.body);
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) {
      clearTimeout(timer);
    }
    for (const socket of this.sockets) {
      socket.destroy();
    }
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
    await this.recorder.stop();
  }
}
