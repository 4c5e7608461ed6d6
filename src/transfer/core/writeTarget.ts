/**
 * What an import and a copy share on the target's side: making the new collection with the source's configuration
 * (and telling whether the server kept it), dropping it again when nothing can be written, and the RecordSink the
 * records go through, with progress and a failure that says how much was written. No `vscode` here.
 */
import { legacyKeeps } from '../../chroma/legacyCreate';
import type { ChromaClient } from '../../chroma/client';
import type { Collection, CollectionConfiguration, Metadata } from '../../chroma/types';
import type { EmbeddingFunction } from '../../embedding/core/types';
import type { AdaptiveLimits } from './adaptive';
import { TransferError, cancelledBy } from './errors';
import { canonicalJson } from './format';
import type { ImportTarget, WriteOptions } from './importer';
import { RecordSink } from './sink';

/** The configuration without null parts (`spann: null` next to `hnsw`): what a create takes. */
export function createConfiguration(cfg: CollectionConfiguration | null): CollectionConfiguration | undefined {
  if (!cfg) {
    return undefined;
  }
  const out: CollectionConfiguration = {};
  for (const [k, v] of Object.entries(cfg)) {
    if (v !== null && v !== undefined) {
      out[k] = v;
    }
  }
  return Object.keys(out).length ? out : undefined;
}

/** Whether a stored configuration has every setting asked for (a server fills in defaults for the rest). */
export function keeps(stored: unknown, asked: unknown): boolean {
  if (asked === null || asked === undefined) {
    return true;
  }
  if (typeof asked === 'object' && !Array.isArray(asked)) {
    const have = (typeof stored === 'object' && stored !== null ? stored : {}) as Record<string, unknown>;
    return Object.entries(asked as Record<string, unknown>).every(([k, v]) => keeps(have[k], v));
  }
  return canonicalJson(stored) === canonicalJson(asked);
}

/** The collection written into; `configurationChanged` when the server stored another configuration than asked. */
export interface WriteTarget {
  collection: Collection;
  created: boolean;
  configurationChanged?: boolean;
}

/** Makes the new target collection with the source's metadata and configuration. */
export async function createTarget(
  client: ChromaClient,
  into: Extract<ImportTarget, { kind: 'new' }>,
  create: { metadata?: Metadata; configuration?: CollectionConfiguration },
  signal?: AbortSignal,
): Promise<WriteTarget> {
  const { metadata, configuration } = create;
  const collection = await client.createCollection({ name: into.name, metadata, configuration }, { scope: into.scope, signal });
  const configurationChanged =
    configuration && collection.configuration_json ? !(legacyKeeps(collection, configuration) ?? keeps(collection.configuration_json, configuration)) : undefined;
  return { collection, created: true, configurationChanged };
}

/** Deletes the target again if this run made it (nothing was written: no embedding function was chosen). */
export async function dropIfCreated(client: ChromaClient, target: WriteTarget, signal?: AbortSignal): Promise<void> {
  if (target.created) {
    await client.deleteCollection(target.collection.name, { scope: target.collection, signal }).catch(() => undefined);
  }
}

/** A RecordSink into the target, with the count of records read for the progress the options ask for. */
export class TargetWriter {
  /** Records read from the source so far. */
  read = 0;
  readonly sink: RecordSink;

  constructor(
    target: { client: ChromaClient; collection: Collection; limits: AdaptiveLimits; embedder?: EmbeddingFunction },
    private readonly opts: WriteOptions,
    total: number,
  ) {
    this.sink = new RecordSink({
      ...target,
      skipExisting: opts.skipExisting ?? false,
      reembed: opts.reembed ?? false,
      signal: opts.signal,
      onProgress: (counts) => opts.onProgress?.({ read: this.read, total, counts }),
    });
  }

  /**
   * Runs `write` (which pushes to the sink) and waits for the writes in flight. Resolves to whether it was
   * cancelled; a failure rejects with a TransferError whose message is `failed(why, written)`.
   */
  async run(write: () => Promise<void>, failed: (why: string, written: number) => string): Promise<boolean> {
    const { signal } = this.opts;
    try {
      await write();
      await this.sink.finish();
    } catch (e) {
      // what is in flight lands (or fails) before the report counts it
      await this.sink.finish().catch(() => undefined);
      if (cancelledBy(signal)) {
        return true;
      }
      const why = (e instanceof Error ? e.message : String(e)).replace(/\.?$/, '.');
      throw new TransferError('failed', failed(why, this.sink.counts.written));
    }
    return signal?.aborted === true;
  }
}
