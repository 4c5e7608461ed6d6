/**
 * Counts shown in the tree (a collection's records, a database's collections) are fetched in the background, all by
 * the same rules: a few at a time, after any listing in flight, each dropped when its node was refreshed away or an
 * ancestor collapsed before its turn, never two at once for one node. What a count is, and how it is announced, is
 * the caller's. No `vscode` here.
 */
import type { ChromaClient } from '../../chroma/client';
import { Limiter } from '../../util/limiter';
import type { ExplorerNode } from './nodes';

/** What a kind of count (records of collections, collections of databases) is given by the model. */
export interface CountDeps<N> {
  concurrency: number;
  client(node: N): Promise<ChromaClient>;
  /** Asks for the node to be refreshed in the tree (a coalesced event). */
  announce(node: N): void;
  /** Whether a refresh dropped the node. */
  retired(node: ExplorerNode): boolean;
  /** Whether the node with this id is collapsed in the tree. */
  collapsed(id: string): boolean;
  /** Resolves when no listing is in flight: listings go first. */
  idle(): Promise<void>;
}

export interface CountJob<N> {
  /** Whether the node still lacks its count (and may be counted at all). */
  needsCount(node: N): boolean;
  /** Whether the node is still shown where its count is wanted (not refreshed away, no ancestor collapsed). */
  wanted(node: N): boolean;
  /** Fetches and stores the node's count (and announces it); failures are the job's to record. */
  count(node: N): Promise<void>;
}

export class CountScheduler<N extends object> {
  private readonly pending = new Set<N>();
  private readonly limiter: Limiter;

  constructor(
    concurrency: number,
    private readonly job: CountJob<N>,
    /** Resolves when no listing is in flight: listings go first. */
    private readonly idle: () => Promise<void>,
  ) {
    this.limiter = new Limiter(concurrency);
  }

  /** The most counts ever in flight at once (for tests and benchmarks). */
  get peak(): number {
    return this.limiter.peak;
  }

  schedule(nodes: readonly N[]): void {
    for (const node of nodes) {
      if (this.pending.has(node) || !this.job.needsCount(node)) {
        continue;
      }
      this.pending.add(node);
      void this.limiter
        .run(async () => {
          try {
            if (!this.job.wanted(node)) {
              return;
            }
            await this.idle();
            if (this.job.wanted(node) && this.job.needsCount(node)) {
              await this.job.count(node);
            }
          } finally {
            this.pending.delete(node);
          }
        })
        .catch(() => undefined);
    }
  }
}
