/**
 * A typed client for Chroma's HTTP API v2 (Chroma 0.5.18+ and 1.x). It validates before sending, batches writes by
 * the server's limits, never sends records without embeddings, and checks the shape of every answer (a wrong shape
 * is a ChromaUnexpectedResponseError, never data). What older servers lack or take differently, and what newer ones
 * add (capabilities()), is learnt from their OpenAPI and answers, not guessed from version strings. Chroma Cloud's
 * documented limits (300 records per read and write, …) are applied before sending: reads and writes are split to
 * fit, and what cannot be split is refused with the limit named. No `vscode` here.
 */
import { DEFAULT_MAX_PAYLOAD_BYTES, DEFAULT_MAX_RECORDS_PER_WRITE, planBatches, sliceRecords } from './batching';
import { answerText, capabilityFromAnswer, detectCapabilities, parseOpenApi, withLearnt } from './capabilities';
import type { Capability, Feature, OpenApiRoutes, ServerCapabilities } from './capabilities';
import { hasMixedNumberList, jsonWithDecimalLists } from './decimals';
import { encodeEmbeddings } from './encoding';
import {
  ChromaApiV1OnlyError,
  ChromaError,
  ChromaInvalidArgumentError,
  ChromaNotChromaError,
  ChromaNotFoundError,
  ChromaServerError,
  ChromaUnexpectedResponseError,
  ChromaUnsupportedError,
  isMissingEndpoint,
} from './errors';
import { unsupportedFilterPart, usesNewerFilterParts } from './filterSupport';
import { generationLabel, serverGeneration } from './generation';
import {
  hasConfiguration,
  isConfigurationShapeRefusal,
  isLegacyConfigurationRefusal,
  legacyConfiguration,
  legacyMetadata,
} from './legacyCreate';
import type { CreateShape } from './legacyCreate';
import { recordLimitsFor } from './limits';
import { hasListValues } from './listValues';
import { oneLine } from './sanitize';
import type { RecordLimits } from './limits';
import {
  ShapeMismatch,
  anyShape,
  collectionShape,
  countShape,
  databaseShape,
  getResultShape,
  healthcheckShape,
  heartbeatShape,
  identityShape,
  indexingStatusShape,
  listShape,
  preflightShape,
  queryResultShape,
  searchResultShape,
  tenantShape,
  versionShape,
} from './shapes';
import type { Shape } from './shapes';
import { Transport, shortOperation } from './transport';
import type { HttpMethod, RequestOptions, TransportOptions } from './transport';
import {
  DEFAULT_DATABASE,
  DEFAULT_TENANT,
} from './types';
import type {
  Collection,
  CreateCollectionParams,
  Database,
  DeleteParams,
  GetParams,
  GetResult,
  Healthcheck,
  Identity,
  Include,
  IndexingStatus,
  Metadata,
  ModifyCollectionParams,
  PreflightChecks,
  QueryParams,
  QueryResult,
  RecordSet,
  Scope,
  SearchRequest,
  SearchResult,
  Tenant,
  UpdateRecordSet,
} from './types';
import {
  validateCollectionMetadata,
  validateCollectionName,
  validatePaging,
  validateQueryEmbeddings,
  validateRecordSet,
  validateResultCount,
  validateScopeName,
  validateUpdateRecordSet,
} from './validate';

export interface ChromaClientOptions extends TransportOptions {
  /** Tenant to use; by default the one `/auth/identity` names, else `default_tenant`. */
  tenant?: string;
  /** Database to use; by default the one `/auth/identity` names, else `default_database`. */
  database?: string;
  /** Upper bound for a write request's JSON body (default 8 MiB). */
  maxPayloadBytes?: number;
  /** Most records per write request, below the server's `max_batch_size` (default 5,461, 1.x's own). */
  maxRecordsPerWrite?: number;
  /**
   * Most metadata keys per record or collection (default 32 for Chroma Cloud, else 4,096: Chroma 1.0.0 breaks a
   * collection for good on a record with 5,462).
   */
  maxMetadataKeys?: number;
  /** Most UTF-8 bytes per document (default 16 KiB for Chroma Cloud, else no limit). */
  maxDocumentBytes?: number;
  /**
   * Whether Chroma Cloud's limits apply (300 records per read and write, 16 KB documents, 32 metadata keys, 4,096
   * dimensions). By default told by the host name (`*.trychroma.com`); set it for Cloud behind a proxy or another name.
   */
  cloud?: boolean;
}

/** Enough to address a collection's records; a `Collection` from the server is one. */
export interface CollectionRef {
  id: string;
  tenant: string;
  database: string;
  name?: string;
  /** When known, embeddings are checked against it before sending. */
  dimension?: number | null;
}

export interface Signal {
  signal?: AbortSignal;
}

export interface WriteOptions extends Signal {
  /** Called after each batch is written, with records written so far and the total. */
  onProgress?: (written: number, total: number) => void;
}

export interface WriteResult {
  /** Records the server accepted. */
  written: number;
  /** HTTP requests that carried records. */
  batches: number;
}

export interface PageOptions extends Signal {
  limit?: number;
  offset?: number;
}

const V2 = '/api/v2';

