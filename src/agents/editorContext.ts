/**
 * The agent tools' ToolContext over the running extension: the saved connections and their clients (tokens from
 * SecretStorage), the embedding service without prompts (approvals and keys the person already gave, the cached
 * model), the Results view's source-file checks, Add Files to Collection…'s way of finding and reading files, and
 * the Results view itself. Nothing here asks the person anything.
 */
import * as vscode from 'vscode';
import type { ChromaClient } from '../chroma';
import type { Collection } from '../chroma/types';
import type { ConnectionConfig } from '../connections/core/connectionConfig';
import type { EmbeddingFunction } from '../embedding/core/types';
import { filesUnder, gitignoredIn, readFileDocs, relativePath } from '../ingest/files';
import type { Freshness, SourceLink } from '../query/core/sourceLink';
import { displayLine } from '../util/text';
import { AgentError, unknownConnection } from './core/context';
import type { ConnectionHandle, FoundFiles, SourceCheck, ToolContext } from './core/context';
import type { IngestDocument, QueryRun } from './core/shared';

/** What the tools need from the rest of the extension. */
export interface EditorContextDeps {
  connections: () => ConnectionConfig[];
  active: () => ConnectionConfig | undefined;
  clientFor: (c: ConnectionConfig) => Promise<ChromaClient>;
  /** The collection's function without prompting (EmbeddingService.silentFunctionFor). */
  embeddingFunction: (c: ConnectionConfig, collection: Collection) => EmbeddingFunction;
  /** The Results view's source check: the file a link names and whether its lines still hold the chunk. */
  checkSource: (link: SourceLink, document: string | null) => Promise<{ uri?: vscode.Uri; freshness?: Freshness }>;
  /** Shows a query's hits in the Results view. */
  showRun: (run: QueryRun) => Promise<void>;
}

const GLOB = /[*?{}[\]]/;

export class EditorToolContext implements ToolContext {
  /** Workspace-relative path → file, from the last search (readWorkspaceFiles reads what findWorkspaceFiles found). */
  private readonly found = new Map<string, vscode.Uri>();

  constructor(private readonly deps: EditorContextDeps) {}

  private connection(name: string | undefined): ConnectionConfig {
    const all = this.deps.connections();
    if (name === undefined) {
      const conn = this.deps.active() ?? all[0];
      if (!conn) {
        throw new AgentError('not-found', 'No Chroma connection is set up: ask the person to add one in the Chroma view of VS Code (Chroma: Add Connection…).');
      }
      return conn;
    }
    const conn = all.find((c) => c.name === name);
    if (!conn) {
      throw unknownConnection(name, all.map((c) => c.name));
    }
    return conn;
  }

  async clientFor(connection: string | undefined, database: string | undefined, signal: AbortSignal): Promise<ConnectionHandle> {
    const conn = this.connection(connection);
    const client = await this.deps.clientFor(conn);
    const scope = await client.scope({ signal });
    return { client, connection: conn.name, tenant: scope.tenant, database: database ?? scope.database };
  }

  embeddingFunction(at: ConnectionHandle, collection: Collection): Promise<EmbeddingFunction> {
    return Promise.resolve().then(() => this.deps.embeddingFunction(this.connection(at.connection), collection));
  }

  async checkSources(items: readonly { link: SourceLink; document: string | null }[], signal: AbortSignal): Promise<SourceCheck[]> {
    const out: SourceCheck[] = [];
    for (const { link, document } of items) {
      if (signal.aborted) {
        break;
      }
      const { uri, freshness } = await this.deps.checkSource(link, document);
      if (!uri) {
        out.push({ status: { state: 'missing', reason: `${displayLine(link.source ?? link.uri, 200)} is not in this workspace` } });
      } else {
        out.push({ path: relativePath(uri), status: freshness ?? { state: 'unchecked', reason: 'the file could not be read as text' } });
      }
    }
    return out;
  }

  async findWorkspaceFiles(patterns: readonly string[], signal: AbortSignal): Promise<FoundFiles> {
    const folders = vscode.workspace.workspaceFolders ?? [];
    const skipped: string[] = [];
    if (folders.length === 0) {
      return { files: [], skipped: ['no folder is open in VS Code'] };
    }
    this.found.clear();
    for (const raw of patterns) {
      if (signal.aborted) {
        break;
      }
      const pattern = raw.replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/+$/, '');
      if (pattern === '' || pattern.startsWith('/') || /^[A-Za-z]:/.test(pattern) || pattern.split('/').includes('..')) {
        skipped.push(`${displayLine(raw, 80)}: give a path or glob relative to the workspace folder`);
        continue;
      }
      const before = this.found.size;
      for (const folder of folders) {
        for (const uri of await this.matches(folder, pattern)) {
          this.found.set(relativePath(uri), uri);
        }
      }
      if (this.found.size === before) {
        skipped.push(`${displayLine(raw, 80)}: nothing in the workspace matches`);
      }
    }
    return { files: [...this.found.keys()].sort(), skipped };
  }

  /** A path (a file, or a folder walked as Add Files to Collection… walks it) or a glob, in one workspace folder. */
  private async matches(folder: vscode.WorkspaceFolder, pattern: string): Promise<vscode.Uri[]> {
    if (GLOB.test(pattern)) {
      const found = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, pattern));
      const ignored = await gitignoredIn(folder);
      return found.filter((f) => !ignored(relativePath(f)));
    }
    const uri = vscode.Uri.joinPath(folder.uri, ...pattern.split('/'));
    try {
      await vscode.workspace.fs.stat(uri);
    } catch {
      return [];
    }
    return filesUnder([uri]);
  }

  async readWorkspaceFiles(files: readonly string[], signal: AbortSignal): Promise<{ docs: IngestDocument[]; skipped: string[] }> {
    const uris: vscode.Uri[] = [];
    const skipped: string[] = [];
    for (const f of files) {
      const uri = this.found.get(f);
      if (uri) {
        uris.push(uri);
      } else {
        skipped.push(`${displayLine(f, 80)}: not found in the workspace`);
      }
    }
    const read = await readFileDocs(uris, signal);
    return { docs: read.docs, skipped: [...skipped, ...read.skipped] };
  }

  showResults(run: QueryRun): Promise<void> {
    return this.deps.showRun(run);
  }
}
