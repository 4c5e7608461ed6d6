/**
 * Deleting the records selected in the tree: one modal that says how many and names the first ids (and their
 * collections), then deletes by id, a batch at a time (with progress and cancel when there are many), and says
 * exactly how many were deleted. Each collection that lost records is refreshed.
 */
import * as vscode from 'vscode';
import type { ChromaClient } from '../chroma/client';
import type { Logger } from '../platform/log';
import { displayLine, escapeIcons, notificationText } from '../util/text';
import { confirmModal, plural } from '../explorer/commandArgs';
import type { CollectionPicker } from '../pickers/collectionPicker';
import { connectionOf } from '../explorer/core/model';
import type { CollectionNode, ExplorerModel, RecordNode } from '../explorer/core/model';
import { withCancel } from '../platform/progress';

/** Ids named in the dialog. */
const NAMED_IDS = 5;
/** Ids per delete request (within Chroma Cloud's 300 per write). */
const DELETE_BATCH = 300;

export interface RecordDeletion {
  deleted: number;
  /** Records left because the user cancelled. */
  left: number;
}

interface Group {
  node: CollectionNode;
  ids: string[];
}

function groupsOf(records: readonly RecordNode[]): Group[] {
  const byCollection = new Map<CollectionNode, Set<string>>();
  for (const r of records) {
    const ids = byCollection.get(r.parent) ?? new Set<string>();
    ids.add(r.recordId);
    byCollection.set(r.parent, ids);
  }
  return [...byCollection].map(([node, ids]) => ({ node, ids: [...ids] }));
}

const quoteId = (id: string) => `"${displayLine(id, 80)}"`;

function dialog(groups: readonly Group[], total: number): { message: string; detail: string } {
  const first = groups[0];
  const name = (g: Group) => `"${displayLine(g.node.collection.name, 80)}"`;
  const message = total === 1 ? `Delete the record ${quoteId(first.ids[0])}?` : `Delete ${plural(total, 'record')}?`;
  const lines = groups.map((g) => {
    const named = g.ids.slice(0, NAMED_IDS).map(quoteId).join(', ');
    const more = g.ids.length > NAMED_IDS ? ` and ${plural(g.ids.length - NAMED_IDS, 'more', 'more')}` : '';
    return `From ${name(g)} on ${displayLine(connectionOf(g.node).name, 60)} (${plural(g.ids.length, 'record')}): ${named}${more}.`;
  });
  return { message, detail: `${lines.join('\n')}\nThey are deleted on the server. This cannot be undone.` };
}

async function deleteIds(client: ChromaClient, group: Group, signal: AbortSignal | undefined, onBatch: (n: number) => void): Promise<number> {
  let deleted = 0;
  for (let i = 0; i < group.ids.length; i += DELETE_BATCH) {
    if (signal?.aborted) {
      break;
    }
    const ids = group.ids.slice(i, i + DELETE_BATCH);
    // no signal on the request: a batch sent is seen through, so the count is what was deleted
    await client.delete(group.node.collection, { ids });
    deleted += ids.length;
    onBatch(ids.length);
  }
  return deleted;
}

/** Deletes `records` after one confirmation; undefined when the user said no. */
export async function deleteRecordNodes(
  records: readonly RecordNode[],
  deps: { model: ExplorerModel; picker: CollectionPicker; log: Logger },
): Promise<RecordDeletion | undefined> {
  const groups = groupsOf(records);
  const total = groups.reduce((n, g) => n + g.ids.length, 0);
  if (total === 0) {
    return { deleted: 0, left: 0 };
  }
  const { message, detail } = dialog(groups, total);
  if (!(await confirmModal(message, detail, 'Delete'))) {
    return undefined;
  }
  const run = async (signal?: AbortSignal, report?: (n: number) => void): Promise<number> => {
    let deleted = 0;
    try {
      for (const g of groups) {
        const client = await deps.picker.clientFor(connectionOf(g.node));
        const n = await deleteIds(client, g, signal, (k) => report?.(k));
        deleted += n;
        deps.log.info(`deleted ${n} record(s) of ${g.node.collection.database}/${g.node.collection.name}`);
      }
    } catch (e) {
      if (deleted > 0) {
        void vscode.window.showWarningMessage(notificationText(`${plural(deleted, 'record')} of ${total} were deleted before the failure below.`));
      }
      throw e;
    } finally {
      groups.forEach((g) => deps.model.refresh(g.node));
    }
    return deleted;
  };
  let deleted: number;
  if (total <= DELETE_BATCH) {
    deleted = await run();
  } else {
    let done = 0;
    deleted = await withCancel(`Deleting ${plural(total, 'record')}`, (report, signal) =>
      run(signal, (n) => {
        done += n;
        report(`${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')}`, (n / total) * 100);
      }),
    );
  }
  const left = total - deleted;
  const where = groups.length === 1 ? ` from "${displayLine(groups[0].node.collection.name, 80)}"` : '';
  if (left > 0) {
    void vscode.window.showInformationMessage(notificationText(`Cancelled: deleted ${plural(deleted, 'record')}${where}; the other ${left.toLocaleString('en-US')} are still there.`));
  } else {
    vscode.window.setStatusBarMessage(escapeIcons(`Deleted ${plural(deleted, 'record')}${where}`), 4000);
  }
  return { deleted, left };
}
