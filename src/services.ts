/**
 * What the composition root hands to each feature's wiring function: the extension's shared services, built once
 * in activate(). Features take what they need from here instead of importing each other's internals.
 */
import type * as vscode from 'vscode';
import type { ClientCache } from './connections/clients';
import type { ConnectionStore } from './connections/store';
import type { EmbeddingService } from './embedding/service';
import type { CollectionPicker, Target } from './pickers/collectionPicker';
import type { ExplorerModel, ExplorerNode } from './explorer/core/model';
import type { InfoDocuments } from './platform/infoDocuments';
import type { Log } from './platform/log';

export interface Services {
  context: vscode.ExtensionContext;
  log: Log;
  store: ConnectionStore;
  clients: ClientCache;
  model: ExplorerModel;
  treeView: vscode.TreeView<ExplorerNode>;
  picker: CollectionPicker;
  embeddings: EmbeddingService;
  pages: InfoDocuments;
  /** The collection a command was run on (tree node, record, result hit), or one the user picks. */
  target(arg: unknown, title: string, opts?: { allowNew?: boolean }): Promise<Target | undefined>;
  /** The agents' MCP server started (its port) or stopped: the status bar and VS Code's MCP list follow. */
  mcpChanged(port: number | undefined): void;
}
