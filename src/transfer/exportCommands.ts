/**
 * Export Collection… and Export Records… (the selected records, or a filter's matches): a save dialog, a question
 * when the file holds a partial export of the same records (resume or start over), then the export with progress
 * and Cancel, and a report of what is in the file.
 */
import { basename } from 'node:path';
import * as vscode from 'vscode';
import type { ChromaClient } from '../chroma/client';
import type { Collection } from '../chroma/types';
import type { Target } from '../connections/core/target';
import { connectionOf } from '../explorer/core/model';
import { askFilter } from '../filter/input';
import { setting } from '../platform/settings';
import type { TransferDeps } from './index';
import { formatCount, notificationText } from '../util/text';
import { describeExport, exportCollection, inspectExport } from './core/exporter';
import type { ExportResult } from './core/exporter';
import { describeSelection, encodingFor } from './core/format';
import type { Selection } from './core/format';
import { filePath, isNode, oneCollection, selectedRecords, splitArgs } from './args';
import type { TransferOptions } from './args';
import { withTransferProgress } from './progress';

/** A file name made of the collection's name (which has only [a-zA-Z0-9._-]). */
function defaultUri(name: string, suffix: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(process.env.HOME ?? process.cwd());
  return vscode.Uri.joinPath(folder, `${name}${suffix}.jsonl`);
}

async function askFile(collection: Collection, selection: Selection | undefined): Promise<string | undefined> {
  const uri = await vscode.window.showSaveDialog({
    title: `Export ${describeSelection(selection)} of "${collection.name}"`,
    defaultUri: defaultUri(collection.name, selection ? '-part' : ''),
    filters: { 'JSON Lines': ['jsonl'] },
    saveLabel: 'Export',
  });
  return uri?.fsPath;
}

/**
 * Whether to append to a partial export already in `file`: asked in a modal (Start Over replaces the file, which is
 * what is lost); undefined when the user cancels.
 */
async function askResume(file: string, client: ChromaClient, collection: Collection, selection: Selection | undefined, given: boolean | undefined): Promise<boolean | undefined> {
  const partial = await inspectExport(file, client, collection, selection);
  if (!partial?.sameExport || partial.records === 0) {
    return false;
  }
  if (given !== undefined) {
    return given;
  }
  const when = partial.manifest.exportedAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
  const answer = await vscode.window.showWarningMessage(
    `${basename(file)} already holds ${formatCount(partial.records)} of ${formatCount(partial.manifest.count)} records of "${collection.name}" from an export started ${when}.`,
    {
      modal: true,
      detail:
        'Resume appends the rest, after checking that the collection has not changed since. ' +
        `Start Over replaces the file: the ${formatCount(partial.records)} records in it are lost from the file (not from Chroma).`,
    },
    'Resume',
    'Start Over',
  );
  return answer === undefined ? undefined : answer === 'Resume';
}

async function runExport(s: TransferDeps, t: Target, selection: Selection | undefined, options: TransferOptions): Promise<ExportResult | undefined> {
  const client = await s.clients.clientFor(t.connection);
  const file = options.file ? filePath(options.file) : await askFile(t.collection, selection);
  if (!file) {
    return undefined;
  }
  const resume = await askResume(file, client, t.collection, selection, options.resume);
  if (resume === undefined) {
    return undefined;
  }
  const label = basename(file);
  const name = t.collection.name;
  const result = await withTransferProgress(`Exporting "${name}" to ${label}`, (signal, report) =>
    exportCollection({
      client,
      collection: t.collection,
      file,
      fileLabel: label,
      selection,
      embeddingEncoding: encodingFor(setting('chroma.transfer.embeddingFormat') ?? 'base64'),
      resume,
      signal,
      onProgress: ({ written, total }) => report(written, total, 'records written'),
    }),
  );
  if (!result) {
    return undefined;
  }
  const message = describeExport(result, name, label);
  s.log.for('transfer').info(`${t.connection.name}: ${message} (${file})`);
  if (result.cancelled || result.changedDuring) {
    void vscode.window.showWarningMessage(notificationText(message));
  } else {
    void vscode.window.showInformationMessage(notificationText(message));
  }
  return result;
}

/** Export Collection…: the whole collection. */
export async function exportCollectionCommand(s: TransferDeps, args: unknown[]): Promise<ExportResult | undefined> {
  const { target, options } = splitArgs(args);
  const t = await s.target(target, 'Export a collection');
  return t ? runExport(s, t, undefined, options) : undefined;
}

/** Export Records…: the records selected in the tree, else a filter's matches (asked, with the node's filter first). */
export async function exportRecordsCommand(s: TransferDeps, args: unknown[]): Promise<ExportResult | undefined> {
  const { target, selected, options } = splitArgs(args);
  const records = selectedRecords(target, selected);
  if (records.length > 0) {
    const node = oneCollection(records);
    const t: Target = { connection: connectionOf(node), collection: node.collection };
    return runExport(s, t, options.selection ?? { ids: records.map((r) => r.recordId) }, options);
  }
  const t = await s.target(target, 'Export records of a collection');
  if (!t) {
    return undefined;
  }
  let selection = options.selection;
  if (!selection) {
    const initial = isNode(target) && target.kind === 'collection' ? target.filter : undefined;
    const filter = await askFilter(await s.clients.clientFor(t.connection), t.collection, initial);
    if (!filter) {
      return undefined;
    }
    selection = { where: filter.where, whereDocument: filter.whereDocument };
  }
  return runExport(s, t, selection, options);
}
