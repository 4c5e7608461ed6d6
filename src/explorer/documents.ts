import * as vscode from 'vscode';
import { describeError } from '../chroma';
import type { ClientCache } from '../connections/clients';
import type { ConnectionStore } from '../connections/store';
import { addressToUriParts, formatCollection, formatRecord, RECORD_SCHEME, uriPartsToAddress } from './core/recordView';
import type { RecordAddress } from './core/recordView';
import { codeLine, markdownLine } from '../util/text';

/**
 * Read-only `chroma:` documents: a record (id, document, metadata, embedding summary) or a collection summary (with
 * its schema and indexing status where the server has them).
 * The formatters cut what they show (a 10 MB document shows its first 100,000 characters and a note), so opening
 * one costs the fetch and little more.
 */
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
      return `This is not a Chroma record address: ${codeLine(uri.toString(), 300)}`;
    }
    const conn = this.store.get(a.connection);
    if (!conn) {
      return `# Connection ${codeLine(a.connection, 200)} is gone\n\nIt was removed or renamed. Open the record again from the Chroma view.\n`;
    }
    try {
      const client = await this.clients.clientFor(conn);
      const scope = { tenant: a.tenant, database: a.database };
      const collection = await client.getCollection(a.collectionName, { scope }).catch(() => undefined);
      if (!collection || collection.id !== a.collectionId) {
        const name = codeLine(a.collectionName, 200);
        return `# Collection ${name} is gone\n\nNo collection with id ${codeLine(a.collectionId, 200)} is named ${name} in ${codeLine(a.tenant, 200)}/${codeLine(a.database, 200)} any more. Refresh the Chroma view.\n`;
      }
      if (a.recordId === undefined) {
        const [count, sample, indexing] = await Promise.all([
          client.count(collection),
          client.get(collection, { limit: 20, include: ['documents'] }),
          // only where the server reports one (Chroma Cloud, distributed Chroma); a failure there is shown, not fatal
          client.indexingStatusIfSupported(collection, { timeoutMs: 10_000 }).catch((e: unknown) => ({ error: describeError(e) })),
        ]);
        return formatCollection(collection, count, sample, { indexing });
      }
      const result = await client.get(collection, { ids: [a.recordId], include: ['documents', 'metadatas', 'embeddings', 'uris'] });
      return formatRecord(collection, result, a.recordId);
    } catch (e) {
      return `# Could not load ${codeLine(a.recordId ?? a.collectionId, 200)}\n\n${markdownLine(describeError(e), 1_000)}\n`;
    }
  }

}
