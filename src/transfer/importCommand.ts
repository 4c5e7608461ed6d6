/**
 * Import Records…: a JSONL export into a new collection (made with the file's configuration) or an existing one;
 * or a CSV file, its columns mapped to ids, documents, metadata and embeddings in a wizard. Run on a collection, it
 * imports into that collection; on a database, into a new or existing collection there; from the palette, it asks
 * where. A collection with records gets a modal first (overwrite or skip existing ids).
 */
import { basename } from 'node:path';
import * as vscode from 'vscode';
import type { Collection } from '../chroma/types';
import type { ConnectionConfig } from '../connections/core/connectionConfig';
import { isTargetArg } from '../connections/core/target';
import type { TransferDeps } from './index';
import { formatCount, notificationText } from '../util/text';
import { TransferError } from './core/errors';
import { checkImportDimension, describeImport, importFile, readManifest } from './core/importer';
import type { ImportResult } from './core/importer';
import { databaseNode, filePath, isNode, splitArgs } from './args';
import type { TransferOptions } from './args';
import { importCsv, readCsvHeader } from './core/csv';
import { askCsvMapping, collectionNameFrom } from './csvMapping';
import { chooseDestination, targetFor } from './destination';
import type { Destination } from './destination';
import { withTransferProgress } from './progress';

async function askFile(): Promise<string | undefined> {
  const picked = await vscode.window.showOpenDialog({
    title: 'Import records from a Chroma Explorer export (.jsonl) or a CSV file',
    canSelectMany: false,
    filters: { 'Chroma Explorer export': ['jsonl'], 'CSV': ['csv', 'tsv'] },
    openLabel: 'Import',
  });
  return picked?.[0]?.fsPath;
}

export async function importRecordsCommand(s: TransferDeps, args: unknown[]): Promise<ImportResult | undefined> {
  const { target, options } = splitArgs(args);
  const file = options.file ? filePath(options.file) : await askFile();
  if (!file) {
    return undefined;
  }
  const label = basename(file);
  if (/\.(csv|tsv)$/i.test(file)) {
    return importCsvCommand(s, file, target, options);
  }
  const manifest = await readManifest(file, label);
  const dest = await destinationFor(s, target, options, `Import ${label}`, manifest.collection.name);
  if (!dest) {
    return undefined;
  }
  const { connection, client } = dest;
  let reembed = options.reembed ?? false;
  const placed = await targetFor(dest, { what: `${formatCount(manifest.count)} records from ${label}`, verb: 'Import', given: options.existing }, async (existing) => {
    try {
      checkImportDimension(manifest, existing, reembed, label);
      return true;
    } catch (e) {
      // the file's embeddings do not fit: its documents can still be embedded with the collection's function
      if (!(e instanceof TransferError && e.code === 'dimension') || options.reembed === false) {
        throw e;
      }
      const again = await vscode.window.showWarningMessage(
        e.message,
        { modal: true, detail: `Re-Embed Documents leaves the file's embeddings out and embeds each document with "${existing.name}"'s function; records without a document are skipped.` },
        'Re-Embed Documents',
      );
      reembed = again !== undefined;
      return reembed;
    }
  });
  if (!placed) {
    return undefined;
  }
  const { into, skipExisting } = placed;
  const title = `Importing ${label} into "${dest.name}"`;
  const result = await withTransferProgress(title, (signal, report) =>
    importFile({
      client,
      file,
      fileLabel: label,
      into,
      skipExisting,
      reembed,
      embedderFor: (c: Collection) => s.embeddings.functionFor(connection, c),
      signal,
      onProgress: ({ read, total, counts }) => report(read, total, `records read, ${formatCount(counts.written)} written`),
    }),
  );
  if (!result) {
    return undefined;
  }
  finishReport(s, connection, result, describeImport(result, label));
  return result;
}

function finishReport(s: TransferDeps, connection: ConnectionConfig, result: ImportResult, message: string): void {
  s.log.for('transfer').info(`${connection.name}: ${message}`);
  const c = result.collection;
  if (result.created) {
    s.model.refreshDatabase(connection.name, c.tenant, c.database);
  } else {
    s.model.refreshCollection(connection.name, c);
  }
  if (result.cancelled || result.counts.skippedNoText > 0) {
    void vscode.window.showWarningMessage(notificationText(message));
  } else {
    void vscode.window.showInformationMessage(notificationText(message));
  }
}

/** Where an import goes: the collection it was run on, else one asked for (new ones named `suggested`). */
async function destinationFor(s: TransferDeps, target: unknown, options: TransferOptions, title: string, suggested: string): Promise<Destination | undefined> {
  const onCollection = isTargetArg(target) || (isNode(target) && (target.kind === 'collection' || target.kind === 'record'));
  if (onCollection && !options.to) {
    const t = await s.target(target, title);
    if (!t) {
      return undefined;
    }
    const client = await s.clients.clientFor(t.connection);
    return { connection: t.connection, client, scope: { tenant: t.collection.tenant, database: t.collection.database }, existing: t.collection, name: t.collection.name };
  }
  return chooseDestination(s, title, { to: options.to, database: databaseNode(target), suggested: () => suggested });
}

/** A CSV file: its columns mapped to records (asked, or `options.csv`), into a new collection with Chroma's default function or an existing one. */
async function importCsvCommand(s: TransferDeps, file: string, target: unknown, options: TransferOptions): Promise<ImportResult | undefined> {
  const label = basename(file);
  const { columns } = await readCsvHeader(file, label);
  const mapping = options.csv ?? (await askCsvMapping(columns, label));
  if (!mapping) {
    return undefined;
  }
  const dest = await destinationFor(s, target, options, `Import ${label}`, collectionNameFrom(label));
  if (!dest) {
    return undefined;
  }
  const { connection, client } = dest;
  const placed = await targetFor(dest, { what: `the rows of ${label}`, verb: 'Import', given: options.existing });
  if (!placed) {
    return undefined;
  }
  const { into, skipExisting } = placed;
  const result = await withTransferProgress(`Importing ${label} into "${dest.name}"`, (signal, report) =>
    importCsv({
      client,
      file,
      fileLabel: label,
      into,
      skipExisting,
      mapping,
      // a new collection embeds with Chroma's default function, as New Collection… makes them
      configuration: { embedding_function: { type: 'known', name: 'default', config: {} } },
      idPrefix: label.replace(/\.[^.]*$/, ''),
      embedderFor: (c: Collection) => s.embeddings.functionFor(connection, c),
      signal,
      onProgress: ({ read, counts }) => report(read, 0, `rows read, ${formatCount(counts.written)} written`),
    }),
  );
  if (!result) {
    return undefined;
  }
  finishReport(s, connection, result, describeImport(result, label));
  return result;
}
