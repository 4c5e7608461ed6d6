/**
 * Picks what a command acts on the way every command that needs one asks for it: connection → database →
 * collection (→ record), most recently used first, each step skipped when there is only one choice, with Back to
 * the step before. For adding documents it offers "New collection…" too. A command run on a tree node gets that
 * node's target without a question.
 */
import * as vscode from 'vscode';
import { collectionNameMessage } from '../chroma';
import type { ChromaClient, Collection, Scope } from '../chroma';
import type { ClientCache } from '../connections/clients';
import type { ConnectionConfig } from '../connections/core/connectionConfig';
import type { ConnectionStore } from '../connections/store';
import { isTargetArg } from '../connections/core/target';
import type { Target, TargetArg } from '../connections/core/target';
import { connectionOf } from '../explorer/core/model';
import type { ExplorerNode } from '../explorer/core/model';
import { recordStep } from './recordStep';
import { Commands } from '../platform/commandIds';
import { inputStep, pickStep, runSteps, SKIP } from '../platform/quickInput';
import type { StepResult } from '../platform/quickInput';
import { displayLine, escapeIcons, notificationText } from '../util/text';
import { AddedDatabases } from '../explorer/addedDatabases';

export type { Target, TargetArg };

/** A database on a connection: where Create Collection… makes a collection. */
export interface DatabaseTarget {
  connection: ConnectionConfig;
  scope: Scope;
}

/** One record of a collection: what Open Record, Copy Record Id and Delete Record… act on. */
export interface RecordTarget extends Target {
  recordId: string;
}

/** Where a command's own steps, run after the picker's, stand: the database chosen, and whether Back has a step to go to. */
export interface AfterDatabase extends DatabaseTarget {
  back: boolean;
}

type Step = () => Promise<StepResult<unknown>>;

interface Recent {
  connection: string;
  tenant: string;
  database: string;
  collection: string;
}

/** One walk through the steps: what has been chosen so far. */
interface Walk {
  title: string;
  all: readonly ConnectionConfig[];
  recent: Recent[];
  connection: ConnectionConfig;
  scope?: Scope;
  databases: string[];
  collection?: Collection;
}

const RECENT_KEY = 'chroma.ingest.recentTargets';

/** The tree node a command was run on, if its argument is one. */
function nodeOf(arg: unknown): ExplorerNode | undefined {
  const node = arg as ExplorerNode | undefined;
  return node && typeof node === 'object' && typeof node.kind === 'string' && typeof node.id === 'string' ? node : undefined;
}

/** Whether a step before the collection step was shown (so it gets a Back button). */
const choseBeforeCollection = (w: Walk) => w.all.length > 1 || w.databases.length > 1;

export class CollectionPicker {
  constructor(
    private readonly store: ConnectionStore,
    private readonly clients: ClientCache,
    private readonly state: vscode.Memento,
  ) {}

  private get recent(): Recent[] {
    return this.state.get<Recent[]>(RECENT_KEY, []);
  }

  clientFor(connection: ConnectionConfig): Promise<ChromaClient> {
    return this.clients.clientFor(connection);
  }

  /** Remembers a collection as the most recently used. */
  async remember(t: Target): Promise<void> {
    const entry: Recent = { connection: t.connection.name, tenant: t.collection.tenant, database: t.collection.database, collection: t.collection.name };
    const same = (r: Recent) => r.connection === entry.connection && r.tenant === entry.tenant && r.database === entry.database && r.collection === entry.collection;
    await this.state.update(RECENT_KEY, [entry, ...this.recent.filter((r) => !same(r))].slice(0, 10));
  }

  /** The most recently used collection that still exists, if any. */
  async last(): Promise<Target | undefined> {
    const r = this.recent[0];
    if (!r) {
      return undefined;
    }
    try {
      return await this.resolve(r);
    } catch {
      return undefined;
    }
  }

  async resolve(arg: TargetArg): Promise<Target> {
    const connection = this.store.get(arg.connection);
    if (!connection) {
      throw new Error(`There is no connection named "${arg.connection}".`);
    }
    const client = await this.clients.clientFor(connection);
    const scope = arg.tenant && arg.database ? { tenant: arg.tenant, database: arg.database } : undefined;
    return { connection, collection: await client.getCollection(arg.collection, { scope }) };
  }

