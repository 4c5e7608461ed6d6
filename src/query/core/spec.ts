/**
 * A query as the workbench runs it, and its results: what the results view, history, playground files and
 * commands share. No `vscode` here.
 */
import type { ChromaClient } from '../../chroma/client';
import type { CollectionCache } from './collectionCache';
import type { Collection, Include, Metadata, Where, WhereDocument } from '../../chroma/types';

/** What is searched for. */
export type QueryInput =
  /** Text, embedded with the collection's own embedding function. */
  | { kind: 'text'; text: string }
  /** A record's stored embedding; the record itself is left out of the hits. */
  | { kind: 'record'; recordId: string }
  /** A vector given as is (its dimension is checked against the collection's). */
  | { kind: 'vector'; vector: number[] };

export interface QuerySpec {
  /** The connection's name (as in `chroma.connections`). */
  connection: string;
  tenant: string;
  database: string;
  /** The collection's name (ids change when a collection is re-created; names are what users write). */
  collection: string;
  input: QueryInput;
  nResults: number;
  where?: Where;
  whereDocument?: WhereDocument;
  /** What to fetch besides ids; distances are always asked for. */
  include: Include[];
}

export interface QueryHit {
  /** 1-based. */
  rank: number;
  id: string;
  distance: number | null;
  document: string | null;
  metadata: Metadata | null;
  uri: string | null;
  embedding: number[] | null;
}

export interface QueryRun {
  spec: QuerySpec;
  /** The collection as fetched for this run (id, dimension, configuration). */
  collection: Collection;
  hits: QueryHit[];
  /** The query's own vector (text or record embedded, or the given vector), for maps and re-runs. */
  queryVector: number[];
  /** The embedding function's name, when text was embedded. */
  embeddedWith?: string;
  /** When it ran (epoch ms) and how long the server took (ms, without embedding). */
  ranAt: number;
  tookMs: number;
}

export interface RunDeps {
  client: ChromaClient;
  /** Embeds texts with the collection's own embedding function; undefined when none is chosen. */
  embed: (collection: Collection, texts: string[]) => Promise<{ vectors: number[][]; functionName: string } | undefined>;
  signal?: AbortSignal;
  now?: () => number;
  /** Collections fetched shortly before, reused instead of fetched again (see CollectionCache). */
  collections?: CollectionCache;
}
