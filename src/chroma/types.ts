/** Shapes of the Chroma HTTP API v2, as the server sends and takes them (snake_case kept on the wire types). */

export type MetadataValue = string | number | boolean;
/**
 * What the client sends. In answers, newer servers (1.2+) may also carry arrays of scalars and sparse vectors
 * (`{indices, values}`) as values: the shape checks let them through, so code that does more than display a
 * value read from a server should check its type.
 */
export type Metadata = Record<string, MetadataValue>;
/** In updates, `null` removes a key. */
export type UpdateMetadata = Record<string, MetadataValue | null>;

export type Embedding = number[] | Float32Array;

export interface Heartbeat {
  'nanosecond heartbeat': number;
}

export interface PreflightChecks {
  max_batch_size: number;
  supports_base64_encoding?: boolean;
  [key: string]: unknown;
}

export interface Healthcheck {
  is_executor_ready?: boolean;
  is_log_client_ready?: boolean;
  [key: string]: unknown;
}

export interface Identity {
  user_id: string;
  tenant: string;
  databases: string[];
}

export interface Tenant {
  name: string;
}

export interface Database {
  id: string;
  name: string;
  tenant: string;
}

export interface EmbeddingFunctionConfig {
  type: 'known' | 'legacy' | string;
  name?: string;
  config?: Record<string, unknown>;
}

export interface CollectionConfiguration {
  hnsw?: Record<string, unknown> | null;
  spann?: Record<string, unknown> | null;
  embedding_function?: EmbeddingFunctionConfig | null;
  [key: string]: unknown;
}

export interface Collection {
  id: string;
  name: string;
  configuration_json?: CollectionConfiguration | null;
  metadata: Metadata | null;
  dimension: number | null;
  tenant: string;
  database: string;
  log_position?: number;
  version?: number;
  /** Newer servers (1.2+): the per-key index settings (defaults, and keys such as `#document`, `#embedding`). */
  schema?: Record<string, unknown> | null;
}

/** `GET …/collections/{id}/indexing_status` (newer servers; Chroma Cloud). */
export interface IndexingStatus {
  num_indexed_ops: number;
  num_unindexed_ops: number;
  total_ops: number;
  /** 0–1. */
  op_indexing_progress: number;
}

/** `POST …/collections/{id}/search`: one or more searches (rank, filter, limit, select), as the server takes them. */
export interface SearchRequest {
  searches: Record<string, unknown>[];
  [key: string]: unknown;
}

/** A search's answer: per search, its ids and, where selected, documents, embeddings, metadatas and scores. */
export interface SearchResult {
  ids: string[][];
  documents: ((string | null)[] | null)[];
  embeddings: ((number[] | null)[] | null)[];
  metadatas: ((Metadata | null)[] | null)[];
  scores: ((number | null)[] | null)[];
  [key: string]: unknown;
}

export type Include = 'documents' | 'metadatas' | 'embeddings' | 'uris' | 'distances';

/** A `where` filter on metadata; see Chroma's docs for the operators ($eq, $in, $and, …). */
export type Where = Record<string, unknown>;
/** A `where_document` filter ($contains, $not_contains, $regex, $and, $or). */
export type WhereDocument = Record<string, unknown>;

export interface RecordSet {
  ids: string[];
  embeddings?: Embedding[];
  documents?: (string | null)[];
  metadatas?: (Metadata | null)[];
  uris?: (string | null)[];
}

export interface UpdateRecordSet {
  ids: string[];
  embeddings?: Embedding[];
  documents?: (string | null)[];
  metadatas?: (UpdateMetadata | null)[];
  uris?: (string | null)[];
}

export interface GetParams {
  ids?: string[];
  where?: Where;
  whereDocument?: WhereDocument;
  limit?: number;
  offset?: number;
  include?: Exclude<Include, 'distances'>[];
}

export interface GetResult {
  ids: string[];
  embeddings: number[][] | null;
  documents: (string | null)[] | null;
  metadatas: (Metadata | null)[] | null;
  uris: (string | null)[] | null;
  include: Include[];
}

export interface QueryParams {
  queryEmbeddings: Embedding[];
  nResults?: number;
  where?: Where;
  whereDocument?: WhereDocument;
  /** Restrict the search to these ids. */
  ids?: string[];
  include?: Include[];
}

export interface QueryResult {
  ids: string[][];
  embeddings: number[][][] | null;
  documents: (string | null)[][] | null;
  metadatas: (Metadata | null)[][] | null;
  uris: (string | null)[][] | null;
  distances: (number | null)[][] | null;
  include: Include[];
}

export interface DeleteParams {
  ids?: string[];
  where?: Where;
  whereDocument?: WhereDocument;
}

export interface CreateCollectionParams {
  name: string;
  metadata?: Metadata;
  configuration?: CollectionConfiguration;
  /** Return the existing collection of that name instead of failing. */
  getOrCreate?: boolean;
}

export interface ModifyCollectionParams {
  name?: string;
  metadata?: Metadata;
  configuration?: Record<string, unknown>;
}

/** Which tenant and database a call is about. */
export interface Scope {
  tenant: string;
  database: string;
}

export const DEFAULT_TENANT = 'default_tenant';
export const DEFAULT_DATABASE = 'default_database';
