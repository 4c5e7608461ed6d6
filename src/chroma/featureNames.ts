/**
 * The capabilities the extension asks a server about, their labels and the shape of what was learnt: the status
 * item's text needs them at activation, without the probes of capabilities.ts.
 */
export type Feature = 'base64' | 'databases' | 'listMetadata' | 'fork' | 'search' | 'indexingStatus' | 'schema' | 'functions';

/** In the order they are shown. */
export const FEATURES: readonly Feature[] = ['base64', 'databases', 'listMetadata', 'schema', 'indexingStatus', 'search', 'fork', 'functions'];

export const FEATURE_LABELS: Readonly<Record<Feature, string>> = {
  base64: 'base64 embeddings',
  databases: 'listing databases',
  listMetadata: 'list metadata values',
  schema: 'collection schema',
  indexingStatus: 'indexing status',
  search: 'search API',
  fork: 'forking collections',
  functions: 'collection functions',
};

/** `unknown`: the route exists (or nothing said otherwise) but no answer told whether it works. */
export type Support = 'yes' | 'no' | 'unknown';

export interface Capability {
  support: Support;
  /** How it was learnt, as a short phrase. It may quote the server: escape it before display. */
  how: string;
}

export interface ServerCapabilities {
  features: Record<Feature, Capability>;
  /** Whether the server serves its OpenAPI description. */
  openApi: boolean;
  /** true when an answer said this is a single-node ("local") Chroma; undefined when none told. */
  singleNode?: boolean;
  /** The version the server reports: a 0.x server's own, "1.0.0" on every 1.x; undefined when it did not answer. */
  version?: string;
}
