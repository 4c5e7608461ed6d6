/**
 * A typed client for Chroma's HTTP API v2 (Chroma 0.5.18+ and 1.x). It validates before sending, batches writes by
 * the server's limits, never sends records without embeddings, and checks the shape of every answer (a wrong shape
 * is a ChromaUnexpectedResponseError, never data). What older servers lack or take differently, and what newer ones
 * add (capabilities()), is learnt from their OpenAPI and answers, not guessed from version strings. Chroma Cloud's
 * documented limits (300 records per read and write, …) are applied before sending: reads and writes are split to
 * fit, and what cannot be split is refused with the limit named. No `vscode` here.
 *
 * This class is the one entry point; the work is done by its parts: the server and what is known of it
 * (server.ts), tenants and databases (databases.ts), collections (collections.ts), reading records (records.ts),
 * writing them in batches (writes.ts), each call's answer check (caller.ts) over the HTTP transport (transport.ts).
 */
import { DEFAULT_MAX_RECORDS_PER_WRITE } from './batching';
import { ApiCaller } from './caller';
import type { OpenApiRoutes, ServerCapabilities } from './capabilities';
import type {
  ChromaClientOptions,
  CollectionRef,
  DatabaseNames,
  PageOptions,
  Signal,
  WriteOptions,
  WriteResult,
} from './clientTypes';
import { Collections } from './collections';
import { Databases } from './databases';
import { recordLimitsFor } from './limits';
import type { RecordLimits } from './limits';
import { Records } from './records';
import { Server } from './server';
import { Transport } from './transport';
import type {
  Collection,
  CreateCollectionParams,
  Database,
  DeleteParams,
  GetParams,
  GetResult,
  Healthcheck,
  Identity,
  IndexingStatus,
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
import { Writes } from './writes';

export type { ChromaClientOptions, CollectionRef, DatabaseNames, PageOptions, Signal, WriteOptions, WriteResult } from './clientTypes';

export class ChromaClient {
  readonly transport: Transport;
  /** What this client refuses to send, by server (Chroma Cloud's documented limits, or a measured safe bound). */
  readonly limits: RecordLimits;
  private readonly server: Server;
  private readonly databases: Databases;
  private readonly collections: Collections;
  private readonly records: Records;
  private readonly writes: Writes;

  constructor(opts: ChromaClientOptions) {
    this.transport = new Transport(opts);
    this.limits = recordLimitsFor(this.transport.baseUrl, opts);
    const caller = new ApiCaller(this.transport);
    const fixedScope = { tenant: opts.tenant || undefined, database: opts.database || undefined };
    const sample = async (scope: Scope, o: Signal) => (await this.collections.list({ scope, limit: 1, signal: o.signal }))[0];
    this.server = new Server(caller, this.limits, fixedScope, sample);
    this.databases = new Databases(caller, this.server);
    this.collections = new Collections(caller, this.server);
    this.records = new Records(caller, this.server);
    this.writes = new Writes(caller, this.server, {
      maxPayloadBytes: opts.maxPayloadBytes,
      maxRecordsPerWrite: opts.maxRecordsPerWrite ?? DEFAULT_MAX_RECORDS_PER_WRITE,
    });
  }

  get baseUrl(): string {
    return this.transport.baseUrl;
  }

  // ---------------------------------------------------------------- system

  /** The server's clock in nanoseconds; throws when the server is not healthy. */
  heartbeat(opts: Signal & { timeoutMs?: number; retries?: number } = {}): Promise<number> {
    return this.server.heartbeat(opts);
  }

  version(opts: Signal = {}): Promise<string> {
    return this.server.version(opts);
  }

  /** `max_batch_size` and `supports_base64_encoding`, cached per client; pass `refresh` to ask again. */
  preflight(opts: Signal & { refresh?: boolean } = {}): Promise<PreflightChecks> {
    return this.server.preflight(opts);
  }

  healthcheck(opts: Signal = {}): Promise<Healthcheck> {
    return this.server.healthcheck(opts);
  }

  /**
   * The routes the server's `/openapi.json` lists (Chroma 1.x and FastAPI's 0.x serve one); undefined when it serves
   * none (404, or not an OpenAPI document). Other failures are thrown.
   */
  openApi(opts: Signal & { timeoutMs?: number } = {}): Promise<OpenApiRoutes | undefined> {
    return this.server.openApi(opts);
  }

  /**
   * What this server supports (base64, listing databases, schema, indexing status, search, fork, functions), detected
   * once per client from its OpenAPI and answers (see capabilities.ts), then kept up to date by use: a feature that
   * answers "not implemented" is marked so. Pass `refresh` to detect again (e.g. after the server was down).
   */
  capabilities(opts: Signal & { refresh?: boolean } = {}): Promise<ServerCapabilities> {
    return this.server.capabilities(opts);
  }

  /**
   * The limits writes are checked by, with what the server's capabilities add: whether it is too old for list
   * metadata values (so a list is refused with a message that says so, not a 422). Detection runs only when asked
   * with `lists`, the records to write having a list value.
   */
  recordLimits(opts: Signal & { lists?: boolean } = {}): Promise<RecordLimits> {
    return this.server.recordLimits(opts);
  }

  identity(opts: Signal = {}): Promise<Identity> {
    return this.server.identity(opts);
  }

  /**
   * The tenant and database calls use by default: the configured ones, else what `/auth/identity` says, else
   * `default_tenant` / `default_database`. Cached; a failure other than "no such endpoint" is thrown.
   */
  scope(opts: Signal = {}): Promise<Scope> {
    return this.server.scope(opts);
  }

  // ---------------------------------------------------------------- tenants and databases

  getTenant(name: string, opts: Signal = {}): Promise<Tenant> {
    return this.databases.getTenant(name, opts);
  }

  createTenant(name: string, opts: Signal = {}): Promise<void> {
    return this.databases.createTenant(name, opts);
  }

  listDatabases(opts: PageOptions & { tenant?: string } = {}): Promise<Database[]> {
    return this.databases.list(opts);
  }

  /**
   * Every database name of a tenant, page by page. A server that cannot list databases (0.5.18–0.6.2 answer 405;
   * 404/501 elsewhere) gets the names it is known to have instead: the connection's database, else the ones
   * `/auth/identity` names for this tenant, else the default scope's. `listed` says which it was.
   */
  databaseNames(opts: Signal & { tenant?: string; pageSize?: number } = {}): Promise<DatabaseNames> {
    return this.databases.names(opts);
  }

  createDatabase(name: string, opts: Signal & { tenant?: string } = {}): Promise<void> {
    return this.databases.create(name, opts);
  }

  getDatabase(name: string, opts: Signal & { tenant?: string } = {}): Promise<Database> {
    return this.databases.get(name, opts);
  }

  deleteDatabase(name: string, opts: Signal & { tenant?: string } = {}): Promise<void> {
    return this.databases.delete(name, opts);
  }

  // ---------------------------------------------------------------- collections

  listCollections(opts: PageOptions & { scope?: Partial<Scope> } = {}): Promise<Collection[]> {
    return this.collections.list(opts);
  }

  /** Every collection, page by page (`pageSize` per request, default 100). */
  iterateCollections(opts: Signal & { scope?: Partial<Scope>; pageSize?: number } = {}): AsyncGenerator<Collection, void, undefined> {
    return this.collections.iterate(opts);
  }

  countCollections(opts: Signal & { scope?: Partial<Scope> } = {}): Promise<number> {
    return this.collections.count(opts);
  }

  getCollection(name: string, opts: Signal & { scope?: Partial<Scope> } = {}): Promise<Collection> {
    return this.collections.get(name, opts);
  }

  /**
   * Creates a collection. A configuration goes in the shape the server takes, learnt from its answers and remembered
   * for this client: the 1.x body first; after 0.5.18–0.6.x's 500 `KeyError('_type')` the 0.x configuration with the
   * `hnsw:*` metadata keys, and if that shape is refused too, the metadata keys alone. Each retry follows an answer
   * given while parsing the body, before anything was created, so a create that worked is never sent again (no 409).
   */
  createCollection(params: CreateCollectionParams, opts: Signal & { scope?: Partial<Scope> } = {}): Promise<Collection> {
    return this.collections.create(params, opts);
  }

  /** Renames and/or replaces the metadata of a collection. */
  modifyCollection(collection: CollectionRef, params: ModifyCollectionParams, opts: Signal = {}): Promise<void> {
    return this.collections.modify(collection, params, opts);
  }

  /**
   * Deletes a collection by name (the v2 API addresses deletes by name). One that is not there is a
   * ChromaNotFoundError on every server: 0.5/0.6 answer 400 "Collection … does not exist." (a ValueError) there.
   */
  deleteCollection(name: string, opts: Signal & { scope?: Partial<Scope> } = {}): Promise<void> {
    return this.collections.delete(name, opts);
  }

  /** Copies a collection under a new name (Chroma Cloud; local servers answer "unsupported"). */
  forkCollection(collection: CollectionRef, newName: string, opts: Signal = {}): Promise<Collection> {
    return this.collections.fork(collection, newName, opts);
  }

  /** How far the server has indexed a collection's writes (Chroma Cloud and distributed Chroma; see capabilities()). */
  indexingStatus(collection: CollectionRef, opts: Signal & { timeoutMs?: number } = {}): Promise<IndexingStatus> {
    return this.collections.indexingStatus(collection, opts);
  }

  /**
   * The indexing status where the server reports one; undefined where it does not (as detected, or as this call
   * learns), so views can show it only where it exists. Other failures are thrown.
   */
  indexingStatusIfSupported(collection: CollectionRef, opts: Signal & { timeoutMs?: number } = {}): Promise<IndexingStatus | undefined> {
    return this.collections.indexingStatusIfSupported(collection, opts);
  }

  // ---------------------------------------------------------------- records

  count(collection: CollectionRef, opts: Signal = {}): Promise<number> {
    return this.records.count(collection, opts);
  }

  /** Adds records; existing ids are left as they are (use upsert to overwrite). Embeddings are required. */
  add(collection: CollectionRef, records: RecordSet, opts: WriteOptions = {}): Promise<WriteResult> {
    return this.writes.write('add', collection, records, opts);
  }

  /** Adds or overwrites records by id. Embeddings are required. Safe to repeat. */
  upsert(collection: CollectionRef, records: RecordSet, opts: WriteOptions = {}): Promise<WriteResult> {
    return this.writes.write('upsert', collection, records, opts);
  }

  /** Changes existing records. A changed document must come with its new embedding. */
  update(collection: CollectionRef, records: UpdateRecordSet, opts: WriteOptions = {}): Promise<WriteResult> {
    return this.writes.write('update', collection, records, opts);
  }

  /** Deletes by ids and/or filters. With no ids and no filter it refuses, rather than deleting everything. */
  delete(collection: CollectionRef, params: DeleteParams, opts: Signal = {}): Promise<void> {
    return this.records.delete(collection, params, opts);
  }

  /**
   * Records by ids and/or filters. Where the server documents a per-read limit (Chroma Cloud: 300), a larger read is
   * made of several: ids in chunks, or limit/offset in pages, joined into one result.
   */
  get(collection: CollectionRef, params: GetParams = {}, opts: Signal = {}): Promise<GetResult> {
    return this.records.get(collection, params, opts);
  }

  /** Every record matching `params`, page by page (`pageSize` per request, default 100). */
  iterateRecords(
    collection: CollectionRef,
    params: Omit<GetParams, 'limit' | 'offset'> & { pageSize?: number } = {},
    opts: Signal = {},
  ): AsyncGenerator<GetResult, void, undefined> {
    return this.records.iterate(collection, params, opts);
  }

  query(collection: CollectionRef, params: QueryParams, opts: Signal = {}): Promise<QueryResult> {
    return this.records.query(collection, params, opts);
  }

  /**
   * Runs searches (rank, filter, limit, select; see Chroma's search API) as the server takes them. The search API runs
   * on Chroma Cloud; servers without it, or whose local executor answers "not implemented", get a ChromaUnsupportedError
   * that says so.
   */
  search(collection: CollectionRef, body: SearchRequest, opts: Signal = {}): Promise<SearchResult> {
    return this.records.search(collection, body, opts);
  }
}
