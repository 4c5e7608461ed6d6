/**
 * Create Database… and Delete Database… on a connection or database node, or from the palette with pickers. Delete
 * asks for the database's name to be typed, and says how many collections go with it. A server that does not
 * manage databases (as detected by ChromaClient.capabilities) is told apart with the reason, before asking anything.
 */
import * as vscode from 'vscode';
import type { ChromaClient } from '../chroma/client';
import type { ConnectionConfig } from '../connections/core/connectionConfig';
import { Commands } from '../platform/commandIds';
import type { Logger } from '../platform/log';
import { inputStep } from '../platform/quickInput';
import { registerCommand } from '../platform/registerCommand';
import type { CollectionsDeps } from './index';
import { displayLine, notificationText } from '../util/text';
import { nodeOf, plural } from '../explorer/commandArgs';
import { databaseNameMessage } from './core/databaseName';
import { connectionOf } from '../explorer/core/model';
import { connectionFor, refreshAndReveal, refreshConnection } from './databasePick';

/** Whether the server manages databases; when it is known not to, the user is told so (and how that was learnt). */
async function supportsDatabases(client: ChromaClient, connection: ConnectionConfig, what: string): Promise<boolean> {
  const db = (await client.capabilities()).features.databases;
  if (db.support !== 'no') {
    return true;
  }
  void vscode.window.showInformationMessage(
    notificationText(`${what} is not supported by this server (${connection.name}): ${displayLine(db.how, 200)}. Chroma 0.6.3 and newer manage databases.`),
  );
  return false;
}

export function registerDatabaseCommands(s: CollectionsDeps): vscode.Disposable[] {
  const log = s.log.for('databases');
  return [
    registerCommand(log, Commands.createDatabase, (arg?: unknown) => createDatabase(s, log, arg)),
    registerCommand(log, Commands.deleteDatabase, (arg?: unknown) => deleteDatabase(s, log, arg)),
  ];
}

/** Asks for a new database's name (of the node's tenant, else the connection's) and creates it; resolves to its name. */
async function createDatabase(s: CollectionsDeps, log: Logger, arg: unknown): Promise<string | undefined> {
  const connection = await connectionFor(s, arg, 'Create a database');
  if (!connection) {
    return undefined;
  }
  const client = await s.picker.clientFor(connection);
  if (!(await supportsDatabases(client, connection, 'Creating databases'))) {
    return undefined;
  }
  const tenant = nodeOf(arg, 'database')?.tenant ?? (await client.scope()).tenant;
  const existing = await client
    .databaseNames({ tenant })
    .then((d) => (d.listed ? d.names : []))
    .catch(() => []);
  const name = await inputStep(
    { title: `New database on ${connection.name}` },
    { prompt: `Name of the new database in tenant ${displayLine(tenant, 100)}`, validate: (v) => databaseNameMessage(v, existing) },
  );
  if (typeof name !== 'string') {
    return undefined;
  }
  await client.createDatabase(name, { tenant });
  log.info(`created database ${name} on ${connection.name}`);
  await refreshAndReveal(s, connection, tenant, name);
  return name;
}

/** What deleting a database loses: the number of its collections and the first few by name (as the tree shows them). */
async function describeLoss(client: ChromaClient, scope: { tenant: string; database: string }): Promise<{ count?: number; lost: string }> {
  const [count, first] = await Promise.all([
    client.countCollections({ scope }).catch(() => undefined),
    client.listCollections({ scope, limit: 3 }).catch(() => []),
  ]);
  // in name order, as the tree shows them (servers list in their own order)
  const names = first
    .map((c) => c.name)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((n) => `"${displayLine(n, 40)}"`)
    .join(', ');
  const lost =
    count === undefined
      ? 'all its collections and their records'
      : count === 0
        ? 'no collections (it is empty)'
        : `${plural(count, 'collection')} (${names}${count > first.length ? ', …' : ''}) and all their records`;
  return { count, lost };
}

/** Deletes the node's database, or one the user picks, once its name is typed to confirm. */
async function deleteDatabase(s: CollectionsDeps, log: Logger, arg: unknown): Promise<boolean> {
  const node = nodeOf(arg, 'database');
  const picked = node ? { connection: connectionOf(node), scope: { tenant: node.tenant, database: node.database } } : await s.picker.pickDatabase('Delete a database');
  if (!picked) {
    return false;
  }
  const { connection } = picked;
  const { tenant, database } = picked.scope;
  const client = await s.picker.clientFor(connection);
  if (!(await supportsDatabases(client, connection, 'Deleting databases'))) {
    return false;
  }
  const { count, lost } = await describeLoss(client, { tenant, database });
  const pinned = connection.database === database ? ` The connection "${connection.name}" is set to use it: change its database afterwards.` : '';
  const shown = displayLine(database, 100);
  const typed = await inputStep(
    { title: `Delete the database "${shown}" on ${connection.name}` },
    {
      prompt: `This deletes ${lost} from tenant ${displayLine(tenant, 60)}. It cannot be undone.${pinned} Type the database name to confirm.`,
      placeholder: database,
      validate: (v) => (v === database ? undefined : `Type "${shown}" exactly to delete it.`),
    },
  );
  if (typed !== database) {
    return false;
  }
  await client.deleteDatabase(database, { tenant });
  log.info(`deleted database ${database} (${count ?? '?'} collections) on ${connection.name}`);
  refreshConnection(s, connection);
  void vscode.window.showInformationMessage(
    notificationText(`Deleted the database "${shown}" and ${count === undefined ? 'its collections' : plural(count, 'collection')} from ${connection.name}.`),
  );
  return true;
}