function seg(value: string): string {
  return encodeURIComponent(value);
}

/** The smaller of the bounds that are set. */
function atMost(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.min(a, b);
}

const SHAPES: readonly CreateShape[] = ['current', 'legacy', 'metadata'];

/** The body of a create in one shape (see legacyCreate.ts). */
function createBody(shape: CreateShape, params: CreateCollectionParams): Record<string, unknown> {
  const nonEmpty = (m: Metadata | undefined) => (m && Object.keys(m).length ? m : undefined);
  const body: Record<string, unknown> = { name: params.name, get_or_create: params.getOrCreate ?? false };
  if (shape === 'current') {
    body.metadata = nonEmpty(params.metadata);
    body.configuration = params.configuration;
  } else {
    body.metadata = legacyMetadata(params.metadata, params.configuration);
    body.configuration = shape === 'legacy' ? legacyConfiguration(params.configuration) : undefined;
  }
  return body;
}

/** A body with a filter: as it is, or as JSON text when its where has a list mixing whole and decimal numbers (see decimals.ts). */
function filterBody(body: Record<string, unknown> & { where?: unknown }): object | string {
  return hasMixedNumberList(body.where) ? jsonWithDecimalLists(body) : body;
}

/**
 * A failed write whose server said the embeddings' dimension is wrong, as a refusal that shows its words. 0.x can
 * answer this with a 500 whose body has only the Python exception (`{"error": "InvalidDimensionException('Embedding
 * dimension 2 does not match collection dimensionality 3')"}`): the words are in it, not in a message.
 */
