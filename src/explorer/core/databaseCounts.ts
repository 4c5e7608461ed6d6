/**
 * The collection counts shown on database nodes (collections_count, slow on large databases): fetched in the
 * background on their own few slots (record counts never wait for them), by the same rules as record counts, and
 * announced only where it does not disturb an open database. Also whether a database exists at all: servers list a
 * missing one as empty. No `vscode` here.
 */
import { describeError } from '../../chroma/errors';
import { CountScheduler } from './countScheduler';
import type { CountDeps } from './countScheduler';
import type { Listing } from './listing';
import type { DatabaseNode, ExplorerNode } from './nodes';
import { databaseExists, isMissingDatabase, missingDatabaseText } from './unlistedDatabases';

export interface DatabaseCountsDeps extends CountDeps<DatabaseNode> {
  /** Whether the database's collections are loaded or loading. */
  listed(node: DatabaseNode): boolean;
}

export class DatabaseCounts {
  private readonly scheduler: CountScheduler<DatabaseNode>;
  /** Databases the tree has shown (count): counted again after a refresh or an expand. */
  private readonly shownDatabases = new WeakSet<DatabaseNode>();
  /** Databases whose count is out of date (refreshed): it stays shown until the new one arrives. */
  private readonly staleDatabases = new WeakSet<DatabaseNode>();

  constructor(private readonly deps: DatabaseCountsDeps) {
    this.scheduler = new CountScheduler<DatabaseNode>(
      deps.concurrency,
      {
        needsCount: (node) => this.needsCount(node) && !deps.retired(node),
        wanted: (node) => !deps.retired(node) && !deps.collapsed(node.parent.id),
        count: (node) => this.countCollections(node),
      },
      () => deps.idle(),
    );
  }

  /** The tree shows these databases: their collections are counted in the background. */
  count(nodes: readonly DatabaseNode[]): void {
    nodes.forEach((node) => this.shownDatabases.add(node));
    this.scheduler.schedule(nodes);
  }

  shown(node: DatabaseNode): boolean {
    return this.shownDatabases.has(node);
  }

  /** The database was refreshed: its collections may have changed, so it is counted again (and announced). */
  recount(node: DatabaseNode): void {
    this.staleDatabases.add(node);
    this.count([node]);
  }

  /** Whether the node's count is unknown or out of date (and the database is not known to be missing). */
  needsCount(node: DatabaseNode): boolean {
    return node.missing !== true && (node.collectionCount === undefined || this.staleDatabases.has(node));
  }

  /**
   * A database's count is known: announced where the tree shows it and the count changed, unless its collections
   * are open in the tree. Refreshing a node makes VS Code re-create its children's items and drop their commands,
   * so a click on "Load more…" just then would fail (issue 11): an open database shows a count learnt in the
   * background at its next refresh. One refreshed because its collections changed (created, deleted) is announced.
   */
  set(node: DatabaseNode, count: number): void {
    const changedByUser = this.staleDatabases.delete(node);
    if (node.collectionCount === count && node.collectionCountError === undefined) {
      return;
    }
    node.collectionCount = count;
    node.collectionCountError = undefined;
    const open = this.deps.listed(node) && !this.deps.collapsed(node.id);
    if (this.shownDatabases.has(node) && !this.deps.retired(node) && (!open || changedByUser)) {
      this.deps.announce(node);
    }
  }

  /** A database the server says does not exist: said so, in its listing and (from the next event) its description. */
  missing(node: DatabaseNode): Listing<ExplorerNode> {
    if (node.missing !== true) {
      node.missing = true;
      node.collectionCount = undefined;
      this.deps.announce(node);
    }
    const text = missingDatabaseText(node.database, node.tenant, node.unlisted === 'added');
    return { items: [{ kind: 'message', id: `x:${node.id}`, parent: node, text }], pool: [], fetched: 0, total: 0, exhausted: true };
  }

  private async countCollections(node: DatabaseNode): Promise<void> {
    try {
      const client = await this.deps.client(node);
      // 0.5 counts a database that does not exist as 0: one the server did not list is asked for first
      if (node.unlisted && node.missing === undefined && (await databaseExists(client, node.tenant, node.database)) === false) {
        this.missing(node);
        return;
      }
      this.set(node, await client.countCollections({ scope: { tenant: node.tenant, database: node.database } }));
    } catch (e) {
      this.staleDatabases.delete(node);
      if (isMissingDatabase(e)) {
        this.missing(node);
        return;
      }
      // the tooltip says so from the node's next refresh: not worth a refresh of its own
      node.collectionCountError = describeError(e);
    }
  }
}
