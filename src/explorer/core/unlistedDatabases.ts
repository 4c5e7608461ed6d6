/**
 * Databases on a server that cannot list them (Chroma 0.5.18–0.6.2 answer 405): the tree shows the ones it knows of
 * (the connection's, the identity's) and those the user added to the view, says that the server cannot list the
 * others, and asks the server whether each shown one exists, since 0.5's listing of a database that does not exist
 * answers an empty list. No `vscode` here.
 */
import type { ChromaClient } from '../../chroma/client';
import { ChromaError, ChromaNotFoundError } from '../../chroma/errors';

/** The message under a connection whose server cannot list databases. */
export const CANNOT_LIST_DATABASES = 'This server cannot list its databases: Add Database to View… to show another';

/** Shown as the listing of a database the server says does not exist; `added`: the user added it to the view. */
export function missingDatabaseText(database: string, tenant: string, added: boolean): string {
  const what = added ? 'remove it from the view' : "check the connection's database";
  return `Database "${database}" does not exist on this server (tenant ${tenant}): ${what}, or create it`;
}

/** The names to show: the known ones, then the added ones not among them. */
export function shownDatabaseNames(known: readonly string[], added: readonly string[]): string[] {
  return [...new Set([...known, ...added])];
}

/** Whether an error says the database (not a collection, nor an endpoint) does not exist. */
export function isMissingDatabase(e: unknown): boolean {
  return e instanceof ChromaNotFoundError && e.serverKind !== undefined && /\bdatabase\b/i.test(e.serverMessage ?? '') && !/\bcollection\b/i.test(e.serverMessage ?? '');
}

/**
 * Whether the server has the database: false when it says it does not, true when it answers with it, undefined when
 * it cannot tell (no such endpoint, or another failure: the listing then speaks for itself).
 */
export async function databaseExists(client: ChromaClient, tenant: string, database: string, signal?: AbortSignal): Promise<boolean | undefined> {
  try {
    await client.getDatabase(database, { tenant, signal });
    return true;
  } catch (e) {
    if (e instanceof ChromaNotFoundError && e.serverKind !== undefined) {
      return false;
    }
    if (e instanceof ChromaError && e.code === 'aborted') {
      throw e;
    }
    return undefined;
  }
}
