/**
 * What the database commands share: the connection a command is about (a tree node's, the only one, or one the
 * user picks), and showing a connection's databases anew after one was created, deleted, added or removed.
 */
import * as vscode from 'vscode';
import type { ConnectionConfig } from '../connections/core/connectionConfig';
import { connectionOf } from '../explorer/core/model';
import type { ExplorerNode } from '../explorer/core/model';
import { revealNode } from '../explorer/revealNode';
import { pickStep } from '../platform/quickInput';
import { escapeIcons } from '../util/text';
import type { CollectionsDeps } from './index';

const isNode = (v: unknown): v is ExplorerNode =>
  typeof v === 'object' && v !== null && typeof (v as ExplorerNode).kind === 'string' && typeof (v as ExplorerNode).id === 'string';

/** The connection of a node, else one the user picks (none asked when there is only one). */
export async function connectionFor(s: CollectionsDeps, arg: unknown, title: string): Promise<ConnectionConfig | undefined> {
  if (isNode(arg)) {
    return connectionOf(arg);
  }
  const all = s.store.list();
  if (all.length <= 1) {
    if (all.length === 0) {
      void vscode.window.showInformationMessage('Add a Chroma connection first.');
    }
    return all[0];
  }
  const items = all.map((c) => ({ label: escapeIcons(c.name), description: c.url, connection: c }));
  const pick = await pickStep({ title }, { items, placeholder: 'Which connection?' });
  return pick && typeof pick === 'object' ? pick.connection : undefined;
}

/** Lists the connection's databases anew. */
export function refreshConnection(s: CollectionsDeps, connection: ConnectionConfig): void {
  const node = s.model.roots().find((c) => c.connection.name === connection.name);
  if (node) {
    s.model.refresh(node);
  }
}

/** Lists the connection's databases anew and selects the tree's node of `database`, if it exists. */
export async function refreshAndReveal(s: CollectionsDeps, connection: ConnectionConfig, tenant: string, database: string): Promise<void> {
  refreshConnection(s, connection);
  const node = await s.model.databaseNode(connection.name, tenant, database);
  if (node) {
    await revealNode(s.treeView, s.model, node, { select: true, focus: false });
  }
}