function dimensionRefusal(e: unknown, host: string): ChromaInvalidArgumentError | undefined {
  if (!(e instanceof ChromaServerError)) {
    return undefined;
  }
  const said = e.serverMessage ?? /^\w*Dimension\w*\((['"])(.*)\1\)$/s.exec(e.serverKind ?? '')?.[2];
  if (said === undefined || !/dimension/i.test(said)) {
    return undefined;
  }
  return new ChromaInvalidArgumentError(
    `Chroma at ${host} refused the records: ${oneLine(said, 200).replace(/\.?$/, '.')} Use the same embedding model for every record of a collection.`,
    { status: e.status, serverKind: e.serverKind, serverMessage: said, operation: e.operation },
  );
}

/** Pages of one get, in order, as one result. */
function joinResults(pages: GetResult[]): GetResult {
  if (pages.length === 1) {
    return pages[0];
  }
  const join = <T>(pick: (p: GetResult) => T[] | null): T[] | null =>
    pages.every((p) => pick(p) === null) ? null : pages.flatMap((p) => pick(p) ?? new Array<T>(p.ids.length).fill(null as T));
  return {
    ...pages[0],
    ids: pages.flatMap((p) => p.ids),
    embeddings: join((p) => p.embeddings),
    documents: join((p) => p.documents),
    metadatas: join((p) => p.metadatas),
    uris: join((p) => p.uris),
  };
}

export interface DatabaseNames {
  names: string[];
  /** false: the server cannot list databases, and the names are the ones the connection or identity names. */
  listed: boolean;
}

export class ChromaClient {
  readonly transport: Transport;
  /** What this client refuses to send, by server (Chroma Cloud's documented limits, or a measured safe bound). */
  readonly limits: RecordLimits;
  private readonly maxPayloadBytes: number;
  private readonly maxRecordsPerWrite: number;
  private readonly fixedScope: Partial<Scope>;
  private preflightCache?: Promise<PreflightChecks>;
  private scopeCache?: Promise<Scope>;
  /** The create body this server takes with a configuration (0.5.18–0.6.x refuse the 1.x one). */
  private createShape: CreateShape = 'current';
  private capabilityCache?: Promise<ServerCapabilities>;
  /** What use has taught since detection (a feature that answered "not implemented", or that worked). */
  private learnt: Partial<Record<Feature, Capability>> = {};

  constructor(opts: ChromaClientOptions) {
    this.transport = new Transport(opts);
    this.maxPayloadBytes = opts.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
    this.maxRecordsPerWrite = opts.maxRecordsPerWrite ?? DEFAULT_MAX_RECORDS_PER_WRITE;
    this.limits = recordLimitsFor(this.transport.baseUrl, opts);
    this.fixedScope = { tenant: opts.tenant || undefined, database: opts.database || undefined };
  }

  get baseUrl(): string {
    return this.transport.baseUrl;
  }

  /**
   * One request, its answer checked against `shape`. A 404 without a Chroma error body means the server has no such
   * endpoint: explainMissing tells an older Chroma, a v1-only one and something else apart.
   */
  private async call<T>(method: HttpMethod, path: string, shape: Shape<T>, opts: RequestOptions = {}): Promise<T> {
    const full = `${V2}${path}`;
    let data: unknown;
    try {
      data = await this.transport.request<unknown>(method, full, { idempotent: method === 'GET', ...opts });
    } catch (e) {
      if (e instanceof ChromaNotFoundError && !e.serverKind) {
        throw await this.explainMissing(e, method, full, opts);
      }
      throw e;
    }
    return this.checked(method, full, data, shape);
  }

  private checked<T>(method: HttpMethod, path: string, data: unknown, shape: Shape<T>): T {
    try {
      return shape(data);
    } catch (e) {
      if (!(e instanceof ShapeMismatch)) {
        throw e;
      }
      const why = this.transport.serverText(e.message, 150) ?? 'an unexpected body';
      throw new ChromaUnexpectedResponseError(
        `Chroma at ${this.transport.host} answered ${shortOperation(method, path)} with an unexpected body (${why}). ` +
          'Check that the URL points to a Chroma server, version 0.6 or newer.',
        { operation: `${method} ${path}` },
      );
    }
  }

  // ---------------------------------------------------------------- system

  /**
   * Why a path answered 404 without a Chroma error body. `/api/v2/heartbeat` is asked first: when it answers, this is
   * a Chroma with API v2 that lacks this one endpoint (0.6.x has no /healthcheck); only when it does not is
   * `/api/v1/heartbeat` asked, to tell a pre-0.6 server (API v1 only) from something that is not Chroma at all.
   * Both probes run within the call's (else the client's) timeout.
   */
  private async explainMissing(original: ChromaError, method: HttpMethod, path: string, opts: Signal & { timeoutMs?: number }): Promise<ChromaError> {
    const host = this.transport.host;
    const details = { status: original.status, operation: original.operation, serverMessage: original.serverMessage };
    const answers = async (heartbeatPath: string): Promise<boolean> => {
      try {
        heartbeatShape(await this.transport.request<unknown>('GET', heartbeatPath, { signal: opts.signal, timeoutMs: opts.timeoutMs, retries: 0 }));
        return true;
      } catch (e) {
        if (e instanceof ChromaError && e.code === 'aborted') {
          throw e;
        }
        return false;
      }
    };
    try {
      if (path !== `${V2}/heartbeat` && (await answers(`${V2}/heartbeat`))) {
        return new ChromaUnsupportedError(
          `Chroma at ${host} has no ${shortOperation(method, path)} (404): this server version does not offer it. Upgrade the server to use it.`,
          details,
        );
      }
      if (await answers('/api/v1/heartbeat')) {
        return new ChromaApiV1OnlyError(
          `Chroma at ${host} only speaks API v1: it is older than 0.6. Upgrade the server to Chroma 0.6 or newer.`,
          details,
        );
      }
    } catch (e) {
      return e as ChromaError;
    }
    return new ChromaNotChromaError(`${host} answered, but not as a Chroma server (no /api/v2). Check the URL and port.`, details);
  }

  /** The server's clock in nanoseconds; throws when the server is not healthy. */
  heartbeat(opts: Signal & { timeoutMs?: number; retries?: number } = {}): Promise<number> {
    return this.call('GET', '/heartbeat', heartbeatShape, opts);
  }

  version(opts: Signal = {}): Promise<string> {
    return this.call('GET', '/version', versionShape, opts);
  }

  /** `max_batch_size` and `supports_base64_encoding`, cached per client; pass `refresh` to ask again. */
  preflight(opts: Signal & { refresh?: boolean } = {}): Promise<PreflightChecks> {
    if (!this.preflightCache || opts.refresh) {
      const pending = this.call('GET', '/pre-flight-checks', preflightShape, { signal: opts.signal });
      this.preflightCache = pending;
      pending.catch(() => {
        if (this.preflightCache === pending) {
          this.preflightCache = undefined;
        }
      });
    }
    return this.preflightCache;
  }

  healthcheck(opts: Signal = {}): Promise<Healthcheck> {
    return this.call('GET', '/healthcheck', healthcheckShape, opts);
  }

  /**
   * The routes the server's `/openapi.json` lists (Chroma 1.x and FastAPI's 0.x serve one); undefined when it serves
   * none (404, or not an OpenAPI document). Other failures are thrown.
   */
  async openApi(opts: Signal & { timeoutMs?: number } = {}): Promise<OpenApiRoutes | undefined> {
    try {
      const doc = await this.transport.request<unknown>('GET', '/openapi.json', { ...opts, idempotent: true, retries: 0 });
      return parseOpenApi(doc);
    } catch (e) {
      if (e instanceof ChromaNotFoundError || e instanceof ChromaUnsupportedError || e instanceof ChromaUnexpectedResponseError) {
        return undefined;
      }
      throw e;
    }
  }

  /**
   * What this server supports (base64, listing databases, schema, indexing status, search, fork, functions), detected
   * once per client from its OpenAPI and answers (see capabilities.ts), then kept up to date by use: a feature that
   * answers "not implemented" is marked so. Pass `refresh` to detect again (e.g. after the server was down).
   */
  async capabilities(opts: Signal & { refresh?: boolean } = {}): Promise<ServerCapabilities> {
    if (!this.capabilityCache || opts.refresh) {
      const probe = { signal: opts.signal, retries: 0, timeoutMs: Math.min(this.transport.timeoutMs, 10_000) };
      const pending = detectCapabilities({
        preflight: () => this.preflight({ signal: opts.signal, refresh: opts.refresh }),
        version: () => this.version(probe),
        openApi: () => this.openApi(probe),
        scope: () => this.scope(probe),
        sampleCollection: async (scope) => (await this.listCollections({ scope, limit: 1, signal: opts.signal }))[0],
        attempt: (method, path, o = {}) => this.call(method, path, anyShape, { ...probe, ...o }),
      });
      this.capabilityCache = pending;
      this.learnt = {};
      pending.catch(() => {
        if (this.capabilityCache === pending) {
          this.capabilityCache = undefined;
        }
      });
    }
    return withLearnt(await this.capabilityCache, this.learnt);
  }

  private learn(feature: Feature, capability: Capability): void {
    this.learnt[feature] = capability;
  }

  /**
   * The limits writes are checked by, with what the server's capabilities add: whether it is too old for list
   * metadata values (so a list is refused with a message that says so, not a 422). Detection runs only when asked
   * with `lists`, the records to write having a list value.
   */
  async recordLimits(opts: Signal & { lists?: boolean } = {}): Promise<RecordLimits> {
    if (opts.lists === false) {
      return this.limits;
    }
    const caps = await this.capabilities({ signal: opts.signal });
    return caps.features.listMetadata.support === 'no' ? { ...this.limits, listsRefusedBy: generationLabel(caps) } : this.limits;
  }

  /**
   * Refuses, before sending, a filter part the server's generation cannot take (0.x: regular expressions, $and / $or
   * of fewer than two, …; 1.x before 1.5: $contains on metadata, #document), saying so. Detection runs only for
   * filters that use such a part.
   */
  private async checkFilterSupport(filter: { where?: unknown; whereDocument?: unknown }, opts: Signal): Promise<void> {
    if (!usesNewerFilterParts(filter)) {
      return;
    }
    const caps = await this.capabilities({ signal: opts.signal });
    const part = unsupportedFilterPart(filter, serverGeneration(caps));
    if (part) {
      throw new ChromaUnsupportedError(`Filter not supported by this server (${generationLabel(caps)}): ${part}.`, { operation: 'filter' });
    }
  }

  /**
   * A feature's call failed: when the answer says the server does not implement it, that is remembered and the error
   * becomes one that says so in the user's terms (`what` and `hint`); any other failure is returned as it is.
   */
  private featureError(feature: Feature, e: unknown, what: string, hint: string): unknown {
    const found = capabilityFromAnswer(e);
    if (found.support !== 'no' || !(e instanceof ChromaError)) {
      return e;
    }
    this.learn(feature, { support: 'no', how: found.how });
    return new ChromaUnsupportedError(`Chroma at ${this.transport.host} ${what} (${answerText(e, 120)}). ${hint}`, {
      status: e.status,
      serverKind: e.serverKind,
      serverMessage: e.serverMessage,
      operation: e.operation,
    });
  }

  identity(opts: Signal = {}): Promise<Identity> {
    return this.call('GET', '/auth/identity', identityShape, opts);
  }

  /**
   * The tenant and database calls use by default: the configured ones, else what `/auth/identity` says, else
   * `default_tenant` / `default_database`. Cached; a failure other than "no such endpoint" is thrown.
   */
  scope(opts: Signal = {}): Promise<Scope> {
    if (this.fixedScope.tenant && this.fixedScope.database) {
      return Promise.resolve(this.fixedScope as Scope);
    }
    if (!this.scopeCache) {
      const pending = this.resolveScope(opts);
      this.scopeCache = pending;
      pending.catch(() => {
        if (this.scopeCache === pending) {
          this.scopeCache = undefined;
        }
      });
    }
    return this.scopeCache;
  }

  private async resolveScope(opts: Signal): Promise<Scope> {
    let identity: Identity | undefined;
    try {
      identity = await this.identity(opts);
    } catch (e) {
      // No /auth/identity (or not Chroma at all): the defaults. A v1-only server's error goes up as it is.
      if (!(e instanceof ChromaNotFoundError || e instanceof ChromaNotChromaError || e instanceof ChromaUnsupportedError)) {
        throw e;
      }
    }
    const tenant = this.fixedScope.tenant ?? (identity?.tenant || DEFAULT_TENANT);
    const dbs = identity?.databases ?? [];
    const database =
      this.fixedScope.database ??
      (dbs.length === 1 ? dbs[0] : dbs.includes(DEFAULT_DATABASE) || dbs.length === 0 ? DEFAULT_DATABASE : dbs[0]);
    return { tenant, database };
  }

  private async resolve(scope?: Partial<Scope>, opts: Signal = {}): Promise<Scope> {
    if (scope?.tenant && scope.database) {
      return scope as Scope;
    }
    const base = await this.scope(opts);
    return { tenant: scope?.tenant ?? base.tenant, database: scope?.database ?? base.database };
  }

  private static dbPath(scope: Scope): string {
    return `/tenants/${seg(scope.tenant)}/databases/${seg(scope.database)}`;
  }

  private static colPath(c: CollectionRef): string {
    return `${ChromaClient.dbPath(c)}/collections/${seg(c.id)}`;
  }

  // ---------------------------------------------------------------- tenants and databases

  getTenant(name: string, opts: Signal = {}): Promise<Tenant> {
    return this.call('GET', `/tenants/${seg(name)}`, tenantShape, opts);
  }

  async createTenant(name: string, opts: Signal = {}): Promise<void> {
    validateScopeName('tenant', name);
    await this.call('POST', '/tenants', anyShape, { ...opts, body: { name } });
  }

  async listDatabases(opts: PageOptions & { tenant?: string } = {}): Promise<Database[]> {
    validatePaging(opts.limit, opts.offset);
    const tenant = opts.tenant ?? (await this.scope(opts)).tenant;
    const item = (at: string) => databaseShape(tenant, at);
    return this.call('GET', `/tenants/${seg(tenant)}/databases`, listShape(item, opts.limit), {
      signal: opts.signal,
      query: { limit: opts.limit, offset: opts.offset },
    });
  }

  /**
   * Every database name of a tenant, page by page. A server that cannot list databases (0.5.18–0.6.2 answer 405;
   * 404/501 elsewhere) gets the names it is known to have instead: the connection's database, else the ones
   * `/auth/identity` names for this tenant, else the default scope's. `listed` says which it was.
   */
  async databaseNames(opts: Signal & { tenant?: string; pageSize?: number } = {}): Promise<DatabaseNames> {
    const tenant = opts.tenant ?? (await this.scope(opts)).tenant;
    const limit = opts.pageSize ?? 100;
    const names: string[] = [];
    try {
      for (let offset = 0; ; offset += limit) {
        const page = await this.listDatabases({ tenant, limit, offset, signal: opts.signal });
        names.push(...page.map((d) => d.name));
        if (page.length < limit) {
          return { names, listed: true };
        }
      }
    } catch (e) {
      if (!isMissingEndpoint(e)) {
        throw e;
      }
    }
    return { names: await this.knownDatabases(tenant, opts), listed: false };
  }

  private async knownDatabases(tenant: string, opts: Signal): Promise<string[]> {
    if (this.fixedScope.database) {
      return [this.fixedScope.database];
    }
    const identity = await this.identity(opts).catch(() => undefined);
    if (identity && identity.tenant === tenant && identity.databases.length > 0) {
      return [...identity.databases];
    }
    return [(await this.scope(opts)).database];
  }

  async createDatabase(name: string, opts: Signal & { tenant?: string } = {}): Promise<void> {
    validateScopeName('database', name);
    const tenant = opts.tenant ?? (await this.scope(opts)).tenant;
    await this.call('POST', `/tenants/${seg(tenant)}/databases`, anyShape, { signal: opts.signal, body: { name } });
  }

  async getDatabase(name: string, opts: Signal & { tenant?: string } = {}): Promise<Database> {
    const tenant = opts.tenant ?? (await this.scope(opts)).tenant;
    return this.call('GET', `/tenants/${seg(tenant)}/databases/${seg(name)}`, databaseShape(tenant), opts);
  }

  async deleteDatabase(name: string, opts: Signal & { tenant?: string } = {}): Promise<void> {
    const tenant = opts.tenant ?? (await this.scope(opts)).tenant;
    await this.call('DELETE', `/tenants/${seg(tenant)}/databases/${seg(name)}`, anyShape, { signal: opts.signal });
  }

  // ---------------------------------------------------------------- collections

  async listCollections(opts: PageOptions & { scope?: Partial<Scope> } = {}): Promise<Collection[]> {
    validatePaging(opts.limit, opts.offset);
    const scope = await this.resolve(opts.scope, opts);
    const item = (at: string) => collectionShape(scope, at);
    return this.call('GET', `${ChromaClient.dbPath(scope)}/collections`, listShape(item, opts.limit), {
      signal: opts.signal,
      query: { limit: opts.limit, offset: opts.offset },
    });
  }

  /** Every collection, page by page (`pageSize` per request, default 100). */
  async *iterateCollections(
    opts: Signal & { scope?: Partial<Scope>; pageSize?: number } = {},
  ): AsyncGenerator<Collection, void, undefined> {
    const limit = opts.pageSize ?? 100;
    const scope = await this.resolve(opts.scope, opts);
    let previous: string | undefined;
    for (let offset = 0; ; offset += limit) {
      const page = await this.listCollections({ scope, limit, offset, signal: opts.signal });
      previous = this.checkNextPage('GET …/collections', offset, previous, page[0]?.id);
      yield* page;
      if (page.length < limit) {
        return;
      }
    }
  }

  /**
   * A server that ignores `offset` answers every page with the first one: paging would never end. Returns the
   * page's first id, for the next check.
   */
  private checkNextPage(operation: string, offset: number, previousFirst: string | undefined, first: string | undefined): string | undefined {
    if (offset > 0 && first !== undefined && first === previousFirst) {
      throw new ChromaUnexpectedResponseError(
        `Chroma at ${this.transport.host} answered ${operation} at offset ${offset} with the page it gave before: it ignores paging, so the list cannot be read to its end.`,
        { operation },
      );
    }
    return first;
  }

  async countCollections(opts: Signal & { scope?: Partial<Scope> } = {}): Promise<number> {
    const scope = await this.resolve(opts.scope, opts);
    return this.call('GET', `${ChromaClient.dbPath(scope)}/collections_count`, countShape, opts);
  }

  async getCollection(name: string, opts: Signal & { scope?: Partial<Scope> } = {}): Promise<Collection> {
    const scope = await this.resolve(opts.scope, opts);
    return this.call('GET', `${ChromaClient.dbPath(scope)}/collections/${seg(name)}`, collectionShape(scope), opts);
  }

  /**
   * Creates a collection. A configuration goes in the shape the server takes, learnt from its answers and remembered
   * for this client: the 1.x body first; after 0.5.18–0.6.x's 500 `KeyError('_type')` the 0.x configuration with the
   * `hnsw:*` metadata keys, and if that shape is refused too, the metadata keys alone. Each retry follows an answer
   * given while parsing the body, before anything was created, so a create that worked is never sent again (no 409).
   */
  async createCollection(
    params: CreateCollectionParams,
    opts: Signal & { scope?: Partial<Scope> } = {},
  ): Promise<Collection> {
    validateCollectionName(params.name);
    validateCollectionMetadata(params.metadata, this.limits);
    const scope = await this.resolve(opts.scope, opts);
    const withConfig = hasConfiguration(params.configuration);
    const order = withConfig ? SHAPES.slice(SHAPES.indexOf(this.createShape)) : SHAPES.slice(0, 1);
    for (let i = 0; ; i++) {
      const shape = order[i];
      try {
        const created = await this.call('POST', `${ChromaClient.dbPath(scope)}/collections`, collectionShape(scope), {
          signal: opts.signal,
          body: createBody(shape, params),
        });
        if (withConfig) {
          this.createShape = shape;
        }
        return created;
      } catch (e) {
        const refused = shape === 'current' ? isConfigurationShapeRefusal(e) : shape === 'legacy' && isLegacyConfigurationRefusal(e);
        if (!refused || i + 1 >= order.length) {
          throw e;
        }
      }
    }
  }

  /** Renames and/or replaces the metadata of a collection. */
  async modifyCollection(collection: CollectionRef, params: ModifyCollectionParams, opts: Signal = {}): Promise<void> {
    if (params.name !== undefined) {
      validateCollectionName(params.name);
    }
    validateCollectionMetadata(params.metadata, this.limits);
    await this.call('PUT', ChromaClient.colPath(collection), anyShape, {
      signal: opts.signal,
      body: { new_name: params.name, new_metadata: params.metadata, new_configuration: params.configuration },
    });
  }

  /**
   * Deletes a collection by name (the v2 API addresses deletes by name). One that is not there is a
   * ChromaNotFoundError on every server: 0.5/0.6 answer 400 "Collection … does not exist." (a ValueError) there.
   */
  async deleteCollection(name: string, opts: Signal & { scope?: Partial<Scope> } = {}): Promise<void> {
    const scope = await this.resolve(opts.scope, opts);
    try {
      await this.call('DELETE', `${ChromaClient.dbPath(scope)}/collections/${seg(name)}`, anyShape, { signal: opts.signal });
    } catch (e) {
      if (e instanceof ChromaInvalidArgumentError && e.status === 400 && /^Collection .* does not exist\.?$/s.test(e.serverMessage ?? '')) {
        throw new ChromaNotFoundError(`Chroma at ${this.transport.host}: ${oneLine(e.serverMessage ?? '', 150)} Refresh to see what exists now.`, {
          status: e.status,
          serverKind: e.serverKind,
          serverMessage: e.serverMessage,
          operation: e.operation,
        });
      }
      throw e;
    }
  }

  /** Copies a collection under a new name (Chroma Cloud; local servers answer "unsupported"). */
  async forkCollection(collection: CollectionRef, newName: string, opts: Signal = {}): Promise<Collection> {
    validateCollectionName(newName);
    try {
      const forked = await this.call('POST', `${ChromaClient.colPath(collection)}/fork`, collectionShape(collection), {
        signal: opts.signal,
        body: { new_name: newName },
      });
      this.learn('fork', { support: 'yes', how: 'a fork worked' });
      return forked;
    } catch (e) {
      throw this.featureError('fork', e, 'does not support forking collections', 'Forking is a Chroma Cloud feature.');
    }
  }

  /** How far the server has indexed a collection's writes (Chroma Cloud and distributed Chroma; see capabilities()). */
  async indexingStatus(collection: CollectionRef, opts: Signal & { timeoutMs?: number } = {}): Promise<IndexingStatus> {
    try {
      const status = await this.call('GET', `${ChromaClient.colPath(collection)}/indexing_status`, indexingStatusShape, opts);
      this.learn('indexingStatus', { support: 'yes', how: 'it answered' });
      return status;
    } catch (e) {
      throw this.featureError(
        'indexingStatus',
        e,
        'cannot report indexing status',
        'Chroma Cloud and distributed Chroma report it; a single-node server does not.',
      );
    }
  }

  /**
   * The indexing status where the server reports one; undefined where it does not (as detected, or as this call
   * learns), so views can show it only where it exists. Other failures are thrown.
   */
  async indexingStatusIfSupported(collection: CollectionRef, opts: Signal & { timeoutMs?: number } = {}): Promise<IndexingStatus | undefined> {
    const caps = await this.capabilities({ signal: opts.signal });
    if (caps.features.indexingStatus.support === 'no') {
      return undefined;
    }
    try {
      return await this.indexingStatus(collection, opts);
    } catch (e) {
      if (e instanceof ChromaUnsupportedError) {
        return undefined;
      }
      throw e;
    }
  }

  // ---------------------------------------------------------------- records

  async count(collection: CollectionRef, opts: Signal = {}): Promise<number> {
    return this.call('GET', `${ChromaClient.colPath(collection)}/count`, countShape, opts);
  }

  /** Adds records; existing ids are left as they are (use upsert to overwrite). Embeddings are required. */
  add(collection: CollectionRef, records: RecordSet, opts: WriteOptions = {}): Promise<WriteResult> {
    return this.write('add', collection, records, opts);
  }

  /** Adds or overwrites records by id. Embeddings are required. Safe to repeat. */
  upsert(collection: CollectionRef, records: RecordSet, opts: WriteOptions = {}): Promise<WriteResult> {
    return this.write('upsert', collection, records, opts);
  }

  /** Changes existing records. A changed document must come with its new embedding. */
  update(collection: CollectionRef, records: UpdateRecordSet, opts: WriteOptions = {}): Promise<WriteResult> {
    return this.write('update', collection, records, opts);
  }

  private async write(
    op: 'add' | 'upsert' | 'update',
    collection: CollectionRef,
    records: RecordSet | UpdateRecordSet,
    opts: WriteOptions,
  ): Promise<WriteResult> {
    const validate = (limits: RecordLimits) =>
      op === 'update' ? validateUpdateRecordSet(records, collection.dimension, limits) : validateRecordSet(records as RecordSet, collection.dimension, limits);
    validate(this.limits);
    // list values passed Chroma 1.5's rules: a server too old for them refuses the first one, saying so
    if (hasListValues(records.metadatas)) {
      const limits = await this.recordLimits({ signal: opts.signal });
      if (limits.listsRefusedBy !== undefined) {
        validate(limits);
      }
    }
    const pre = await this.preflight(opts);
    const base64 = pre.supports_base64_encoding === true;
    // Chroma Cloud's pre-flight has said 1,000 where it takes 300: its documented limit wins.
    const maxRecords = Math.min(pre.max_batch_size, this.maxRecordsPerWrite, this.limits.maxRecordsPerWrite ?? Infinity);
    const batchLimits = { maxRecords, maxBytes: this.maxPayloadBytes, base64 };
    const total = records.ids.length;
    const result: WriteResult = { written: 0, batches: 0 };
    const path = `${ChromaClient.colPath(collection)}/${op}`;
    const send = async (start: number, end: number): Promise<void> => {
      const slice = sliceRecords(records, start, end);
      const body = {
        ids: slice.ids,
        embeddings: slice.embeddings ? encodeEmbeddings(slice.embeddings, base64) : undefined,
        documents: slice.documents,
        metadatas: slice.metadatas,
        uris: slice.uris,
      };
      const post = () => this.call('POST', path, anyShape, { signal: opts.signal, idempotent: op === 'upsert', body });
      try {
        try {
          await post();
        } catch (e) {
          // A timed-out write may or may not have landed. An upsert writes the same records again either way, so it
          // is sent once more; an add or update is not (whether it was written is unknown, and says so).
          if (!(op === 'upsert' && e instanceof ChromaError && e.code === 'timeout')) {
            throw e;
          }
          await post();
        }
      } catch (e) {
        // A 413 means nothing of this batch was written: halve it and go on.
        if (e instanceof ChromaError && e.code === 'payload-too-large' && end - start > 1) {
          const mid = start + Math.floor((end - start) / 2);
          await send(start, mid);
          await send(mid, end);
          return;
        }
        throw dimensionRefusal(e, this.transport.host) ?? e;
      }
      result.written += end - start;
      result.batches += 1;
      opts.onProgress?.(result.written, total);
    };
    for (const [start, end] of planBatches(records, batchLimits)) {
      await send(start, end);
    }
    return result;
  }

  /** Deletes by ids and/or filters. With no ids and no filter it refuses, rather than deleting everything. */
  async delete(collection: CollectionRef, params: DeleteParams, opts: Signal = {}): Promise<void> {
    const hasFilter =
      (params.ids && params.ids.length > 0) ||
      (params.where && Object.keys(params.where).length > 0) ||
      (params.whereDocument && Object.keys(params.whereDocument).length > 0);
    if (!hasFilter) {
      throw new ChromaInvalidArgumentError(
        'Refusing to delete with no ids and no filter. To empty a collection, delete and re-create it.',
      );
    }
    await this.checkFilterSupport(params, opts);
    await this.call('POST', `${ChromaClient.colPath(collection)}/delete`, anyShape, {
      signal: opts.signal,
      idempotent: true,
      body: filterBody({ ids: params.ids, where: params.where, where_document: params.whereDocument }),
    });
  }

  /**
   * Records by ids and/or filters. Where the server documents a per-read limit (Chroma Cloud: 300), a larger read is
   * made of several: ids in chunks, or limit/offset in pages, joined into one result.
   */
  async get(collection: CollectionRef, params: GetParams = {}, opts: Signal = {}): Promise<GetResult> {
    validatePaging(params.limit, params.offset);
    await this.checkFilterSupport(params, opts);
    const max = this.limits.maxRecordsPerRead;
    if (max === undefined) {
      return this.getPage(collection, params, opts);
    }
    if (params.ids && params.ids.length > max) {
      if (params.limit !== undefined || params.offset !== undefined) {
        throw new ChromaInvalidArgumentError(
          `A get of ${params.ids.length.toLocaleString('en-US')} ids with a limit or offset is over the limit: Chroma Cloud returns at most ${max} records per read. ` +
            `Ask for ${max} ids or fewer at a time.`,
        );
      }
      const pages: GetResult[] = [];
      for (let i = 0; i < params.ids.length; i += max) {
        pages.push(await this.getPage(collection, { ...params, ids: params.ids.slice(i, i + max) }, opts));
      }
      return joinResults(pages);
    }
    const wanted = params.limit ?? Infinity;
    if (wanted <= max) {
      return this.getPage(collection, params, opts);
    }
    const pages: GetResult[] = [];
    const start = params.offset ?? 0;
    let got = 0;
    let previous: string | undefined;
    for (;;) {
      const ask = Math.min(max, wanted - got);
      const page = await this.getPage(collection, { ...params, limit: ask, offset: start + got }, opts);
      previous = this.checkNextPage('POST …/get', start + got, previous, page.ids[0]);
      pages.push(page);
      got += page.ids.length;
      if (page.ids.length < ask || got >= wanted) {
        return joinResults(pages);
      }
    }
  }

  private getPage(collection: CollectionRef, params: GetParams, opts: Signal): Promise<GetResult> {
    return this.call('POST', `${ChromaClient.colPath(collection)}/get`, getResultShape({ limit: atMost(params.limit, params.ids?.length) }), {
      signal: opts.signal,
      idempotent: true,
      body: filterBody({
        ids: params.ids,
        where: params.where,
        where_document: params.whereDocument,
        limit: params.limit,
        offset: params.offset,
        include: params.include ?? ['documents', 'metadatas'],
      }),
    });
  }

  /** Every record matching `params`, page by page (`pageSize` per request, default 100). */
  async *iterateRecords(
    collection: CollectionRef,
    params: Omit<GetParams, 'limit' | 'offset'> & { pageSize?: number } = {},
    opts: Signal = {},
  ): AsyncGenerator<GetResult, void, undefined> {
    const { pageSize: asked = 100, ...rest } = params;
    // Chroma Cloud returns at most 300 records per read: pages are no larger.
    const pageSize = Math.min(asked, this.limits.maxRecordsPerRead ?? asked);
    let previous: string | undefined;
    for (let offset = 0; ; offset += pageSize) {
      const page = await this.get(collection, { ...rest, limit: pageSize, offset }, opts);
      previous = this.checkNextPage('POST …/get', offset, previous, page.ids[0]);
      if (page.ids.length > 0) {
        yield page;
      }
      if (page.ids.length < pageSize) {
        return;
      }
    }
  }

  async query(collection: CollectionRef, params: QueryParams, opts: Signal = {}): Promise<QueryResult> {
    validateQueryEmbeddings(params.queryEmbeddings, collection.dimension, this.limits);
    const nResults = params.nResults ?? 10;
    if (!Number.isInteger(nResults) || nResults < 1) {
      throw new ChromaInvalidArgumentError(`nResults must be a whole number ≥ 1 (got ${nResults}).`);
    }
    validateResultCount(nResults, this.limits);
    await this.checkFilterSupport(params, opts);
    const include: Include[] = params.include ?? ['documents', 'metadatas', 'distances'];
    const shape = queryResultShape({ queries: params.queryEmbeddings.length, nResults });
    return this.call('POST', `${ChromaClient.colPath(collection)}/query`, shape, {
      signal: opts.signal,
      idempotent: true,
      body: filterBody({
        query_embeddings: encodeEmbeddings(params.queryEmbeddings, false),
        n_results: nResults,
        where: params.where,
        where_document: params.whereDocument,
        ids: params.ids,
        include,
      }),
    });
  }

  /**
   * Runs searches (rank, filter, limit, select; see Chroma's search API) as the server takes them. The search API runs
   * on Chroma Cloud; servers without it, or whose local executor answers "not implemented", get a ChromaUnsupportedError
   * that says so.
   */
  async search(collection: CollectionRef, body: SearchRequest, opts: Signal = {}): Promise<SearchResult> {
    if (!body || !Array.isArray(body.searches) || body.searches.length === 0) {
      throw new ChromaInvalidArgumentError('No searches given: pass at least one search in "searches".');
    }
    try {
      const result = await this.call('POST', `${ChromaClient.colPath(collection)}/search`, searchResultShape(body.searches.length), {
        signal: opts.signal,
        idempotent: true,
        body,
      });
      this.learn('search', { support: 'yes', how: 'a search worked' });
      return result;
    } catch (e) {
      throw this.featureError(
        'search',
        e,
        'does not support the search API',
        'Search is Chroma Cloud only for now; use Query for nearest neighbours on this server.',
      );
    }
  }
}
