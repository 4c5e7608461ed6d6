/** Wiring of the Collection Overview (facts, facets, health, embedding map) into the extension. */
import type * as vscode from 'vscode';
import type { ClientCache } from '../connections/clients';
import type { ConnectionStore } from '../connections/store';
import type { EmbeddingService } from '../embedding/service';
import type { Log } from '../platform/log';
import type { ExplorerModel } from '../explorer/core/model';
import type { Target } from '../pickers/collectionPicker';
import { registerOverviewCommands } from './commands';
import type { OverviewCommands } from './commands';
import type { QueryHighlights } from './mapData';

/**
 * `queries`: where the map finds the last query run on a collection, to highlight its hits and place the query
 * (the composition root hands it over from the query workbench; without it the map shows no query).
 */
/** What the overview needs: the extension's folder (the page's files) and workspace state, connections, clients, embedding functions. */
export interface OverviewDeps {
  log: Log;
  context: Pick<vscode.ExtensionContext, 'extensionUri' | 'workspaceState'>;
  store: ConnectionStore;
  clients: ClientCache;
  embeddings: EmbeddingService;
  /** The tree: a panel opens its collection's records there. */
  model: ExplorerModel;
  /** The collection a command was run on (tree node, record, result hit), or one the user picks. */
  target(arg: unknown, title: string, opts?: { allowNew?: boolean }): Promise<Target | undefined>;
}

export function activate(s: OverviewDeps, queries?: QueryHighlights): OverviewCommands {
  return registerOverviewCommands({ services: s, log: s.log.for('overview'), queries });
}
