import * as vscode from 'vscode';
import type { ClientCache } from '../connections/clients';
import type { Target } from '../connections/core/target';
import { checkDimension } from '../embedding/core/types';
import type { EmbeddingService } from '../embedding/service';
import { Commands } from '../platform/commandIds';
import type { InfoDocuments } from '../platform/infoDocuments';
import type { Logger } from '../platform/log';
import { inputStep } from '../platform/quickInput';
import { registerCommand } from '../platform/registerCommand';
import { formatQueryResults } from './core/results';

export interface QueryDeps {
  clients: ClientCache;
  embeddings: EmbeddingService;
  pages: InfoDocuments;
  /** The collection a command is about: the tree node it was run on, else one the user picks. */
  target: (arg: unknown, title: string) => Promise<Target | undefined>;
}

/** Query Collection…: text embedded with the collection's own function, the nearest records as a page. */
export function registerQueryCommands(log: Logger, deps: QueryDeps): vscode.Disposable[] {
  return [
    registerCommand(log, Commands.queryCollection, async (arg?: unknown, text?: string) => {
      const t = await deps.target(arg, 'Query a collection');
      if (!t) {
        return undefined;
      }
      const { connection, collection } = t;
      const query =
        text ??
        (await inputStep({ title: `Query "${collection.name}"` }, { prompt: "Text to search for (embedded with the collection's embedding function)" }));
      if (typeof query !== 'string' || !query.trim()) {
        return undefined;
      }
      const fn = await deps.embeddings.functionFor(connection, collection);
      if (!fn) {
        return undefined;
      }
      const client = await deps.clients.clientFor(connection);
      const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Querying ${collection.name}` }, async () => {
        const [vector] = await fn.embed([query]);
        const fresh = await client.getCollection(collection.name, { scope: { tenant: collection.tenant, database: collection.database } });
        checkDimension([vector], fresh.dimension, fn.name);
        return client.query(fresh, { queryEmbeddings: [vector], nResults: 10, include: ['documents', 'metadatas', 'distances'] });
      });
      const uri = deps.pages.page(`/query/${encodeURIComponent(collection.id)}.md`, () => formatQueryResults(collection, query, fn.name, result));
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(doc, { preview: true });
      return result;
    }),
  ];
}
