import * as vscode from 'vscode';
import { Commands } from '../platform/commandIds';
import { registerCommand } from '../platform/registerCommand';
import type { ExplorerModel, ExplorerNode, LoadMoreNode } from './core/model';
import { displayLine, escapeIcons } from '../util/text';
import type { Logger } from '../platform/log';
import type { CollectionPicker } from '../pickers/collectionPicker';
import { EXPLORER_VIEW_ID } from '../platform/viewIds';
import { collectionAddress, openRecord, recordUri } from '../records/uri';

/**
 * Browsing commands. Those about a collection or a record act on the tree node they were run on, or, from the
 * palette, on what the user picks (connection → database → collection → record). `picker` makes the pickers on
 * the first command that asks (their code is a chunk of its own: esbuild.mjs).
 */
export function registerExplorerCommands(log: Logger, model: ExplorerModel, picker: () => CollectionPicker): vscode.Disposable[] {
  return [
    registerCommand(log, Commands.refreshExplorer, () => model.refresh()),
    registerCommand(log, Commands.refreshNode, (node?: ExplorerNode) => model.refresh(node)),
    registerCommand(log, Commands.loadMore, (node: LoadMoreNode) =>
      vscode.window.withProgress({ location: { viewId: EXPLORER_VIEW_ID } }, () => model.loadMore(node)),
    ),
    registerCommand(log, Commands.openRecord, async (arg?: unknown, preview: boolean = true) => {
      const r = await picker().recordOf(arg, 'Open a record');
      return r && openRecord(recordUri(r, r.recordId), { preview });
    }),
    registerCommand(log, Commands.openInEditor, async (arg?: unknown) => {
      if ((arg as ExplorerNode | undefined)?.kind === 'record') {
        const r = await picker().recordOf(arg, 'Open a record');
        return r && openRecord(recordUri(r, r.recordId), { preview: false });
      }
      // A collection node, or (without a node) a picked collection: its summary.
      const t = await picker().targetOf(arg, 'Open a collection summary');
      return t && openRecord(collectionAddress(t), { preview: false });
    }),
    registerCommand(log, Commands.copyRecordId, async (arg?: unknown) => {
      const r = await picker().recordOf(arg, 'Copy a record id');
      if (!r) {
        return undefined;
      }
      await vscode.env.clipboard.writeText(r.recordId);
      vscode.window.setStatusBarMessage(`Copied record id ${escapeIcons(displayLine(r.recordId, 80))}`, 3000);
      return r.recordId;
    }),
    registerCommand(log, Commands.copyCollectionId, async (arg?: unknown) => {
      const t = await picker().targetOf(arg, 'Copy a collection id');
      if (!t) {
        return undefined;
      }
      await vscode.env.clipboard.writeText(t.collection.id);
      vscode.window.setStatusBarMessage(`Copied collection id ${escapeIcons(displayLine(t.collection.id, 80))}`, 3000);
      return t.collection.id;
    }),
  ];
}
