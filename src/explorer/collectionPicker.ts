/**
 * Picks a collection the way every command that needs one asks for it: connection → database → collection, most
 * recently used first, each step skipped when there is only one choice, with Back to the step before. For adding
 * documents it offers "New collection…" too.
 */
import * as vscode from 'vscode';
import { collectionNameMessage } from '../chroma';
import type { Collection, Scope } from '../chroma';
import type { ClientCache } from '../connections/clients';
import type { ConnectionStore } from '../connections/store';
import { isTargetArg } from '../connections/core/target';
import type { Target, TargetArg } from '../connections/core/target';
import { connectionOf } from './core/model';
import type { ExplorerNode } from './core/model';
import { Commands } from '../platform/commandIds';
import { inputStep, pickStep, runSteps, SKIP } from '../platform/quickInput';
import { notificationText } from '../util/text';

export type { Target, TargetArg };

interface Recent {
  connection: string;
  tenant: string;
  database: string;
  collection: string;
}

const RECENT_KEY = 'chroma.ingest.recentTargets';

export class CollectionPicker {
  constructor(
    private readonly store: ConnectionStore,
    private readonly clients: ClientCache,
    private readonly state: vscode.Memento,
  ) {}

  private get recent(): Recent[] {
    return this.state.get<Recent[]>(RECENT_KEY, []);
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
    const node = arg as ExplorerNode | undefined;
    if (node && typeof node === 'object' && (node.kind === 'collection' || node.kind === 'record')) {
      const collection = node.kind === 'collection' ? node : node.parent;
      return Promise.resolve({ connection: connectionOf(collection), collection: collection.collection });
    }
    return this.pick(title, opts);
  }

  /** Asks for a collection; undefined when the user cancels. `allowNew` offers to create one (default function). */
  async pick(title: string, opts: { allowNew?: boolean } = {}): Promise<Target | undefined> {
    const all = this.store.list();
    if (all.length === 0) {
      const add = await vscode.window.showInformationMessage('Add a Chroma connection first.', 'Add Connection');
      if (add) {
        void vscode.commands.executeCommand(Commands.addConnection);
      }
      return undefined;
    }
    const recent = this.recent;
    let connection = all.find((c) => c.name === recent[0]?.connection) ?? all[0];
    let scope: Scope | undefined;
    let databases: string[] = [];
    let chosen: Collection | undefined;
    let created: Collection | undefined;
    const NEW = { label: '$(add) New collection…', collection: undefined as Collection | undefined };

    const ok = await runSteps([
      async () => {
        if (all.length === 1) {
          return SKIP;
        }
        const items = all.map((c) => ({ label: c.name, description: c.url, conn: c }));
        const pick = await pickStep(
          { title },
          { items, active: items.find((i) => i.label === connection.name), placeholder: 'Which connection?' },
        );
        if (pick && typeof pick === 'object') {
          connection = pick.conn;
          scope = undefined;
        }
        return pick;
      },
      async () => {
        const client = await this.clients.clientFor(connection);
        const base = await client.scope();
        databases = connection.database ? [connection.database] : await client.listDatabases({ tenant: base.tenant }).then((dbs) => dbs.map((d) => d.name)).catch(() => [base.database]);
        if (databases.length <= 1) {
          scope = { tenant: base.tenant, database: databases[0] ?? base.database };
          return SKIP;
        }
        const lastDb = recent.find((r) => r.connection === connection.name)?.database ?? base.database;
        const items = databases.map((d) => ({ label: d, description: d === lastDb ? 'recent' : undefined }));
        const pick = await pickStep(
          { title, back: all.length > 1 },
          { items, active: items.find((i) => i.label === lastDb), placeholder: `Database of ${connection.name} (tenant ${base.tenant})` },
        );
        if (pick && typeof pick === 'object') {
          scope = { tenant: base.tenant, database: pick.label };
        }
        return pick;
      },
      async () => {
        const client = await this.clients.clientFor(connection);
        const where = scope ?? (await client.scope());
        const collections: Collection[] = [];
        for await (const c of client.iterateCollections({ scope: where })) {
          collections.push(c);
        }
        const rankOf = new Map(
          recent.filter((r) => r.connection === connection.name && r.tenant === where.tenant && r.database === where.database).map((r, i) => [r.collection, i]),
        );
        const rank = (c: Collection) => rankOf.get(c.name) ?? Number.MAX_SAFE_INTEGER;
        collections.sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
        const items = [
          ...(opts.allowNew ? [NEW] : []),
          ...collections.map((c) => ({ label: c.name, description: rankOf.has(c.name) ? 'recent' : undefined, collection: c as Collection | undefined })),
        ];
        if (items.length === 0) {
          void vscode.window.showInformationMessage(notificationText(`${connection.name} has no collections in ${where.tenant}/${where.database}.`));
          return undefined;
        }
        const pick = await pickStep(
          { title, back: all.length > 1 || databases.length > 1 },
          { items, active: items.find((i) => i.collection) ?? items[0], placeholder: `Collection in ${connection.name} (${where.tenant}/${where.database})` },
        );
        if (pick && typeof pick === 'object') {
          scope = where;
          chosen = pick.collection;
        }
        return pick;
      },
      async () => {
        if (chosen) {
          return SKIP;
        }
        const name = await inputStep(
          { title: 'New collection', back: true },
          { prompt: "The new collection's name; it embeds with Chroma's default function (all-MiniLM-L6-v2)", validate: collectionNameMessage },
        );
        if (typeof name === 'string') {
          const client = await this.clients.clientFor(connection);
          created = await client.createCollection({ name, configuration: { embedding_function: { type: 'known', name: 'default', config: {} } } }, { scope });
        }
        return name;
      },
    ]);
    const collection = chosen ?? created;
    return ok && collection ? { connection, collection } : undefined;
  }
}
