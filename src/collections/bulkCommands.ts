/**
 * Bulk record commands: Delete Records and Copy Record Ids on the records selected in the tree, and Delete Records
 * Matching… on a collection (a filter, the count and first ids it matches, one modal, then deletion in batches
 * with progress and cancel, and a report of exactly what was deleted).
 */
import * as vscode from 'vscode';
import type { ChromaClient } from '../chroma/client';
import { isChromaError } from '../chroma/errors';
import type { Logger } from '../platform/log';
import type { Target } from '../pickers/collectionPicker';
import { Commands } from '../platform/commandIds';
import { registerCommand } from '../platform/registerCommand';
import type { CollectionsDeps } from './index';
import { boundedJson, displayLine, escapeIcons, notificationText } from '../util/text';
import { confirmModal, nodeOf, nodesOf, plural } from '../explorer/commandArgs';
import { countMatches, deleteMatching, isEmptyMatchFilter } from './core/deleteMatching';
import type { DeleteOutcome, MatchFilter } from './core/deleteMatching';
import type { Filter } from '../filter/core/filter';
import { askFilter } from '../filter/input';
import { deleteRecordNodes } from './recordDeletion';
import type { RecordDeletion } from './recordDeletion';
import { withCancel } from '../platform/progress';

/** What Delete Records Matching… did: undefined counts when the user stopped before deleting. */
export interface MatchingDeletion extends DeleteOutcome {
  matched: number;
}

function filterLine(filter: MatchFilter): string {
  const parts: Record<string, unknown> = {};
  if (filter.where && Object.keys(filter.where).length) {
    parts.where = filter.where;
  }
  if (filter.whereDocument && Object.keys(filter.whereDocument).length) {
    parts.where_document = filter.whereDocument;
  }
  return displayLine(boundedJson(parts, 400, 0).text, 300);
}

const isAborted = (e: unknown, signal: AbortSignal) => signal.aborted && isChromaError(e) && e.code === 'aborted';

export function registerBulkCommands(s: CollectionsDeps): vscode.Disposable[] {
  const log = s.log.for('bulk');
  const deps = { model: s.model, picker: s.picker, log };
  return [
    registerCommand(log, Commands.deleteRecords, async (clicked?: unknown, selected?: unknown): Promise<RecordDeletion | undefined> => {
      const records = nodesOf(clicked, selected, 'record', s.treeView.selection);
      if (records.length > 0) {
        return deleteRecordNodes(records, deps);
      }
      // From the palette with no record selected: the same as Delete Record… on a picked record.
      return (await vscode.commands.executeCommand<boolean>(Commands.deleteRecord, clicked)) ? { deleted: 1, left: 0 } : undefined;
    }),
    registerCommand(log, Commands.copyRecordIds, async (clicked?: unknown, selected?: unknown): Promise<string | undefined> => {
      const records = nodesOf(clicked, selected, 'record', s.treeView.selection);
      if (records.length === 0) {
        void vscode.window.showInformationMessage('Select one or more records in the Chroma tree, then run Copy Record Ids.');
        return undefined;
      }
      const ids = [...new Set(records.map((r) => r.recordId))];
      const text = ids.join('\n');
      await vscode.env.clipboard.writeText(text);
      vscode.window.setStatusBarMessage(ids.length === 1 ? `Copied record id ${escapeIcons(displayLine(ids[0], 80))}` : `Copied ${plural(ids.length, 'record id')}`, 3000);
      return text;
    }),
    registerCommand(log, Commands.deleteRecordsMatching, (arg?: unknown, given?: Filter) => deleteRecordsMatching(s, log, arg, given)),
  ];
}

/** One Delete Records Matching… run: its collection and where it is, the client, the filter. */
interface MatchingRun {
  t: Target;
  /** The collection's name as the messages show it, quoted. */
  name: string;
  client: ChromaClient;
  filter: Filter;
}

