/**
 * The shapes of a read playground file (`*.chroma.json`): its queries with their spans, its problems, and what a
 * reading needs to know of the connections. No `vscode` here.
 */
import type { Include, Scope } from '../../../chroma/types';
import type { QuerySpec } from '../spec';

/** The files this module reads. */
export const PLAYGROUND_GLOB = '**/*.chroma.json';
export const INCLUDE_VALUES: readonly Include[] = ['documents', 'metadatas', 'distances', 'embeddings', 'uris'];

/** Offsets into the text; `end` is exclusive. */
export interface Span {
  start: number;
  end: number;
}

/** What a playground needs to know of a connection: its name and the scope it fixes, if any. */
export interface PlaygroundConnection {
  name: string;
  tenant?: string;
  database?: string;
}

export interface PlaygroundContext {
  connections: readonly PlaygroundConnection[];
  /** `chroma.query.nResults`: for queries that do not say. */
  nResults: number;
  /** The tenant and database a connection's client uses by default (from `/auth/identity`), when known. */
  scopeOf?: (connection: string) => Scope | undefined;
  /** The collection names of a database, when a list was fetched; undefined when not known. */
  collectionsIn?: (connection: string, scope: Scope) => readonly string[] | undefined;
}

/** One query object of the file: its span, and its spec when it can run. */
export interface PlaygroundQuery {
  span: Span;
  spec?: QuerySpec;
  /** How many errors keep it from running (0 when `spec` is set). */
  errors: number;
}

export interface PlaygroundProblem {
  message: string;
  span: Span;
  /** `syntax`: the JSON itself (the editor's JSON support reports it too); `query`: what the file asks for. */
  kind: 'syntax' | 'query';
  severity: 'error' | 'warning';
}

export interface PlaygroundFile {
  queries: PlaygroundQuery[];
  problems: PlaygroundProblem[];
  /** A list of queries (`{"queries": [...]}` or an array), which gets a Run All. */
  isList: boolean;
  /** The known connections the file names, for resolving their default scopes. */
  connections: string[];
}

/** The keys of a query object (the JSON schema lists the same). */
export const QUERY_KEYS = ['connection', 'tenant', 'database', 'collection', 'query', 'nResults', 'where', 'whereDocument', 'include'] as const;
export type QueryKey = (typeof QUERY_KEYS)[number];
