/**
 * `chroma:` URIs of records and collections (see core/address.ts), and the one way to open them: openRecord. The
 * tree, the results view and Edit Record all open a record here.
 */
import * as vscode from 'vscode';
import type { Target } from '../connections/core/target';
import { addressToUriParts, RECORD_SCHEME, uriPartsToAddress } from './core/address';
import type { RecordAddress } from './core/address';

export function chromaUri(address: RecordAddress): vscode.Uri {
  return vscode.Uri.from({ scheme: RECORD_SCHEME, ...addressToUriParts(address) });
}

export function addressOf(uri: vscode.Uri): RecordAddress | undefined {
  return uri.scheme === RECORD_SCHEME ? uriPartsToAddress(uri.path, uri.query) : undefined;
}

/** The address of a target's collection (its read-only summary). */
export function collectionAddress(t: Target): RecordAddress {
  const c = t.collection;
  return { connection: t.connection.name, tenant: c.tenant, database: c.database, collectionId: c.id, collectionName: c.name };
}

/** A record's editable file. */
export function recordUri(t: Target, recordId: string): vscode.Uri {
  return chromaUri({ ...collectionAddress(t), recordId });
}

/** Opens a `chroma:` document: a record (with `recordId`) or a collection's summary; `preview` for a preview tab. */
export async function openRecord(at: RecordAddress | vscode.Uri, opts: { preview: boolean }): Promise<vscode.TextEditor> {
  const uri = at instanceof vscode.Uri ? at : chromaUri(at);
  return vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: opts.preview });
}