/** Delete Records Matching…: a filter, the count and first ids it matches, one modal, then deletion in batches. */
async function deleteRecordsMatching(s: CollectionsDeps, log: Logger, arg: unknown, given: Filter | undefined): Promise<MatchingDeletion | undefined> {
  const node = nodeOf(arg, 'collection');
  const t = await s.target(arg, 'Delete records matching a filter');
  if (!t) {
    return undefined;
  }
  const name = `"${displayLine(t.collection.name, 80)}"`;
  const client = await s.picker.clientFor(t.connection);
  const filter = given ?? (await askFilter(client, t.collection, node?.filter));
  if (!filter) {
    return undefined;
  }
  if (isEmptyMatchFilter(filter)) {
    void vscode.window.showInformationMessage(
      notificationText(`No filter was given, so nothing was deleted. To delete every record of ${name}, delete the collection.`),
    );
    return undefined;
  }
  const run: MatchingRun = { t, name, client, filter };
  const counted = await countMatching(run);
  if (!counted) {
    return undefined;
  }
  if (counted.count === 0) {
    void vscode.window.showInformationMessage(notificationText(`No record of ${name} matches the filter: nothing was deleted.`));
    return { matched: 0, deleted: 0, cancelled: false, moreRemain: false };
  }
  if (!(await confirmMatching(run, counted))) {
    return undefined;
  }
  const total = counted.count;
  const outcome = await deleteCounted(s, run, total);
  const c = t.collection;
  log.info(`deleted ${outcome.deleted} of ${total} matching record(s) of ${c.database}/${c.name}${outcome.cancelled ? ' (cancelled)' : ''}`);
  const done = `${plural(outcome.deleted, 'record')} of ${name} that matched the filter`;
  const text = outcome.cancelled
    ? `Cancelled: deleted ${done}; the other ${(total - outcome.deleted).toLocaleString('en-US')} are still there.`
    : outcome.moreRemain
      ? `Deleted ${done}. More records match now (added since they were counted): run it again to delete them.`
      : `Deleted ${done}.`;
  void vscode.window.showInformationMessage(notificationText(text));
  return { matched: total, ...outcome };
}

/** Counts the records that match, with progress; undefined when the user cancelled. */
function countMatching({ name, client, t, filter }: MatchingRun): Promise<{ count: number; firstIds: string[] } | undefined> {
  return withCancel(`Counting the records of ${name} that match`, async (report, signal) => {
    try {
      return await countMatches(client, t.collection, filter, { signal, onProgress: (n) => report(`${n.toLocaleString('en-US')} so far`) });
    } catch (e) {
      if (isAborted(e, signal)) {
        return undefined;
      }
      throw e;
    }
  });
}

/** The one modal: how many, the filter, the first ids, where. */
function confirmMatching({ name, t, filter }: MatchingRun, counted: { count: number; firstIds: string[] }): Promise<boolean> {
  const c = t.collection;
  const more = counted.count > counted.firstIds.length ? ', …' : '';
  return confirmModal(
    `Delete ${plural(counted.count, 'record')} of ${name} that match the filter?`,
    `Filter: ${filterLine(filter)}\n` +
      `First ids: ${counted.firstIds.map((id) => `"${displayLine(id, 60)}"`).join(', ')}${more}\n` +
      `They are deleted from ${displayLine(c.tenant, 60)}/${displayLine(c.database, 60)} on ${t.connection.name}, in batches; Cancel stops after the batch in flight. This cannot be undone.`,
    'Delete',
  );
}

/** Deletes in batches with progress and cancel; on a failure, says first how many were deleted before it. */
async function deleteCounted(s: CollectionsDeps, { name, client, t, filter }: MatchingRun, total: number): Promise<DeleteOutcome> {
  let soFar = 0;
  try {
    return await withCancel(`Deleting ${plural(total, 'record')} of ${name}`, (report, signal) =>
      deleteMatching(client, t.collection, filter, total, {
        signal,
        onProgress: (n) => {
          report(`${n.toLocaleString('en-US')} of ${total.toLocaleString('en-US')}`, ((n - soFar) / total) * 100);
          soFar = n;
        },
      }),
    );
  } catch (e) {
    if (soFar > 0) {
      void vscode.window.showWarningMessage(notificationText(`${plural(soFar, 'record')} of ${name} were deleted before the failure below.`));
    }
    throw e;
  } finally {
    s.model.refreshCollection(t.connection.name, t.collection);
  }
}
