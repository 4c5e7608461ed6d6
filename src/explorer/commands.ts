import * as vscode from 'vscode';
import { Commands } from '../platform/commandIds';
import { registerCommand } from '../platform/registerCommand';
import type { CollectionNode, ExplorerModel, ExplorerNode, LoadMoreNode, RecordNode } from './core/model';
import { connectionOf } from './core/model';
import { displayLine, escapeIcons } from '../util/text';
import type { Logger } from '../platform/log';
import { EXPLORER_VIEW_ID } from './contextValues';
import { ChromaDocumentProvider } from './documents';

function collectionAddress(node: CollectionNode) {
  const c = node.collection;
  return { connection: connectionOf(node).name, tenant: c.tenant, database: c.database, collectionId: c.id, collectionName: c.name };
}

export function registerExplorerCommands(log: Logger, model: ExplorerModel): vscode.Disposable[] {
  return [
    registerCommand(log, Commands.refreshExplorer, () => model.refresh()),
    registerCommand(log, Commands.refreshNode, (node?: ExplorerNode) => model.refresh(node)),
    registerCommand(log, Commands.loadMore, (node: LoadMoreNode) =>
      vscode.window.withProgress({ location: { viewId: EXPLORER_VIEW_ID } }, () => model.loadMore(node)),
    ),
    registerCommand(log, Commands.openRecord, async (node: RecordNode, preview: boolean = true) => {
      const uri = ChromaDocumentProvider.uri({ ...collectionAddress(node.parent), recordId: node.recordId });
      const doc = await vscode.workspace.openTextDocument(uri);
      return vscode.window.showTextDocument(doc, { preview });
    }),
    registerCommand(log, Commands.openInEditor, async (node: RecordNode | CollectionNode) => {
      const uri =
        node.kind === 'record'
          ? ChromaDocumentProvider.uri({ ...collectionAddress(node.parent), recordId: node.recordId })
          : ChromaDocumentProvider.uri(collectionAddress(node));
      const doc = await vscode.workspace.openTextDocument(uri);
      return vscode.window.showTextDocument(doc, { preview: false });
    }),
    registerCommand(log, Commands.copyRecordId, async (node: RecordNode) => {
      await vscode.env.clipboard.writeText(node.recordId);
      vscode.window.setStatusBarMessage(`Copied record id ${escapeIcons(displayLine(node.recordId, 80))}`, 3000);
    }),
    registerCommand(log, Commands.copyCollectionId, async (node: CollectionNode) => {
      await vscode.env.clipboard.writeText(node.collection.id);
      vscode.window.setStatusBarMessage(`Copied collection id ${escapeIcons(displayLine(node.collection.id, 80))}`, 3000);
    }),
  ];
}
