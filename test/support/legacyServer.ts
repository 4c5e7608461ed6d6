/**
 * A stand-in for Chroma 0.5.18–0.6.3 (Python, which cannot run here), replaying what the real servers answer: their
 * bodies and statuses, from FastAPI's routes and Chroma's error handler (a ValueError is 400 InvalidArgumentError, a
 * ChromaError its own code, anything else 500 with the exception's repr), and, for filters, the rules of 0.6.3's
 * validate_where / validate_where_document (chromadb/api/types.py) with their messages word for word.
 */
import { HttpStub } from './httpStub';
import type { StubAnswer, StubRequest } from './httpStub';

export const LEGACY_DB = '/api/v2/tenants/default_tenant/databases/default_database';
export const HEARTBEAT: StubAnswer = { body: { 'nanosecond heartbeat': 1732000000000000000 } };
/** FastAPI's own answers for a path it has no route for, and for a route without that method. */
export const NO_ROUTE: StubAnswer = { status: 404, body: { detail: 'Not Found' } };
export const NO_METHOD: StubAnswer = { status: 405, body: { detail: 'Method Not Allowed' } };

/** The configuration_json 0.6.3 stores: its defaults, or the legacy HNSW settings it was given. */
export function configurationJson(sent: unknown): Record<string, unknown> {
  const given = (sent as { hnsw_configuration?: Record<string, unknown> } | undefined)?.hnsw_configuration ?? {};
  return {
    hnsw_configuration: {
      space: 'l2', ef_construction: 100, ef_search: 100, num_threads: 2, M: 16, resize_factor: 1.2, batch_size: 100, sync_threshold: 1000,
      ...given,
      _type: 'HNSWConfigurationInternal',
    },
    _type: 'CollectionConfigurationInternal',
  };
}

export interface Legacy {
  stub: HttpStub;
  /** Collections by `database/name`. */
  collections: Map<string, Record<string, unknown>>;
  /** Record ids per write request, in order. */
  writes: Array<{ op: string; ids: string[]; bytes: number; embeddings: unknown[] }>;
}

export interface LegacyOptions {
  listsDatabases: boolean;
  /** The tenant's databases (default: default_database). */
  databases?: string[];
  /** The version it reports (default 0.6.3 when it lists databases, else 0.6.2). */
  version?: string;
  /** 0.5: listing the collections of a database that does not exist answers an empty list (0.6: 404). */
  missingDatabaseListsEmpty?: boolean;
  /** What /auth/identity names (default: the databases; the real SegmentAPI names default_database whatever exists). */
  identity?: string[];
}

const invalid = (message: string): StubAnswer => ({ status: 400, body: { error: 'InvalidArgumentError', message } });

/** Python's str() of a parsed JSON value, near enough for the messages (they quote the operand). */
function py(v: unknown): string {
  return JSON.stringify(v)
    .replace(/"/g, "'")
    .replace(/\btrue\b/g, 'True')
    .replace(/\bfalse\b/g, 'False')
    .replace(/\bnull\b/g, 'None');
}

type PyType = 'str' | 'bool' | 'int' | 'float' | 'other';

/** The Python type each item of every `$in` / `$nin` list in the raw body has, in order (2.0 is a float there). */
function rawListTypes(raw: string): PyType[][] {
  const out: PyType[][] = [];
  for (const m of raw.matchAll(/"\$n?in"\s*:\s*\[([^\][{}]*)\]/g)) {
    const items = m[1].match(/"(?:[^"\\]|\\.)*"|[^,\s]+/g) ?? [];
    out.push(items.map((t) => (t.startsWith('"') ? 'str' : t === 'true' || t === 'false' ? 'bool' : /^-?\d+$/.test(t) ? 'int' : /^-?[\d.eE+-]+$/.test(t) ? 'float' : 'other')));
  }
  return out;
}

/** isinstance(x, type(first)), with Python's bool a subclass of int. */
const isinstance = (x: PyType, t: PyType): boolean => x === t || (t === 'int' && x === 'bool');

/** 0.6.3's validate_where, message for message; `lists` are the raw types of its $in / $nin lists, in order. */
function validateWhere(where: unknown, lists: PyType[][]): string | undefined {
  if (typeof where !== 'object' || where === null || Array.isArray(where)) {
    return `Expected where to be a dict, got ${py(where)}`;
  }
  const entries = Object.entries(where);
  if (entries.length !== 1) {
    return `Expected where to have exactly one operator, got ${py(where)}`;
  }
  for (const [key, value] of entries) {
    if (key === '$and' || key === '$or') {
      if (!Array.isArray(value)) {
        return `Expected where value for $and or $or to be a list of where expressions, got ${py(value)}`;
      }
      if (value.length <= 1) {
        return `Expected where value for $and or $or to be a list with at least two where expressions, got ${py(value)}`;
      }
      for (const w of value) {
        const problem = validateWhere(w, lists);
        if (problem) {
          return problem;
        }
      }
    } else if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      const ops = Object.entries(value);
      if (ops.length !== 1) {
        return `Expected operator expression to have exactly one operator, got ${py(value)}`;
      }
      const [operator, operand] = ops[0];
      if (!['$gt', '$gte', '$lt', '$lte', '$ne', '$eq', '$in', '$nin'].includes(operator)) {
        return `Expected where operator to be one of $gt, $gte, $lt, $lte, $ne, $eq, $in, $nin, got ${operator}`;
      }
      if (Array.isArray(operand)) {
        const types = lists.shift() ?? [];
        if (operand.length === 0 || !types.every((t) => isinstance(t, types[0]))) {
          return `Expected where operand value to be a non-empty list, and all values to be of the same type got ${py(operand)}`;
        }
      }
    }
  }
  return undefined;
}

