import * as vscode from 'vscode';
import type { ChromaClient } from '../chroma/client';
import { clientModule } from '../chroma/lazyClient';
import { affects, setting } from '../platform/settings';
import { authFor } from './core/connectionConfig';
import type { ConnectionConfig } from './core/connectionConfig';
import type { Logger } from '../platform/log';
import type { ConnectionStore } from './store';

/**
 * One ChromaClient per connection (with its pre-flight cache), rebuilt when the connection, its secret or the
 * `chroma.limits.*` settings change.
 */
export class ClientCache implements vscode.Disposable {
  private readonly clients = new Map<string, { key: string; client: Promise<ChromaClient> }>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly store: ConnectionStore,
    private readonly log: Logger,
  ) {
    this.subscriptions = [
      store.onDidChange(() => this.clients.clear()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (affects(e, 'chroma.limits.maxResponseMB', 'chroma.limits.maxMetadataKeys')) {
          this.clients.clear();
        }
      }),
    ];
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
  static create(conn: ConnectionConfig, secret: string | undefined, log?: Logger): ChromaClient {
    return new (clientModule().ChromaClient)({
      url: conn.url,
      tenant: conn.tenant,
      database: conn.database,
      auth: authFor(conn, secret),
      timeoutMs: 20_000,
      maxResponseBytes: setting('chroma.limits.maxResponseMB') * 1024 * 1024,
      // 0: the client's own default for the server (Chroma Cloud's 32, else a bound measured safe for Chroma)
      maxMetadataKeys: setting('chroma.limits.maxMetadataKeys') || undefined,
      onResponse: log
        ? (r) => {
            if (r.error) {
              log.debug(`${conn.name}: ${r.method} ${r.path} → ${r.status ?? r.error.code} in ${Math.round(r.ms)} ms`);
            } else {
              log.trace(`${conn.name}: ${r.method} ${r.path} → ${r.status} in ${Math.round(r.ms)} ms`);
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
    this.subscriptions.forEach((d) => d.dispose());
    this.clients.clear();
  }
}
