/**
 * Add Database to View… and Remove Database from View, for servers that cannot list their databases (Chroma
 * 0.5.18–0.6.2): a database named by the user is remembered per connection and tenant and shown in the tree; one
 * the server says does not exist is not added.
 */
import * as vscode from 'vscode';
import { validateScopeName } from '../chroma/validate';
import type { ConnectionConfig } from '../connections/core/connectionConfig';
import { Commands } from '../platform/commandIds';
import type { Logger } from '../platform/log';
import { inputStep, pickStep } from '../platform/quickInput';
import { registerCommand } from '../platform/registerCommand';
import type { CollectionsDeps } from './index';
import { displayLine, escapeIcons, notificationText } from '../util/text';
import { AddedDatabases } from '../explorer/addedDatabases';
import { nodeOf } from '../explorer/commandArgs';
import { connectionOf } from '../explorer/core/model';
import { databaseExists } from '../explorer/core/unlistedDatabases';
import { connectionFor, refreshAndReveal, refreshConnection } from './databasePick';

export function registerDatabaseViewCommands(s: CollectionsDeps): vscode.Disposable[] {
  const log = s.log.for('databases');
  const added = new AddedDatabases(s.globalState);
  return [
    registerCommand(log, Commands.addDatabaseToView, (arg?: unknown) => addDatabaseToView(s, log, added, arg)),
    registerCommand(log, Commands.removeDatabaseFromView, async (arg?: unknown): Promise<boolean> => {
      const target = await databaseToRemove(s, added, arg);
      if (!target) {
        return false;
      }
      const removed = await added.remove(target.connection.name, target.tenant, target.database);
      if (removed) {
        log.info(`removed database ${target.database} from the view of ${target.connection.name}`);
        refreshConnection(s, target.connection);
      }
      return removed;
    }),
  ];
}

/** Asks for a database's name and, unless the server says it does not exist, shows it in the tree. */
async function addDatabaseToView(s: CollectionsDeps, log: Logger, added: AddedDatabases, arg: unknown): Promise<string | undefined> {
  const connection = await connectionFor(s, arg, 'Add a database to the view');
  if (!connection) {
    return undefined;
  }
  const client = await s.picker.clientFor(connection);
  const tenant = (await client.scope()).tenant;
  const known = await client.databaseNames({ tenant });
  if (known.listed) {
    void vscode.window.showInformationMessage(
      notificationText(`${connection.name} lists its databases: all ${known.names.length} of tenant ${displayLine(tenant, 80)} are in the Chroma view already.`),
    );
    return undefined;
  }
  const shown = new Set([...known.names, ...added.list(connection.name, tenant)]);
  const name = await inputStep(
    { title: `Add a database to the view of ${connection.name}` },
    {
      prompt: `The name of a database of tenant ${displayLine(tenant, 100)}: this server cannot list them, so the tree shows the ones you name`,
      validate: (v) => {
        if (shown.has(v)) {
          return `"${displayLine(v, 80)}" is in the view already.`;
        }
        try {
          validateScopeName('database', v);
          return undefined;
        } catch (e) {
          return e instanceof Error ? e.message : String(e);
        }
      },
    },
  );
  if (typeof name !== 'string') {
    return undefined;
  }
  if ((await databaseExists(client, tenant, name)) === false) {
    void vscode.window.showWarningMessage(
      notificationText(`Database "${displayLine(name, 80)}" does not exist in tenant ${displayLine(tenant, 80)} on ${connection.name}: check its name, or make it with Create Database….`),
    );
    return undefined;
  }
  await added.add(connection.name, tenant, name);
  log.info(`added database ${name} to the view of ${connection.name}`);
  await refreshAndReveal(s, connection, tenant, name);
  return name;
}

/** The added database a removal is about: the node's, else one the user picks among those added to a connection. */
async function databaseToRemove(
  s: CollectionsDeps,
  added: AddedDatabases,
  arg: unknown,
): Promise<{ connection: ConnectionConfig; tenant: string; database: string } | undefined> {
  const node = nodeOf(arg, 'database');
  if (node) {
    return { connection: connectionOf(node), tenant: node.tenant, database: node.database };
  }
  const connection = await connectionFor(s, arg, 'Remove a database from the view');
  if (!connection) {
    return undefined;
  }
  const tenant = (await (await s.picker.clientFor(connection)).scope()).tenant;
  const names = added.list(connection.name, tenant);
  if (names.length === 0) {
    void vscode.window.showInformationMessage(notificationText(`No database was added to the view of ${connection.name}.`));
    return undefined;
  }
  const items = names.map((d) => ({ label: escapeIcons(displayLine(d, 200)) || ' ', database: d }));
  const pick = await pickStep({ title: 'Remove a database from the view' }, { items, placeholder: `Added to the view of ${connection.name}` });
  if (!pick || typeof pick !== 'object') {
    return undefined;
  }
  return { connection, tenant, database: pick.database };
}
