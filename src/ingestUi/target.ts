import * as vscode from 'vscode';
import type { Collection } from '../chroma';
import type { ClientCache } from '../connections/clients';
import type { ConnectionStore } from '../connections/store';
import type { ConnectionConfig } from '../common/connectionConfig';
import { collectionNameMessage } from '../chroma';
import { inputStep, pickStep } from '../ui/quickInput';

export interface Target {
  connection: ConnectionConfig;
  collection: Collection;
}

/** A target given by a caller: `{connection, collection}` names (and optionally tenant/database). */
export interface TargetArg {
  connection: string;
  collection: string;
  tenant?: string;
  database?: string;
}

interface Recent {
  connection: string;
  tenant: string;
  database: string;
  collection: string;
}

const RECENT_KEY = 'chroma.ingest.recentTargets';

/** Picks connection → collection, most recently used first, with "New collection…". */
export class TargetPicker {
  constructor(
    private readonly store: ConnectionStore,
    private readonly clients: ClientCache,
    private readonly state: vscode.Memento,
  ) {}

  async remember(t: Target): Promise<void> {
    const entry: Recent = { connection: t.connection.name, tenant: t.collection.tenant, database: t.collection.database, collection: t.collection.name };
    const same = (r: Recent) => r.connection === entry.connection && r.tenant === entry.tenant && r.database === entry.database && r.collection === entry.collection;
    const list = [entry, ...this.state.get<Recent[]>(RECENT_KEY, []).filter((r) => !same(r))].slice(0, 10);
    await this.state.update(RECENT_KEY, list);
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

  async pick(title: string): Promise<Target | undefined> {
    const all = this.store.list();
    if (all.length === 0) {
      void vscode.window.showInformationMessage('Add a Chroma connection first.', 'Add Connection').then((a) => a && vscode.commands.executeCommand('chroma.addConnection'));
      return undefined;
    }
    let connection = all[0];
    if (all.length > 1) {
      const recentConn = this.state.get<Recent[]>(RECENT_KEY, [])[0]?.connection;
      const items = all.map((c) => ({ label: c.name, description: c.url, conn: c }));
      const pick = await pickStep({ title, step: 1, totalSteps: 2 }, { items, active: items.find((i) => i.label === recentConn), placeholder: 'Which connection?' });
      if (!pick || typeof pick !== 'object') {
        return undefined;
      }
      connection = pick.conn;
    }
    const client = await this.clients.clientFor(connection);
    const scope = await client.scope();
    const collections: Collection[] = [];
    for await (const c of client.iterateCollections({ scope })) {
      collections.push(c);
    }
    const recent = this.state.get<Recent[]>(RECENT_KEY, []).filter((r) => r.connection === connection.name && r.tenant === scope.tenant && r.database === scope.database);
    const rank = (c: Collection) => {
      const i = recent.findIndex((r) => r.collection === c.name);
      return i < 0 ? Number.MAX_SAFE_INTEGER : i;
    };
    collections.sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
    const NEW = { label: '$(add) New collection…', collection: undefined as Collection | undefined };
    const items = [NEW, ...collections.map((c) => ({ label: c.name, description: rank(c) < Number.MAX_SAFE_INTEGER ? 'recent' : undefined, collection: c as Collection | undefined }))];
    const pick = await pickStep(
      { title, step: all.length > 1 ? 2 : 1, totalSteps: all.length > 1 ? 2 : 1 },
      { items, active: items[1] ?? items[0], placeholder: `Collection in ${connection.name} (${scope.tenant}/${scope.database})` },
    );
    if (!pick || typeof pick !== 'object') {
      return undefined;
    }
    if (pick.collection) {
      return { connection, collection: pick.collection };
    }
    const name = await inputStep({ title: 'New collection' }, { prompt: "The new collection's name; it embeds with Chroma's default function (all-MiniLM-L6-v2)", validate: collectionNameMessage });
    if (typeof name !== 'string') {
      return undefined;
    }
    const collection = await client.createCollection({ name, configuration: { embedding_function: { type: 'known', name: 'default', config: {} } } }, { scope });
    return { connection, collection };
  }
}