  /**
   * The collection a command is about: the tree node it was run on (a collection or one of its records), a
   * TargetArg from a caller, else one the user picks. Features get this function from the composition root.
   */
  targetOf(arg: unknown, title: string, opts: { allowNew?: boolean } = {}): Promise<Target | undefined> {
    if (isTargetArg(arg)) {
      return this.resolve(arg);
    }
    const node = nodeOf(arg);
    if (node?.kind === 'collection' || node?.kind === 'record') {
      const collection = node.kind === 'collection' ? node : node.parent;
      return Promise.resolve({ connection: connectionOf(collection), collection: collection.collection });
    }
    return this.pick(title, opts);
  }

  /**
   * The record a command is about: the record node it was run on; for a collection node or a TargetArg, one the
   * user picks in that collection; else one the user picks after its collection.
   */
  async recordOf(arg: unknown, title: string): Promise<RecordTarget | undefined> {
    const node = nodeOf(arg);
    if (node?.kind === 'record') {
      return { connection: connectionOf(node), collection: node.parent.collection, recordId: node.recordId };
    }
    if (node?.kind === 'collection' || isTargetArg(arg)) {
      const t = await this.targetOf(arg, title);
      return t && this.pickRecord(title, t);
    }
    return this.pickRecord(title);
  }

  /** Asks for a collection; undefined when the user cancels. `allowNew` offers to create one (default function). */
  async pick(title: string, opts: { allowNew?: boolean } = {}): Promise<Target | undefined> {
    const w = await this.begin(title);
    if (!w) {
      return undefined;
    }
    let created: Collection | undefined;
    const ok = await runSteps([
      this.connectionStep(w),
      this.databaseStep(w),
      this.collectionStep(w, opts.allowNew ?? false),
      async () => {
        if (w.collection) {
          return SKIP;
        }
        const name = await inputStep(
          { title: 'New collection', back: true },
          { prompt: "The new collection's name; it embeds with Chroma's default function (all-MiniLM-L6-v2)", validate: collectionNameMessage },
        );
        if (typeof name === 'string') {
          const client = await this.clients.clientFor(w.connection);
          created = await client.createCollection({ name, configuration: { embedding_function: { type: 'known', name: 'default', config: {} } } }, { scope: w.scope });
        }
        return name;
      },
    ]);
    const collection = w.collection ?? created;
    return ok && collection ? { connection: w.connection, collection } : undefined;
  }

  /**
   * Asks for a database (connection → database), then runs the command's own `then` steps in the same wizard, so
   * Back from the first of them returns to the database. Undefined when the user cancels any step.
   */
  async pickDatabase(title: string, then: (at: () => AfterDatabase) => readonly Step[] = () => []): Promise<DatabaseTarget | undefined> {
    const w = await this.begin(title);
    if (!w) {
      return undefined;
    }
    const at = (): AfterDatabase => {
      if (!w.scope) {
        throw new Error('No database was chosen.');
      }
      return { connection: w.connection, scope: w.scope, back: choseBeforeCollection(w) };
    };
    const ok = await runSteps([this.connectionStep(w), this.databaseStep(w), ...then(at)]);
    return ok && w.scope ? { connection: w.connection, scope: w.scope } : undefined;
  }

  /** Asks for a record of `target`, or of a collection picked first (with Back from the record to the collection). */
  async pickRecord(title: string, target?: Target): Promise<RecordTarget | undefined> {
    if (target) {
      const recordId = await this.recordStep(title, target, false);
      return typeof recordId === 'string' ? { ...target, recordId } : undefined;
    }
    const w = await this.begin(title);
    if (!w) {
      return undefined;
    }
    let recordId: string | undefined;
    const ok = await runSteps([
      this.connectionStep(w),
      this.databaseStep(w),
      this.collectionStep(w, false),
      async () => {
        const r = await this.recordStep(title, { connection: w.connection, collection: w.collection! }, true);
        recordId = typeof r === 'string' ? r : undefined;
        return r;
      },
    ]);
    return ok && w.collection && recordId !== undefined ? { connection: w.connection, collection: w.collection, recordId } : undefined;
  }

