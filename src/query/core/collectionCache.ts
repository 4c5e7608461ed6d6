/**
 * The collections queries ran against, remembered for a few seconds, so that a burst of queries on one collection
 * (a playground file's list, re-runs, history) does not fetch the collection before each. A remembered collection
 * may be stale (deleted, re-created, renamed): `runQuery` fetches it again when a query on it fails the way a stale
 * one does. No `vscode` here.
 */
import type { Collection } from '../../chroma/types';
import type { QuerySpec } from './spec';

export class CollectionCache {
  private readonly entries = new Map<string, { collection: Collection; at: number }>();

  constructor(
    private readonly ttlMs = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  private static key(spec: QuerySpec): string {
    return JSON.stringify([spec.connection, spec.tenant, spec.database, spec.collection]);
  }

  get(spec: QuerySpec): Collection | undefined {
    const key = CollectionCache.key(spec);
    const e = this.entries.get(key);
    if (e && this.now() - e.at > this.ttlMs) {
      this.entries.delete(key);
      return undefined;
    }
    return e?.collection;
  }

  set(spec: QuerySpec, collection: Collection): void {
    this.entries.set(CollectionCache.key(spec), { collection, at: this.now() });
  }

  forget(spec: QuerySpec): void {
    this.entries.delete(CollectionCache.key(spec));
  }

  clear(): void {
    this.entries.clear();
  }
}
