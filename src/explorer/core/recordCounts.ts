/**
 * The record counts shown on collection nodes: fetched in the background, a few at a time, after any listing in
 * flight, skipped for collections refreshed away or under a collapsed node, and announced in coalesced tree events.
 * No `vscode` here.
 */
import type { ChromaClient } from '../../chroma/client';
import { describeError } from '../../chroma/errors';
import { CountScheduler } from './countScheduler';
import type { CollectionNode, ExplorerNode } from './nodes';

export interface RecordCountsDeps {
  concurrency: number;
  client(node: CollectionNode): Promise<ChromaClient>;
  /** Asks for the node to be refreshed in the tree (a coalesced event). */
  announce(node: CollectionNode): void;
  /** Whether a refresh dropped the node. */
  retired(node: ExplorerNode): boolean;
  /** Whether the node with this id is collapsed in the tree. */
  collapsed(id: string): boolean;
  /** Resolves when no listing is in flight: listings go first. */
  idle(): Promise<void>;
}

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
