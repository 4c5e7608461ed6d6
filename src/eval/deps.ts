/** What the evaluation layer needs from the rest of the extension, handed over by the composition root. */
import type * as vscode from 'vscode';
import type { ChromaClient } from '../chroma';
import type { ConnectionConfig } from '../connections/core/connectionConfig';
import type { Target } from '../connections/core/target';
import type { EmbeddingService } from '../embedding/service';
import type { InfoDocuments } from '../platform/infoDocuments';
import type { Logger } from '../platform/log';
import type { QuerySpec } from '../query/core/spec';

/** A query shown in the Chroma Results view and its hits, for Add to Evaluation Set…. */
export interface ShownQuery {
  spec: QuerySpec;
  /** The hits' ids and a line of their text, in rank order. */
  hits: Array<{ id: string; text?: string }>;
  /** The hit the command was run on, if any. */
  picked?: string;
}

export interface EvalDeps {
  log: Logger;
  connections: () => readonly ConnectionConfig[];
  onConnectionsChanged: vscode.Event<void>;
  clientFor: (connection: ConnectionConfig) => Promise<ChromaClient>;
  /** The collection's own embedding function (asks for one, and for sending to a host, as everywhere else). */
  embeddings: Pick<EmbeddingService, 'functionFor'>;
  /** The collection a command is about: the tree node it was run on, else one the user picks. */
  target: (arg: unknown, title: string) => Promise<Target | undefined>;
  pages: InfoDocuments;
  workspaceState: vscode.Memento;
  /** The Results view's query a command was run on (a hit), else the one shown first; undefined when none is shown. */
  shownQuery: (arg: unknown) => ShownQuery | undefined;
}
