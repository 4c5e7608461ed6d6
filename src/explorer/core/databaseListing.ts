/**
 * A connection's databases as tree nodes: the ones the server lists, the connection's own database, and (on
 * servers that cannot list them) the ones the user added to the view. No `vscode` here.
 */
import type { ChromaClient } from '../../chroma/client';
import { isAuthError } from '../../chroma/errors';
import type { Listing } from './listing';
import { databaseId } from './nodes';
import type { ConnectionNode, DatabaseNode, ExplorerNode } from './nodes';
import { CANNOT_LIST_DATABASES, shownDatabaseNames } from './unlistedDatabases';

/** The listing of a connection: every database it shows, all at once. */
export async function listDatabases(
node: ConnectionNode,
client: ChromaClient,
addedDatabases: ((connectionName: string, tenant: string) => readonly string[]) | undefined,
): Promise<Listing<ExplorerNode>> {
  const scope = await client.scope();
  let names: string[];
  let listed = true;
  try {
    // 0.5.18–0.6.2 cannot list databases: the client falls back to the ones it knows of
    const found = await client.databaseNames({ tenant: scope.tenant });
    names = [...found.names];
    listed = found.listed;
  } catch (e) {
    // Keys scoped to one database may not list the tenant's databases: show the one they may use.
    if (isAuthError(e) && node.connection.database) {
      names = [node.connection.database];
    } else {
      throw e;
    }
  }
  const notListed = listed && node.connection.database && !names.includes(node.connection.database) ? node.connection.database : undefined;
  if (node.connection.database && !names.includes(node.connection.database)) {
    names.unshift(node.connection.database);
  }
  const added = listed ? [] : (addedDatabases?.(node.connection.name, scope.tenant) ?? []);
  const known = new Set(names);
  const unlisted = (database: string): DatabaseNode['unlisted'] =>
    database === notListed ? 'connection' : listed ? undefined : known.has(database) ? 'known' : 'added';
  const items: ExplorerNode[] = shownDatabaseNames(names, added).map((database) => ({
    kind: 'database',
    id: databaseId(node.id, scope.tenant, database),
    parent: node,
    tenant: scope.tenant,
    database,
    ...(unlisted(database) ? { unlisted: unlisted(database) } : {}),
  }));
  if (!listed) {
    items.push({ kind: 'message', id: `u:${node.id}`, parent: node, text: CANNOT_LIST_DATABASES, action: 'addDatabase' });
  }
  return { items, pool: [], fetched: items.length, total: items.length, exhausted: true };
}
