import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { parseCliCredentials } from './core/cliProfiles';
import { CHROMA_CLOUD_URL, LOCAL_URL } from './core/connectionConfig';
import type { ConnectionConfig } from './core/connectionConfig';
import { Commands } from '../platform/commandIds';
import { registerCommand } from '../platform/registerCommand';
import type { Logger } from '../platform/log';
import { inputStep } from '../platform/quickInput';
import type { ConnectionStore } from './store';
import { connectionWizard } from './wizard';

/** The connection a command is about: the tree node's, the only one, or one the user picks. */
async function resolveConnection(
  store: ConnectionStore,
  nameOf: (arg: unknown) => string | undefined,
  arg: unknown,
  placeHolder: string,
): Promise<ConnectionConfig | undefined> {
  const name = nameOf(arg);
  if (name !== undefined) {
    return store.get(name);
  }
  const all = store.list();
  if (all.length <= 1) {
    if (all.length === 0) {
      void vscode.window.showInformationMessage('There are no Chroma connections yet. Add one first.');
    }
    return all[0];
  }
  const pick = await vscode.window.showQuickPick(
    all.map((c) => ({ label: c.name, description: c.url, conn: c })),
    { placeHolder },
  );
  return pick?.conn;
}

/**
 * Add, edit, rename and remove connections, set their token, import the Chroma CLI's profiles, connect to a local
 * server. `connectionNameOf` names the connection of a tree node a command was run on (from the composition root).
 */
export function registerConnectionCommands(
  log: Logger,
  store: ConnectionStore,
  connectionNameOf: (arg: unknown) => string | undefined,
): vscode.Disposable[] {
  const resolve = (arg: unknown, placeHolder: string) => resolveConnection(store, connectionNameOf, arg, placeHolder);
  return [
    registerCommand(log, Commands.addConnection, async () => {
      const conn = await connectionWizard(store);
      if (conn) {
        log.info(`added "${conn.name}" (${conn.url})`);
      }
      return conn;
    }),
    registerCommand(log, Commands.editConnection, async (arg?: unknown) => {
      const conn = await resolve(arg, 'Which connection to edit?');
      return conn ? connectionWizard(store, conn) : undefined;
    }),
    registerCommand(log, Commands.renameConnection, async (arg?: unknown) => {
      const conn = await resolve(arg, 'Which connection to rename?');
      return conn ? renameConnection(store, conn) : undefined;
    }),
    registerCommand(log, Commands.removeConnection, async (arg?: unknown) => {
      const conn = await resolve(arg, 'Which connection to remove?');
      return conn ? removeConnection(log, store, conn) : false;
    }),
    registerCommand(log, Commands.setToken, async (arg?: unknown) => {
      const conn = await resolve(arg, 'Which connection needs a token?');
      return conn ? setToken(log, store, conn) : false;
    }),
    registerCommand(log, Commands.connectLocalhost, () => connectLocalhost(log, store)),
    registerCommand(log, Commands.importCliProfiles, () => importCliProfiles(log, store)),
  ];
}

/** Asks for a new name; resolves to it, or undefined when cancelled or unchanged. */
async function renameConnection(store: ConnectionStore, conn: ConnectionConfig): Promise<string | undefined> {
  const name = await inputStep(
    { title: `Rename "${conn.name}"` },
    {
      value: conn.name,
      prompt: 'The new name',
      validate: (v) => (!v.trim() ? 'The name cannot be empty.' : v.trim() !== conn.name && store.get(v.trim()) ? 'That name is taken.' : undefined),
    },
  );
  if (typeof name !== 'string' || name.trim() === conn.name) {
    return undefined;
  }
  await store.save({ ...conn, name: name.trim() }, { previousName: conn.name });
  return name.trim();
}

/** Removes the connection and its stored token after a modal confirmation. */
async function removeConnection(log: Logger, store: ConnectionStore, conn: ConnectionConfig): Promise<boolean> {
  const answer = await vscode.window.showWarningMessage(
    `Remove the connection "${conn.name}" (${conn.url})?`,
    { modal: true, detail: 'Its stored token is deleted too. Nothing on the server changes.' },
    'Remove',
  );
  if (answer !== 'Remove') {
    return false;
  }
  await store.remove(conn.name);
  log.info(`removed "${conn.name}"`);
  return true;
}

/** Stores (or, when left empty, clears) the connection's token; with no auth header yet, the edit wizard chooses one. */
async function setToken(log: Logger, store: ConnectionStore, conn: ConnectionConfig): Promise<boolean> {
  if (!conn.authHeader) {
    // The server asked for credentials but the connection sends none: choose how, in the edit wizard.
    return (await connectionWizard(store, conn)) !== undefined;
  }
  const secret = await inputStep(
    { title: `Token for "${conn.name}"` },
    {
      prompt: `${conn.authHeader === 'basic' ? 'user:password' : 'The token'}. It is kept in VS Code's secret storage, never in settings. Empty clears it.`,
      password: true,
    },
  );
  if (typeof secret !== 'string') {
    return false;
  }
  await store.setSecret(conn, secret || undefined);
  log.info(`${secret ? 'stored' : 'cleared'} the token of "${conn.name}"`);
  return true;
}

/** The connection to localhost:8000, added when there is none. */
async function connectLocalhost(log: Logger, store: ConnectionStore): Promise<ConnectionConfig> {
  const existing = store.list().find((c) => new URL(c.url).origin === new URL(LOCAL_URL).origin);
  if (existing) {
    return existing;
  }
  const conn: ConnectionConfig = { name: 'localhost:8000', url: LOCAL_URL };
  await store.save(conn, { secret: null });
  log.info('added localhost:8000');
  return conn;
}

/** Adds a Chroma Cloud connection for each profile of ~/.chroma/credentials not added yet; resolves to how many. */
async function importCliProfiles(log: Logger, store: ConnectionStore): Promise<number> {
  const file = join(homedir(), '.chroma', 'credentials');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    void vscode.window.showInformationMessage(`No Chroma CLI profiles found: ${file} does not exist. Run "chroma login" first.`);
    return 0;
  }
  const { profiles, problems } = await parseCliCredentials(text);
  problems.forEach((p) => log.warn(`${p}`));
  let added = 0;
  for (const p of profiles) {
    const name = `Chroma Cloud (${p.name})`;
    if (store.get(name)) {
      continue;
    }
    await store.save(
      { name, url: CHROMA_CLOUD_URL, authHeader: 'x-chroma-token', ...(p.tenant ? { tenant: p.tenant } : {}) },
      { secret: p.apiKey },
    );
    added++;
  }
  void vscode.window.showInformationMessage(
    added ? `Imported ${added} Chroma CLI profile${added === 1 ? '' : 's'}.` : 'Every Chroma CLI profile is imported already.',
  );
  return added;
}