/** 0.6.3's validate_where_document, message for message. */
function validateWhereDocument(d: unknown): string | undefined {
  if (typeof d !== 'object' || d === null || Array.isArray(d)) {
    return `Expected where document to be a dictionary, got ${py(d)}`;
  }
  const entries = Object.entries(d);
  if (entries.length !== 1) {
    return `Expected where document to have exactly one operator, got ${py(d)}`;
  }
  for (const [operator, operand] of entries) {
    if (!['$contains', '$not_contains', '$and', '$or'].includes(operator)) {
      return `Expected where document operator to be one of $contains, $and, $or, got ${operator}`;
    }
    if (operator === '$and' || operator === '$or') {
      if (!Array.isArray(operand)) {
        return `Expected document value for $and or $or to be a list of where document expressions, got ${py(operand)}`;
      }
      if (operand.length <= 1) {
        return `Expected document value for $and or $or to be a list with at least two where document expressions, got ${py(operand)}`;
      }
      for (const w of operand) {
        const problem = validateWhereDocument(w);
        if (problem) {
          return problem;
        }
      }
    } else if (typeof operand !== 'string') {
      return `Expected where document operand value for operator $contains to be a str, got ${py(operand)}`;
    } else if (operand.length === 0) {
      return 'Expected where document operand value for operator $contains to be a non-empty str';
    }
  }
  return undefined;
}

/** What 0.6.3 says of a get / query / delete body's filters: undefined when it takes them. */
export function legacyFilterAnswer(req: StubRequest): StubAnswer | undefined {
  const { where, where_document: doc } = req.body as { where?: unknown; where_document?: unknown };
  const problem =
    (where !== undefined && where !== null ? validateWhere(where, rawListTypes(req.raw)) : undefined) ??
    (doc !== undefined && doc !== null ? validateWhereDocument(doc) : undefined);
  return problem ? invalid(problem) : undefined;
}

/**
 * A 0.5.18–0.6.3 server as far as these tests need it: API v2 and v1 heartbeats, no /healthcheck, pre-flight with
 * `max_batch_size` 41,666 and no base64, GET …/databases only from 0.6.3 on (405 before), GET of one database (404
 * when missing), the 1.x configuration body refused with 500 KeyError('_type'), a missing collection as 400
 * InvalidCollection (a delete of one as a 400 ValueError), filters by validate_where, and an add of another
 * dimension as the 500 a user met.
 */
export async function legacyServer(opts: LegacyOptions = { listsDatabases: false }): Promise<Legacy> {
  const server = new LegacyRoutes(opts);
  return { stub: await HttpStub.start((req) => server.answer(req)), collections: server.collections, writes: server.writes };
}

type LegacyCollection = Record<string, unknown>;

/** The legacy server's state and its routes: the server-wide ones, a database's, a collection's. */
class LegacyRoutes {
  readonly collections = new Map<string, LegacyCollection>();
  readonly writes: Legacy['writes'] = [];
  private readonly databases: string[];
  private next = 1;

  constructor(private readonly opts: LegacyOptions) {
    this.databases = opts.databases ?? ['default_database'];
  }

  answer(req: StubRequest): StubAnswer {
    const { opts, databases } = this;
    const path = req.path.split('?')[0];
    if (path === '/api/v2/heartbeat' || path === '/api/v1/heartbeat') {
      return HEARTBEAT;
    }
    if (path === '/api/v2/version') {
      return { body: JSON.stringify(opts.version ?? (opts.listsDatabases ? '0.6.3' : '0.6.2')) };
    }
    if (path === '/api/v2/pre-flight-checks') {
      return { body: { max_batch_size: 41666 } };
    }
    if (path === '/api/v2/auth/identity') {
      // SegmentAPI.get_user_identity: always the default scope, whatever the tenant holds
      return { body: { user_id: '', tenant: 'default_tenant', databases: opts.identity ?? opts.databases ?? ['default_database'] } };
    }
    if (path === '/api/v2/tenants/default_tenant/databases') {
      return req.method === 'GET' && !opts.listsDatabases
        ? NO_METHOD
        : { body: databases.map((name, i) => ({ id: `db-${i}`, name, tenant: 'default_tenant' })) };
    }
    const db = /^\/api\/v2\/tenants\/default_tenant\/databases\/([^/]+)(\/.*)?$/.exec(path);
    return db ? this.database(req, decodeURIComponent(db[1]), db[2] ?? '') : NO_ROUTE;
  }

