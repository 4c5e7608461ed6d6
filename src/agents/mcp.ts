/**
 * The MCP server for agents outside VS Code, while this window runs: on 127.0.0.1 behind a bearer token kept in
 * SecretStorage, started when chroma.mcp.enabled is on (or by Copy MCP Server Configuration, which turns it on),
 * stopped when it is turned off. Writes ask in a modal, and only when chroma.mcp.allowWrites is on. The port is
 * remembered so that copied configurations keep working after a restart.
 */
import * as vscode from 'vscode';
import type { Logger } from '../platform/log';
import { affects, setting } from '../platform/settings';
import type { Confirmation } from './core/confirm';
import type { ToolContext } from './core/context';
import { MCP_SERVER_NAME } from './core/mcp/clientConfig';
import type { McpEndpoint } from './core/mcp/clientConfig';
import { newToken } from './core/mcp/guard';
import { McpToolServer } from './core/mcp/server';

export const TOKEN_SECRET = 'chroma.mcp.token';
const PORT_KEY = 'chroma.mcp.lastPort';

export interface McpDeps {
  context: ToolContext;
  secrets: vscode.SecretStorage;
  globalState: vscode.Memento;
  log: Logger;
  version: string;
  /** The server started (its port) or stopped (undefined): the status bar and VS Code's MCP list follow. */
  changed: (port: number | undefined) => void;
}

/** A write asked for through MCP: a modal with Allow, only an explicit Allow counts. */
async function askModal(c: Confirmation, signal: AbortSignal): Promise<boolean> {
  const detail = [c.detail, 'An agent outside VS Code asks for this through the Chroma MCP server.'].filter(Boolean).join(' ');
  const answer = await vscode.window.showWarningMessage(c.message, { modal: true, detail }, 'Allow');
  return answer === 'Allow' && !signal.aborted;
}

export class McpController implements vscode.Disposable {
  private server: McpToolServer | undefined;
  private starting: Promise<McpToolServer> | undefined;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly deps: McpDeps) {
    this.subscription = vscode.workspace.onDidChangeConfiguration((e) => {
      if (affects(e, 'chroma.mcp.enabled')) {
        void this.follow();
      }
    });
  }

  /** Starts or stops the server as chroma.mcp.enabled says; failures are logged and shown. */
  async follow(): Promise<void> {
    try {
      if (setting('chroma.mcp.enabled')) {
        await this.start();
      } else {
        await this.stop();
      }
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      this.deps.log.error(`MCP server: ${why}`);
      void vscode.window.showErrorMessage(`The Chroma MCP server could not start (${why.slice(0, 200)}). Check that 127.0.0.1 can be listened on, then turn chroma.mcp.enabled off and on again.`);
    }
  }

  get port(): number | undefined {
    return this.server?.running ? this.server.port : undefined;
  }

  /** The running server's URL and token, for client configurations. */
  async endpoint(): Promise<McpEndpoint> {
    const server = await this.start();
    return { name: MCP_SERVER_NAME, url: server.url, token: await this.token() };
  }

  /** The token clients send; made once and kept in SecretStorage. */
  async token(): Promise<string> {
    const saved = await this.deps.secrets.get(TOKEN_SECRET);
    if (saved) {
      return saved;
    }
    const token = newToken();
    await this.deps.secrets.store(TOKEN_SECRET, token);
    return token;
  }

  start(): Promise<McpToolServer> {
    if (this.server?.running) {
      return Promise.resolve(this.server);
    }
    this.starting ??= this.launch().finally(() => (this.starting = undefined));
    return this.starting;
  }

  private async launch(): Promise<McpToolServer> {
    const log = this.deps.log;
    const server = new McpToolServer({
      context: this.deps.context,
      token: await this.token(),
      allowWrites: () => setting('chroma.mcp.allowWrites'),
      confirm: askModal,
      maxResultChars: () => setting('chroma.agents.maxResultChars'),
      port: this.deps.globalState.get<number>(PORT_KEY),
      log: (line) => log.info(line),
      version: this.deps.version,
    });
    await server.start();
    this.server = server;
    await this.deps.globalState.update(PORT_KEY, server.port);
    this.deps.changed(server.port);
    return server;
  }

  async stop(): Promise<void> {
    await this.starting?.catch(() => undefined);
    const server = this.server;
    this.server = undefined;
    if (server) {
      await server.stop();
      this.deps.changed(undefined);
    }
  }

  dispose(): void {
    this.subscription.dispose();
    void this.stop();
  }
}
