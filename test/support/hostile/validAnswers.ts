/**
 * Correct answers of a Chroma server for any request the client makes, generated from a seed: the routes, and
 * records, collections, metadata and embeddings of the right shapes.
 */
import type { Rng } from './rng';
import type { HostileRequest } from './types';

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