  /** `rest`: the path after the database's, '' for the database itself. */
  private database(req: StubRequest, database: string, rest: string): StubAnswer {
    const { databases } = this;
    const exists = databases.includes(database);
    const missing: StubAnswer = {
      status: 404,
      body: { error: 'NotFoundError', message: `Database ${database} not found for tenant default_tenant. Are you sure it exists?` },
    };
    if (rest === '') {
      return exists ? { body: { id: `db-${databases.indexOf(database)}`, name: database, tenant: 'default_tenant' } } : missing;
    }
    if (!exists && !(this.opts.missingDatabaseListsEmpty && (rest === '/collections' || rest === '/collections_count'))) {
      return missing;
    }
    const inDb = [...this.collections.values()].filter((c) => c.database === database);
    if (rest === '/collections_count') {
      return { body: inDb.length };
    }
    if (rest === '/collections' && req.method === 'GET') {
      return { body: inDb };
    }
    if (rest === '/collections' && req.method === 'POST') {
      return this.create(database, req.body as { name: string; metadata?: Record<string, unknown>; configuration?: Record<string, unknown> });
    }
    const named = /^\/collections\/([^/]+)(?:\/(add|upsert|count|get|query|delete))?$/.exec(rest);
    if (!named) {
      return NO_ROUTE;
    }
    const [, key, op] = named;
    const name = decodeURIComponent(key);
    const c = this.collections.get(`${database}/${name}`) ?? inDb.find((x) => x.id === key);
    if (req.method === 'DELETE') {
      if (!c) {
        // SegmentAPI.delete_collection raises a ValueError
        return invalid(`Collection ${name} does not exist.`);
      }
      this.collections.delete(`${database}/${c.name as string}`);
      return { body: null };
    }
    if (!c) {
      return { status: 400, body: { error: 'InvalidCollection', message: `Collection ${name} does not exist.` } };
    }
    return this.collection(req, c, op);
  }

  private create(database: string, body: { name: string; metadata?: Record<string, unknown>; configuration?: Record<string, unknown> }): StubAnswer {
    if (body.configuration && !('_type' in body.configuration)) {
      // CollectionConfigurationInternal.from_json formats json_map['_type'] into its message: a KeyError.
      return { status: 500, body: { error: "KeyError('_type')" } };
    }
    if (this.collections.has(`${database}/${body.name}`)) {
      return { status: 409, body: { error: 'UniqueConstraintError', message: `Collection ${body.name} already exists` } };
    }
    const c = {
      id: `00000000-0000-0000-0000-${String(this.next++).padStart(12, '0')}`,
      name: body.name,
      configuration_json: configurationJson(body.configuration),
      metadata: body.metadata ?? null,
      dimension: null as number | null,
      tenant: 'default_tenant',
      database,
      version: 0,
      log_position: 0,
    };
    this.collections.set(`${database}/${body.name}`, c);
    return { body: c };
  }

  /** An operation on an existing collection (`op` undefined: the collection itself). */
  private collection(req: StubRequest, c: LegacyCollection, op: string | undefined): StubAnswer {
    if (op === 'add' || op === 'upsert') {
      const b = req.body as { ids: string[]; embeddings: unknown[] };
      const dim = Array.isArray(b.embeddings?.[0]) ? (b.embeddings[0] as unknown[]).length : undefined;
      if (dim !== undefined && c.dimension !== null && c.dimension !== dim) {
        return { status: 500, body: { error: `InvalidDimensionException('Embedding dimension ${dim} does not match collection dimensionality ${String(c.dimension)}')` } };
      }
      c.dimension ??= dim ?? null;
      this.writes.push({ op, ids: b.ids, bytes: Buffer.byteLength(JSON.stringify(req.body)), embeddings: b.embeddings });
      return { body: true };
    }
    if (op === 'get' || op === 'query' || op === 'delete') {
      const refused = legacyFilterAnswer(req);
      if (refused) {
        return refused;
      }
      if (op === 'query') {
        return { body: { ids: [[]], distances: [[]], documents: [[]], metadatas: [[]], embeddings: null, uris: null, include: ['documents', 'metadatas', 'distances'] } };
      }
      return op === 'get' ? { body: { ids: [], documents: [], metadatas: [], embeddings: null, uris: null, include: ['documents', 'metadatas'] } } : { body: [] };
    }
    if (op === 'count') {
      return { body: 0 };
    }
    return op === undefined ? { body: c } : NO_ROUTE;
  }
}
