import * as vscode from 'vscode';
import { Commands } from '../commands/ids';
import { registerCommand } from '../commands/register';
import { checkDimension } from '../embedding/types';
import type { CollectionNode, ExplorerModel } from '../model/explorer';
import { connectionOf } from '../model/explorer';
import { formatQueryResults } from '../model/recordView';
import type { InfoDocuments } from '../status/infoDocuments';
import { inputStep } from '../ui/quickInput';
import type { Log } from '../ui/log';
import type { EmbeddingService } from './service';

export function registerEmbeddingCommands(log: Log, model: ExplorerModel, embeddings: EmbeddingService, pages: InfoDocuments): vscode.Disposable[] {
  return [
    registerCommand(log, Commands.queryCollection, async (node: CollectionNode, text?: string) => {
      const conn = connectionOf(node);
      const query =
        text ??
        (await inputStep({ title: `Query "${node.collection.name}"` }, { prompt: 'Text to search for (embedded with the collection\'s embedding function)' }));
      if (typeof query !== 'string' || !query.trim()) {
        return undefined;
      }
      const fn = await embeddings.functionFor(conn, node.collection);
      if (!fn) {
        return undefined;
      }
      const client = await model.client(node);
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: `Querying ${node.collection.name}` },
        async () => {
          const [vector] = await fn.embed([query]);
          const fresh = await client.getCollection(node.collection.name, { scope: { tenant: node.collection.tenant, database: node.collection.database } });
          checkDimension([vector], fresh.dimension, fn.name);
          return client.query(fresh, { queryEmbeddings: [vector], nResults: 10, include: ['documents', 'metadatas', 'distances'] });
        },
      );
      const uri = pages.page(`/query/${encodeURIComponent(node.collection.id)}.md`, () => formatQueryResults(node.collection, query, fn.name, result));
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(doc, { preview: true });
      return result;
    }),
    registerCommand(log, Commands.chooseEmbeddingFunction, async (node: CollectionNode) => {
      return embeddings.choose(connectionOf(node), node.collection);
    }),
    registerCommand(log, Commands.downloadDefaultModel, () => embeddings.downloadDefaultModel()),
  ];
}
