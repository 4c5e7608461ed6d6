import * as vscode from 'vscode';
import { describeError } from '../chroma';
import type { ClientCache } from '../connections/clients';
import type { ConnectionStore } from '../connections/store';
import { addressToUriParts, formatCollection, formatRecord, RECORD_SCHEME, uriPartsToAddress } from '../model/recordView';
import type { RecordAddress } from '../model/recordView';

/** Read-only `chroma:` documents: a record (id, document, metadata, embedding summary) or a collection summary. */
export class ChromaDocumentProvider implements vscode.TextDocumentContentProvider {
  constructor(
    private readonly store: ConnectionStore,
    private readonly clients: ClientCache,
  ) {}

  static uri(address: RecordAddress): vscode.Uri {
    return vscode.Uri.from({ scheme: RECORD_SCHEME, ...addressToUriParts(address) });
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const a = uriPartsToAddress(uri.path, uri.query);
    if (!a) {
      return `This is not a Chroma record address: ${uri.toString()}`;
    }
    const conn = this.store.get(a.connection);
    if (!conn) {
      return `# Connection "${a.connection}" is gone\n\nIt was removed or renamed. Open the record again from the Chroma view.\n`;
    }
    try {
      const client = await this.clients.clientFor(conn);
      const scope = { tenant: a.tenant, database: a.database };
      const collection = await client.getCollection(a.collectionName, { scope }).catch(() => undefined);
      if (!collection || collection.id !== a.collectionId) {
        return `# Collection ${a.collectionName} is gone\n\nNo collection with id ${a.collectionId} is named ${a.collectionName} in ${a.tenant}/${a.database} any more. Refresh the Chroma view.\n`;
      }
      if (a.recordId === undefined) {
        const [count, sample] = await Promise.all([
          client.count(collection),
          client.get(collection, { limit: 20, include: ['documents'] }),
        ]);
        return formatCollection(collection, count, sample);
      }
      const result = await client.get(collection, { ids: [a.recordId], include: ['documents', 'metadatas', 'embeddings', 'uris'] });
      return formatRecord(collection, result, a.recordId);
    } catch (e) {
      return `# Could not load ${a.recordId ?? a.collectionId}\n\n${describeError(e)}\n`;
    }
  }

}
