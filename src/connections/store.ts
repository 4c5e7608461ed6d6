import * as vscode from 'vscode';
import { connectionUrlProblem, parseConnections, secretKey } from './core/connectionConfig';
import type { ConnectionConfig } from './core/connectionConfig';
import type { Logger } from '../platform/log';
import { affects } from '../platform/settings';
import type { SettingKey } from '../platform/settings';

const ACTIVE_KEY = 'chroma.activeConnection';
/** Read from the user settings only (application scope): a workspace must never add a connection. */
const CONNECTIONS_KEY: SettingKey = 'chroma.connections';

/**
 * Connections: their non-secret part in the user setting `chroma.connections` (application scope, never a
 * workspace's), their token only in SecretStorage under a key bound to name and URL origin.
 */
export class ConnectionStore implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  /** Fires when the list, a connection, or a secret changed. */
  readonly onDidChange = this.emitter.event;
  private readonly disposables: vscode.Disposable[] = [];
  private reported = '';
  /** Connections of this window only (local servers), after the saved ones, never written to settings. */
  private readonly session = new Map<string, ConnectionConfig>();

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly state: vscode.Memento,
    private readonly log: Logger,
  ) {
    this.disposables.push(
      this.emitter,
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (affects(e, 'chroma.connections')) {
          this.emitter.fire();
        }
      }),
      secrets.onDidChange((e) => {
        if (e.key.startsWith('chroma.secret/')) {
          this.emitter.fire();
        }
      }),
    );
  }

  list(): ConnectionConfig[] {
    const saved = this.saved();
    return this.session.size ? [...saved, ...[...this.session.values()].filter((c) => !saved.some((s) => s.name === c.name))] : saved;
  }

  /** Adds (or replaces) a connection of this window only: a local server while it runs. */
  addSession(conn: ConnectionConfig): void {
    this.session.set(conn.name, conn);
    this.emitter.fire();
  }

  removeSession(name: string): void {
    if (this.session.delete(name)) {
      this.emitter.fire();
    }
  }

  /** The connections of the setting `chroma.connections`. */
  private saved(): ConnectionConfig[] {
    const raw = vscode.workspace.getConfiguration().inspect<unknown>(CONNECTIONS_KEY)?.globalValue;
    const { connections, problems } = parseConnections(raw);
    const report = problems.join('\n');
    if (report && report !== this.reported) {
      this.log.warn(`${report}`);
    }
    this.reported = report;
    return connections;
  }

  get(name: string): ConnectionConfig | undefined {
    return this.list().find((c) => c.name === name);
  }

  /**
   * Adds or replaces a connection (replacing `previousName` when renaming or editing). `secret`: a new secret to
   * store, null to delete it, undefined to keep it — moved to the new key if the name changed, dropped if the
   * URL's origin changed, so a token never follows a connection to another host.
   */
  async save(conn: ConnectionConfig, opts: { previousName?: string; secret?: string | null } = {}): Promise<void> {
    // what the setting would refuse on reading is never written (credentials in the URL above all)
    if (conn.local !== undefined) {
      conn = { ...conn }; // a local server's connection, saved: an ordinary one from now on
      delete conn.local;
    }
    const urlProblem = connectionUrlProblem(conn.url);
    if (urlProblem) {
      throw new Error(urlProblem);
    }
    const all = this.saved();
    const previous = opts.previousName ? all.find((c) => c.name === opts.previousName) : undefined;
    if (conn.name !== opts.previousName && all.some((c) => c.name === conn.name)) {
      throw new Error(`A connection named "${conn.name}" exists already. Choose another name.`);
    }
    let secret = opts.secret;
    if (previous && secret === undefined) {
      const sameOrigin = new URL(previous.url).origin === new URL(conn.url).origin;
      secret = sameOrigin ? ((await this.getSecret(previous)) ?? null) : null;
    }
    if (previous) {
      await this.secrets.delete(secretKey(previous));
    }
    if (secret) {
      await this.secrets.store(secretKey(conn), secret);
    } else if (secret === null) {
      await this.secrets.delete(secretKey(conn));
    }
    const next = previous ? all.map((c) => (c === previous ? conn : c)) : [...all, conn];
    await this.write(next);
    if (previous && this.activeName === previous.name) {
      await this.setActive(conn.name);
    }
  }

  async remove(name: string): Promise<void> {
    const conn = this.saved().find((c) => c.name === name);
    if (!conn) {
      this.removeSession(name);
      return;
    }
    await this.secrets.delete(secretKey(conn));
    await this.write(this.saved().filter((c) => c.name !== name));
    if (this.activeName === name) {
      await this.setActive(undefined);
    }
  }

  getSecret(conn: ConnectionConfig): Thenable<string | undefined> {
    return this.secrets.get(secretKey(conn));
  }

  async setSecret(conn: ConnectionConfig, secret: string | undefined): Promise<void> {
    if (secret) {
      await this.secrets.store(secretKey(conn), secret);
    } else {
      await this.secrets.delete(secretKey(conn));
    }
  }

  /** The connection the status bar follows: the chosen one if it still exists, else the first. */
  get active(): ConnectionConfig | undefined {
    const all = this.list();
    return all.find((c) => c.name === this.activeName) ?? all[0];
  }

  private get activeName(): string | undefined {
    return this.state.get<string>(ACTIVE_KEY);
  }

  async setActive(name: string | undefined): Promise<void> {
    await this.state.update(ACTIVE_KEY, name);
    this.emitter.fire();
  }

  private async write(connections: ConnectionConfig[]): Promise<void> {
    await vscode.workspace
      .getConfiguration()
      .update(CONNECTIONS_KEY, connections.length ? connections : undefined, vscode.ConfigurationTarget.Global);
  }

  dispose(): void {
    vscode.Disposable.from(...this.disposables).dispose();
  }
}
