/**
 * Edit Record (a record's editable JSON) and Add Record… (a new record's draft, added when saved). From a tree node
 * they act on it; from the palette they ask for the collection (and record).
 */
import * as vscode from 'vscode';
import { describeError } from '../chroma/errors';
import { Commands } from '../platform/commandIds';
import type { Logger } from '../platform/log';
import { registerCommand } from '../platform/registerCommand';
import type { RecordsDeps } from './index';
import type { RecordFiles } from './fileSystem';
import { collectionAddress, openRecord, recordUri } from './uri';

export function registerRecordCommands(s: RecordsDeps, files: RecordFiles): vscode.Disposable[] {
  const log = s.log.for('records');
  return [
    registerCommand(log, Commands.editRecord, async (arg?: unknown) => {
      const r = await s.picker.recordOf(arg, 'Edit a record');
      return r && openRecord(recordUri(r, r.recordId), { preview: false });
    }),
    registerCommand(log, Commands.addRecord, async (arg?: unknown) => {
      const t = await s.target(arg, 'Add a record');
      return t && openRecord(files.newDraft(collectionAddress(t)), { preview: false });
    }),
  ];
}

/**
 * Once a draft is saved (and so added), its tab makes way for the record's own, in the same place: from then on the
 * record is edited under its id.
 */
export function replaceAddedDrafts(files: RecordFiles, log: Logger): vscode.Disposable {
  const pending = new Map<string, vscode.Uri>();
  const tabsOf = (uri: vscode.Uri) =>
    vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === uri.toString());
  const replace = async (draft: vscode.Uri, record: vscode.Uri) => {
    await vscode.window.showTextDocument(record, { preview: false, viewColumn: tabsOf(draft)[0]?.group.viewColumn });
    await vscode.window.tabGroups.close(tabsOf(draft).filter((t) => !t.isDirty));
  };
  return vscode.Disposable.from(
    files.onDidAdd(({ draft, record }) => pending.set(draft.toString(), record)),
    vscode.workspace.onDidSaveTextDocument((doc) => {
      const record = pending.get(doc.uri.toString());
      if (record) {
        pending.delete(doc.uri.toString());
        replace(doc.uri, record).catch((e: unknown) => log.warn(`replacing the added draft's tab: ${describeError(e)}`));
      }
    }),
  );
}
