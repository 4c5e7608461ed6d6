/**
 * The record counts shown on collection nodes: fetched in the background, a few at a time, after any listing in
 * flight, skipped for collections refreshed away or under a collapsed node, and announced in coalesced tree events.
 * No `vscode` here.
 */
import { describeError } from '../../chroma/errors';
import { CountScheduler } from './countScheduler';
import type { CountDeps } from './countScheduler';
import type { CollectionNode } from './nodes';

export type RecordCountsDeps = CountDeps<CollectionNode>;

export class RecordCounts {
  private readonly scheduler: CountScheduler<CollectionNode>;

  constructor(private readonly deps: RecordCountsDeps) {
    this.scheduler = new CountScheduler<CollectionNode>(
      deps.concurrency,
      {
        needsCount: (node) => node.count === undefined && !deps.retired(node),
        wanted: (node) => !deps.retired(node) && !deps.collapsed(node.parent.id) && !deps.collapsed(node.parent.parent.id),
        count: (node) => this.countRecords(node),
      },
      () => deps.idle(),
    );
  }

  /** The most counts ever in flight at once (for tests and benchmarks). */
  get peak(): number {
    return this.scheduler.peak;
  }

  /** Counts the collections shown that are not counted yet. */
  schedule(nodes: readonly CollectionNode[]): void {
    this.scheduler.schedule(nodes);
  }

  private async countRecords(node: CollectionNode): Promise<void> {
    try {
      node.count = await (await this.deps.client(node)).count(node.collection);
      node.countError = undefined;
    } catch (e) {
      node.countError = describeError(e);
    }
    if (!this.deps.retired(node)) {
      this.deps.announce(node);
    }
  }
}
