/**
 * The problems of open evaluation sets, as diagnostics, updated a moment after each edit: what the parser finds
 * (syntax too for .jsonl files, which the editor's JSON support does not read), connection and collection names
 * that do not exist, and expected or query record ids that the first target's collection does not have.
 */
import type * as vscode from 'vscode';
import type { Scope } from '../chroma';
import { chromaDiagnostic, DocumentDiagnostics } from '../platform/documentDiagnostics';
import type { Logger } from '../platform/log';
import type { PlaygroundCatalog } from '../query/playground/catalog';
import { checkIds, checkNames } from './core/checks';
import type { Problem } from './core/parse';
import type { EvalSet, EvalTarget } from './core/types';
import type { EvalDeps } from './deps';
import { baseName, isEvalUri, readSet } from './setFiles';

const DEBOUNCE_MS = 500;
/** A server that does not answer soon leaves the ids unchecked rather than holding the problems up. */
const CHECK_TIMEOUT_MS = 10_000;

const dbKey = (t: EvalTarget) => `${t.connection}\u0000${t.tenant ?? ''}\u0000${t.database ?? ''}`;

export class EvalDiagnostics implements vscode.Disposable {
  private readonly watcher: DocumentDiagnostics;

  constructor(
    private readonly catalog: PlaygroundCatalog,
    private readonly deps: Pick<EvalDeps, 'clientFor' | 'onConnectionsChanged'>,
    private readonly log: Logger,
  ) {
    this.watcher = new DocumentDiagnostics({
      name: 'chroma-eval',
      debounceMs: DEBOUNCE_MS,
      applies: (doc) => isEvalUri(doc.uri),
      refreshOn: deps.onConnectionsChanged,
      log,
      label: (doc) => baseName(doc.uri),
      read: (doc) => this.read(doc),
    });
  }

  /** The collection names of each target's database that could be fetched. */
  private async collectionLists(set: EvalSet): Promise<Map<string, readonly string[]>> {
    const out = new Map<string, readonly string[]>();
    for (const t of set.compare ? [set.target, set.compare] : [set.target]) {
      const conn = this.catalog.connection(t.connection);
      if (!conn || out.has(dbKey(t))) {
        continue;
      }
      const base = await this.catalog.scopeOf(conn.name).catch(() => undefined);
      const scope: Scope | undefined = base && { tenant: t.tenant ?? base.tenant, database: t.database ?? base.database };
      const names = scope && (await this.catalog.collectionNames(conn.name, scope).catch(() => undefined));
      if (names) {
        out.set(dbKey(t), names);
      }
    }
    return out;
  }

  /** The ids the first target's collection lacks (none when it cannot be asked). */
  private async idProblems(set: EvalSet): Promise<Problem[]> {
    const t = set.target;
    const conn = this.catalog.connection(t.connection);
    if (!conn || set.cases.length === 0) {
      return [];
    }
    try {
      const client = await this.deps.clientFor(conn);
      const signal = AbortSignal.timeout(CHECK_TIMEOUT_MS);
      const scope = t.tenant || t.database ? { ...(t.tenant ? { tenant: t.tenant } : {}), ...(t.database ? { database: t.database } : {}) } : undefined;
      const collection = await client.getCollection(t.collection, { scope, signal });
      return await checkIds(client, collection, set, signal);
    } catch (e) {
      this.log.debug(`ids of ${t.collection} not checked: ${e instanceof Error ? e.message : String(e)}`);
      return [];
    }
  }

  private async read(doc: vscode.TextDocument): Promise<vscode.Diagnostic[]> {
    const parsed = await readSet(doc.uri);
    const jsonl = /\.jsonl$/i.test(doc.uri.path);
    // the editor's JSON support reports a .json file's syntax errors itself
    const problems = parsed.problems.filter((p) => jsonl || p.kind === 'set');
    if (parsed.set) {
      const lists = await this.collectionLists(parsed.set);
      problems.push(...checkNames(parsed.set, { connections: this.catalog.connections().map((c) => c.name), collectionsIn: (t) => lists.get(dbKey(t)) }));
      problems.push(...(await this.idProblems(parsed.set)));
    }
    return problems.map((p) => chromaDiagnostic(parsed.lines.range(p.span), p.message, p.severity));
  }

  dispose(): void {
    this.watcher.dispose();
  }
}