  /** A new walk, or undefined (after offering to add one) when there is no connection. */
  private async begin(title: string): Promise<Walk | undefined> {
    const all = this.store.list();
    if (all.length === 0) {
      const add = await vscode.window.showInformationMessage('Add a Chroma connection first.', 'Add Connection');
      if (add) {
        void vscode.commands.executeCommand(Commands.addConnection);
      }
      return undefined;
    }
    const recent = this.recent;
    return { title, all, recent, connection: all.find((c) => c.name === recent[0]?.connection) ?? all[0], databases: [] };
  }

  private connectionStep(w: Walk): Step {
    return async () => {
      if (w.all.length === 1) {
        return SKIP;
      }
      const items = w.all.map((c) => ({ label: c.name, description: c.url, conn: c }));
      const pick = await pickStep(
        { title: w.title },
        { items, active: items.find((i) => i.conn === w.connection), placeholder: 'Which connection?' },
      );
      if (pick && typeof pick === 'object') {
        w.connection = pick.conn;
        w.scope = undefined;
      }
      return pick;
    };
  }

  private databaseStep(w: Walk): Step {
    return async () => {
      const connection = w.connection;
      const client = await this.clients.clientFor(connection);
      const base = await client.scope();
      // a server that cannot list its databases: its default one and those added to the view
      w.databases = connection.database
        ? [connection.database]
        : await client
            .listDatabases({ tenant: base.tenant })
            .then((dbs) => dbs.map((d) => d.name))
            .catch(() => [...new Set([base.database, ...new AddedDatabases(this.state).list(connection.name, base.tenant)])]);
      if (w.databases.length <= 1) {
        w.scope = { tenant: base.tenant, database: w.databases[0] ?? base.database };
        return SKIP;
      }
      const lastDb = w.scope?.database ?? w.recent.find((r) => r.connection === connection.name)?.database ?? base.database;
      // Database names come from the server: shown as text, kept whole for the request.
      const items = w.databases.map((d) => ({ label: escapeIcons(displayLine(d, 200)) || ' ', description: d === lastDb ? 'recent' : undefined, database: d }));
      const pick = await pickStep(
        { title: w.title, back: w.all.length > 1 },
        { items, active: items.find((i) => i.database === lastDb), placeholder: `Database of ${connection.name} (tenant ${displayLine(base.tenant, 100)})` },
      );
      if (pick && typeof pick === 'object') {
        w.scope = { tenant: base.tenant, database: pick.database };
      }
      return pick;
    };
  }

  private collectionStep(w: Walk, allowNew: boolean): Step {
    const NEW = { label: '$(add) New collection…', collection: undefined as Collection | undefined };
    return async () => {
      const connection = w.connection;
      const client = await this.clients.clientFor(connection);
      const where = w.scope ?? (await client.scope());
      const collections: Collection[] = [];
      for await (const c of client.iterateCollections({ scope: where })) {
        collections.push(c);
      }
      const rankOf = new Map(
        w.recent.filter((r) => r.connection === connection.name && r.tenant === where.tenant && r.database === where.database).map((r, i) => [r.collection, i]),
      );
      const rank = (c: Collection) => rankOf.get(c.name) ?? Number.MAX_SAFE_INTEGER;
      collections.sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
      const items = [
        ...(allowNew ? [NEW] : []),
        ...collections.map((c) => ({ label: c.name, description: rankOf.has(c.name) ? 'recent' : undefined, collection: c as Collection | undefined })),
      ];
      if (items.length === 0) {
        void vscode.window.showInformationMessage(notificationText(`${connection.name} has no collections in ${where.tenant}/${where.database}.`));
        return undefined;
      }
      const pick = await pickStep(
        { title: w.title, back: choseBeforeCollection(w) },
        { items, active: items.find((i) => i.collection) ?? items[0], placeholder: `Collection in ${connection.name} (${where.tenant}/${where.database})` },
      );
      if (pick && typeof pick === 'object') {
        w.scope = where;
        w.collection = pick.collection;
      }
      return pick;
    };
  }

  private async recordStep(title: string, t: Target, back: boolean): Promise<StepResult<string>> {
    const client = await this.clients.clientFor(t.connection);
    const name = t.collection.name;
    return recordStep(
      { title, back, placeholder: `Record in ${name}: type to filter ids and documents loaded so far`, empty: `The collection "${name}" has no records.` },
      (offset, limit) => client.get(t.collection, { offset, limit, include: ['documents'] }),
    );
  }
}
