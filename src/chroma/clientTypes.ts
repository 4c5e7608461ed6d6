/** The options and the small result types of ChromaClient's methods (client.ts re-exports them). No `vscode` here. */
import type { TransportOptions } from './transport';

export interface ChromaClientOptions extends TransportOptions {
  /** Tenant to use; by default the one `/auth/identity` names, else `default_tenant`. */
  tenant?: string;
  /** Database to use; by default the one `/auth/identity` names, else `default_database`. */
  database?: string;
  /**
   * Upper bound for a write request's JSON body, in bytes. Unset, writes are capped by bytes only where that is
   * needed: on 0.x servers (8 MiB, so one write stays well under the timeout), and after a server or proxy refused a
   * body as too large (413), under what it refused.
   */
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

export interface DatabaseNames {
  names: string[];
  /** false: the server cannot list databases, and the names are the ones the connection or identity names. */
  listed: boolean;
}
