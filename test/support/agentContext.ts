/**
 * A ToolContext for the agent tools outside VS Code: named connections to real Chroma servers, embedding with the
 * collection's own function resolved the way the editor resolves it for tools (no prompt: approvals the person has
 * not given are refused, no key is asked for, the default function runs on the tiny test model), and a workspace
 * that is a folder on disk, read with the same source-link and freshness code the Results view uses.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ChromaClient } from '../../src/chroma';
import type { Collection } from '../../src/chroma';
import { unknownConnection } from '../../src/agents/core/context';
import type { ConnectionHandle, FoundFiles, SourceCheck, ToolContext } from '../../src/agents/core/context';
import { refuseToAsk } from '../../src/agents/core/embedding';
import type { IngestDocument, QueryRun, SourceLink } from '../../src/agents/core/shared';
import { EmbeddingApprovals } from '../../src/embedding/core/approvals';
import { resolveEmbeddingFunction } from '../../src/embedding/core/resolve';
import type { EmbeddingFunction } from '../../src/embedding/core/types';
import type { ChunkConfig } from '../../src/ingest/core/run';
import { inputProblem } from '../../src/ingest/core/records';
import { candidatesFor, checkFreshness } from '../../src/query/core/sourceLink';
import { PROJECT_ROOT } from './chromaServer';

const TINY_MODEL = join(PROJECT_ROOT, 'test', 'fixtures', 'tiny-model');

/** A model cache folder holding the tiny model's archive: the default function unpacks it, with no download. */
export function tinyModelDir(): { dir: string; sha256: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'chroma-agents-model-'));
  copyFileSync(join(TINY_MODEL, 'onnx.tar.gz'), join(dir, 'onnx.tar.gz'));
  return { dir, sha256: readFileSync(join(TINY_MODEL, 'onnx.tar.gz.sha256'), 'utf8').trim(), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The chroma.ingest.* defaults. */
export const CHUNKS: ChunkConfig = { chunkSize: 1000, chunkOverlap: 100, chunkSizeTokens: 256, chunkOverlapTokens: 32, sizeUnit: 'auto', idStrategy: 'path' };

export interface AgentContextOptions {
  /** Connection name → server URL; the first is the active one. */
  connections: Record<string, string>;
  model: { dir: string; sha256: string };
  /** The workspace folder. */
  workspace: string;
  /** The process environment the key policy reads. */
  env?: Record<string, string>;
}

const isFile = (p: string): boolean => statSync(p, { throwIfNoEntry: false })?.isFile() ?? false;
function readdirSafe(p: string): string[] | undefined {
  try {
    return readdirSync(p);
  } catch {
    return undefined;
  }
}

/** A glob as the workspace search reads one: `**` any folders, `*` and `?` within a name, `{a,b}` either. */
function globRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      re += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += glob[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') {
      re += '[^/]*';
    } else if (c === '?') {
      re += '[^/]';
    } else if (c === '{' || c === '}' || c === ',') {
      re += c === '{' ? '(?:' : c === '}' ? ')' : '|';
    } else {
      re += c.replace(/[.+^$()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${re}$`);
}

export class TestToolContext implements ToolContext {
  readonly shown: QueryRun[] = [];
  /** Every request the tools sent to Chroma: `GET /api/v2/…`. */
  readonly requests: string[] = [];
  /** Approvals the person gave (EmbeddingApprovals ids). */
  readonly approved = new Set<string>();
  private readonly clients = new Map<string, ChromaClient>();
  private readonly functions = new Map<string, EmbeddingFunction>();

  constructor(private readonly opts: AgentContextOptions) {}

  async clientFor(connection: string | undefined, database: string | undefined, signal: AbortSignal): Promise<ConnectionHandle> {
    const names = Object.keys(this.opts.connections);
    const name = connection ?? names[0];
    const url = this.opts.connections[name];
    if (url === undefined) {
      throw unknownConnection(name, names);
    }
    let client = this.clients.get(name);
    if (!client) {
      client = new ChromaClient({ url, timeoutMs: 20_000, onResponse: (r) => void this.requests.push(`${r.method} ${r.path}`) });
      this.clients.set(name, client);
    }
    const scope = await client.scope({ signal });
    return { client, connection: name, tenant: scope.tenant, database: database ?? scope.database };
  }

  async embeddingFunction(at: ConnectionHandle, collection: Collection): Promise<EmbeddingFunction> {
    const key = JSON.stringify([at.connection, collection.id, collection.configuration_json?.embedding_function ?? null]);
    let fn = this.functions.get(key);
    if (!fn) {
      fn = resolveEmbeddingFunction(collection, {
        keys: {
          env: this.opts.env ?? {},
          approvals: new EmbeddingApprovals({ has: (id) => this.approved.has(id), add: async (id) => void this.approved.add(id), ids: () => [...this.approved], remove: async (id) => void this.approved.delete(id) }, refuseToAsk),
          saved: { getOrAsk: () => Promise.resolve(undefined) },
          requester: `Collection "${collection.name}"`,
        },
        defaultFunction: { source: { dir: this.opts.model.dir, url: 'http://127.0.0.1:9/no-download.tar.gz', sha256: this.opts.model.sha256 } },
      });
      this.functions.set(key, fn);
    }
    return fn;
  }

  async checkSources(items: readonly { link: SourceLink; document: string | null }[]): Promise<SourceCheck[]> {
    const root = this.opts.workspace;
    const folder = { scheme: 'file', authority: '', path: pathToFileURL(root).pathname, name: root.split(sep).pop() ?? '' };
    return items.map(({ link, document }) => {
      for (const c of candidatesFor(link, [folder])) {
        const file = join(root, ...c.segments);
        if (isFile(file)) {
          return { path: c.segments.join('/'), status: checkFreshness(link, readFileSync(file, 'utf8'), document) };
        }
      }
      return { status: { state: 'missing', reason: `${link.source ?? link.uri} is not in this workspace` } };
    });
  }

  private allFiles(dir = this.opts.workspace): string[] {
    return (readdirSafe(dir) ?? []).flatMap((name) => {
      const full = join(dir, name);
      return readdirSafe(full) ? this.allFiles(full) : [relative(this.opts.workspace, full).split(sep).join('/')];
    });
  }

  async findWorkspaceFiles(patterns: readonly string[]): Promise<FoundFiles> {
    const all = this.allFiles();
    const files = new Set<string>();
    for (const p of patterns) {
      const clean = p.replace(/\/+$/, '');
      for (const f of all) {
        if (f === clean || f.startsWith(`${clean}/`) || globRegExp(clean).test(f)) {
          files.add(f);
        }
      }
    }
    return { files: [...files].sort(), skipped: [] };
  }

  async readWorkspaceFiles(files: readonly string[]): Promise<{ docs: IngestDocument[]; skipped: string[] }> {
    const docs: IngestDocument[] = [];
    const skipped: string[] = [];
    for (const f of files) {
      const full = join(this.opts.workspace, f);
      const bytes = readFileSync(full);
      const problem = inputProblem(bytes, f, 5 * 1024 * 1024);
      if (problem) {
        skipped.push(problem.reason);
        continue;
      }
      const languageId = f.endsWith('.md') ? 'markdown' : 'plaintext';
      docs.push({ name: f, text: bytes.toString('utf8'), info: { source: f, uri: pathToFileURL(full).toString(), languageId, idBase: f }, config: CHUNKS });
    }
    return { docs, skipped };
  }

  async showResults(run: QueryRun): Promise<void> {
    this.shown.push(run);
  }
}

/** A workspace folder with the given files (path → text). */
export function makeWorkspace(files: Record<string, string>): { dir: string; write(path: string, text: string): void; delete(path: string): void; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'chroma-agents-ws-'));
  const write = (path: string, text: string): void => {
    const full = join(dir, ...path.split('/'));
    mkdirSync(join(full, '..'), { recursive: true });
    writeFileSync(full, text);
  };
  for (const [path, text] of Object.entries(files)) {
    write(path, text);
  }
  return { dir, write, delete: (path) => rmSync(join(dir, ...path.split('/'))), remove: () => rmSync(dir, { recursive: true, force: true }) };
}
