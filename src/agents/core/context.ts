/**
 * What the agent tools need from their host, as a narrow interface: the VS Code layer implements it over the
 * connection store, the client cache, the embedding service (never prompting), the workspace and the Results view;
 * the plain-mocha tests implement it over a real Chroma server and a folder on disk. No `vscode` here.
 */
import type { ChromaClient } from '../../chroma/client';
import type { Collection } from '../../chroma/types';
import type { EmbeddingFunction } from '../../embedding/core/types';
import { displayLine } from '../../util/text';
import type { HitStatus, IngestDocument, QueryRun, SourceLink } from './shared';

/** A client for one connection and database, with the names an answer or a confirmation shows. */
export interface ConnectionHandle {
  client: ChromaClient;
  /** The connection's name, as the person named it (`local`). */
  connection: string;
  tenant: string;
  database: string;
}

/**
 * Why a tool could not do what it was asked, as one line for the model. The `needs-*` kinds are things only the
 * person can do in VS Code (the message says what); a tool never prompts for them.
 */
export type AgentErrorKind =
  | 'bad-input'
  | 'not-found'
  | 'needs-approval'
  | 'needs-choice'
  | 'needs-key'
  | 'needs-model'
  | 'unsupported'
  | 'writes-off'
  | 'declined'
  | 'cancelled'
  | 'failed';

export class AgentError extends Error {
  constructor(
    readonly kind: AgentErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'AgentError';
  }
}

/** The error `clientFor` throws for a name that is not a connection: names the ones there are. */
export function unknownConnection(name: string, known: readonly string[]): AgentError {
  const list = known.length ? `known: ${known.slice(0, 20).map((n) => JSON.stringify(displayLine(n, 60))).join(', ')}${known.length > 20 ? ', …' : ''}` : 'none is set up';
  return new AgentError('not-found', `No connection named ${JSON.stringify(displayLine(name, 60))} (${list}): leave "connection" out to use the active one.`);
}

/** Where a hit's file is in the workspace and whether its lines still hold the chunk. */
export interface SourceCheck {
  /** Workspace-relative path of the file found; undefined when none was. */
  path?: string;
  status: HitStatus;
}

/** Files found for paths and globs, workspace-relative, and what was left out (with why). */
export interface FoundFiles {
  files: string[];
  skipped: string[];
}

export interface ToolContext {
  /**
   * The client for a connection (by name; undefined: the active one) and database (undefined: the connection's).
   * Throws an AgentError of kind `not-found` for an unknown name (see `unknownConnection`).
   */
  clientFor(connection: string | undefined, database: string | undefined, signal: AbortSignal): Promise<ConnectionHandle>;
  /**
   * The collection's own embedding function, resolved WITHOUT prompting: no key approval, no key input, no host
   * approval, no choice of function, no model download dialog. Where one of those is needed it throws an
   * EmbeddingError (codes `not-allowed`, `missing-key`, `needs-choice`, `model-download`) or an AgentError of a
   * `needs-*` kind; `toolProblem` turns either into a line that tells the person what to do in VS Code. In the
   * editor: EmbeddingApprovals whose ask answers false (`refuseToAsk`), SavedKeys whose ask answers undefined, the
   * remembered choice only, and the cached model only.
   */
  embeddingFunction(at: ConnectionHandle, collection: Collection, signal: AbortSignal): Promise<EmbeddingFunction>;
  /** For search_workspace: each link's file in the workspace and its freshness, as the Results view marks them. */
  checkSources(items: readonly { link: SourceLink; document: string | null }[], signal: AbortSignal): Promise<SourceCheck[]>;
  /**
   * For add_workspace_files: workspace files matching workspace-relative paths and globs, walked as Add Files to
   * Collection… walks folders (chroma.ingest.include, files.exclude, .gitignore). Sorted, without duplicates.
   */
  findWorkspaceFiles(patterns: readonly string[], signal: AbortSignal): Promise<FoundFiles>;
  /** Reads found files as Add Files to Collection… does (size and binary checks, per-folder chunk settings). */
  readWorkspaceFiles(files: readonly string[], signal: AbortSignal): Promise<{ docs: IngestDocument[]; skipped: string[] }>;
  /** Puts a query's hits in the Chroma Results view (without taking the focus from the editor). */
  showResults(run: QueryRun, signal: AbortSignal): Promise<void>;
}
