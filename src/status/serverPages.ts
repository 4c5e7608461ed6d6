/**
 * What the status commands show of a server and ask: Check Server…, the active connection's server info page, the
 * status item's menu and Switch Active Connection…. A chunk of its own (esbuild.mjs CHUNKS), required on the first
 * of them: activation never runs it.
 */
import type { ClientCache } from '../connections/clients';
import type { ConnectionStore } from '../connections/store';
import { probeServer } from '../chroma/probe';
import { serverInfoMarkdown } from './core/serverInfo';

export { checkServer } from './checkServer';
export { statusMenu, switchConnection } from './menus';

/** The server info page of the active connection, as Markdown. */
export async function serverInfo(store: ConnectionStore, clients: ClientCache): Promise<string> {
  const conn = store.active;
  if (!conn) {
    return serverInfoMarkdown(undefined, {});
  }
  const client = await clients.clientFor(conn);
  try {
    const probe = await probeServer(client);
    const identity = await client.identity().catch(() => undefined);
    return serverInfoMarkdown(conn, { probe, identity });
  } catch (error) {
    return serverInfoMarkdown(conn, { error });
  }
}
