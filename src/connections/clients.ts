import type * as vscode from 'vscode';
import { ChromaClient } from '../chroma';
import { authFor } from '../common/connectionConfig';
import type { ConnectionConfig } from '../common/connectionConfig';
import type { Log } from '../ui/log';
import type { ConnectionStore } from './store';

/** One ChromaClient per connection (with its pre-flight cache), rebuilt when the connection or its secret changes. */
export class ClientCache implements vscode.Disposable {
  private readonly clients = new Map<string, { key: string; client: Promise<ChromaClient> }>();
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly store: ConnectionStore,
    private readonly log: Log,
  ) {
    this.subscription = store.onDidChange(() => this.clients.clear());
  }

  clientFor(conn: ConnectionConfig): Promise<ChromaClient> {
    const key = JSON.stringify(conn);
    const cached = this.clients.get(conn.name);
    if (cached && cached.key === key) {
      return cached.client;
    }
    const client = this.create(conn);
    this.clients.set(conn.name, { key, client });
    return client;
  }

  /** A client for a connection that is not saved yet (e.g. while checking it in the wizard). */
  static create(conn: ConnectionConfig, secret: string | undefined, log?: Log): ChromaClient {
    return new ChromaClient({
      url: conn.url,
      tenant: conn.tenant,
      database: conn.database,
      auth: authFor(conn, secret),
      timeoutMs: 20_000,
      onResponse: log
        ? (r) => {
            if (r.error) {
              log.debug(`[http] ${conn.name}: ${r.method} ${r.path} → ${r.status ?? r.error.code} in ${Math.round(r.ms)} ms`);
            } else {
              log.trace(`[http] ${conn.name}: ${r.method} ${r.path} → ${r.status} in ${Math.round(r.ms)} ms`);
            }
          }
        : undefined,
    });
  }

  private async create(conn: ConnectionConfig): Promise<ChromaClient> {
    const secret = conn.authHeader ? await this.store.getSecret(conn) : undefined;
    return ClientCache.create(conn, secret, this.log);
  }

  dispose(): void {
    this.subscription.dispose();
    this.clients.clear();
  }
}
