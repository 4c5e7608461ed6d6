/**
 * Limits on what the client sends, by server: Chroma Cloud documents its own; for other servers the metadata-key cap
 * is a measured safe bound. Measured on Chroma 1.0.0: one record with 5,462 or more metadata keys in one write
 * (add, upsert or update) fails with 500 and leaves the collection answering 500 to every later call, for good;
 * 5,461 keys work (the key count, not the key length, decides: SQLite's 32,766 bound variables at 6 per key).
 */

/** The setting that sets the per-record metadata-key cap (contributed by the extension; named here for messages). */
export const MAX_METADATA_KEYS_SETTING = 'chroma.limits.maxMetadataKeys';

/** Chroma Cloud's documented limits. */
export const CLOUD_MAX_METADATA_KEYS = 32;
export const CLOUD_MAX_DOCUMENT_BYTES = 16 * 1024;
/** Records per read (get) and per write (add, upsert, update); its pre-flight has been seen to say 1,000. */
export const CLOUD_MAX_RECORDS_PER_REQUEST = 300;
export const CLOUD_MAX_DIMENSION = 4096;

/** Default cap for servers other than Chroma Cloud: a quarter below the 5,462 keys that break Chroma 1.0.0. */
export const DEFAULT_MAX_METADATA_KEYS = 4096;

/** The smallest per-record key count seen to break a Chroma 1.0.0 collection. */
export const BREAKING_METADATA_KEYS = 5462;

export interface RecordLimits {
  /** Most metadata keys one record (or a collection) may carry. */
  maxMetadataKeys: number;
  /** Most UTF-8 bytes per document, where the server documents a limit. */
  maxDocumentBytes?: number;
  /** Most records one write request may carry, where the server documents a limit below its pre-flight's. */
  maxRecordsPerWrite?: number;
  /** Most records one read may return (get limit, ids per get, query n_results), where the server documents one. */
  maxRecordsPerRead?: number;
  /** Most values per embedding, where the server documents a limit. */
  maxDimension?: number;
  /** Whether the limits are Chroma Cloud's (for messages). */
  cloud: boolean;
  /**
   * The server, as messages name it ("Chroma 0.6"), when it is known to refuse list metadata values; undefined when
   * it takes them or it is not known (then lists are checked by Chroma 1.5's rules and sent).
   */
  listsRefusedBy?: string;
}

export const DEFAULT_RECORD_LIMITS: RecordLimits = { maxMetadataKeys: DEFAULT_MAX_METADATA_KEYS, cloud: false };

/** Whether a server root is Chroma Cloud (`api.trychroma.com`, regional `*.trychroma.com`). */
export function isChromaCloud(baseUrl: string): boolean {
  try {
    const host = new URL(baseUrl).hostname.toLowerCase().replace(/\.$/, '');
    return host === 'trychroma.com' || host.endsWith('.trychroma.com');
  } catch {
    return false;
  }
}

export interface LimitOverrides {
  maxMetadataKeys?: number;
  maxDocumentBytes?: number;
  /** Chroma Cloud behind another name (a proxy, a custom domain); by default told by the host name. */
  cloud?: boolean;
}

/** The limits for a server; explicit positive values win over the defaults. */
export function recordLimitsFor(baseUrl: string, overrides: LimitOverrides = {}): RecordLimits {
  const cloud = overrides.cloud ?? isChromaCloud(baseUrl);
  const positive = (n: number | undefined) => (n !== undefined && Number.isFinite(n) && n > 0 ? Math.floor(n) : undefined);
  const limits: RecordLimits = {
    maxMetadataKeys: positive(overrides.maxMetadataKeys) ?? (cloud ? CLOUD_MAX_METADATA_KEYS : DEFAULT_MAX_METADATA_KEYS),
    maxDocumentBytes: positive(overrides.maxDocumentBytes) ?? (cloud ? CLOUD_MAX_DOCUMENT_BYTES : undefined),
    cloud,
  };
  if (cloud) {
    limits.maxRecordsPerWrite = CLOUD_MAX_RECORDS_PER_REQUEST;
    limits.maxRecordsPerRead = CLOUD_MAX_RECORDS_PER_REQUEST;
    limits.maxDimension = CLOUD_MAX_DIMENSION;
  }
  return limits;
}
