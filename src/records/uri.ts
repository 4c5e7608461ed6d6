/** `chroma:` URIs of records and collections (see core/address.ts), for commands that open them. */
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
