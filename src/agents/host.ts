/**
 * What of the agent features must exist from activation, in the main bundle and without their code: every
 * language-model tool package.json declares is registered (VS Code only calls tools registered by then), each
 * loading the features bundle on its first call; VS Code's MCP server list gets our server where the API exists
 * (`vscode.lm.registerMcpServerDefinitionProvider`, VS Code 1.101+, found by feature detection); and the MCP server
 * starts after activation when chroma.mcp.enabled is on.
 */
import * as vscode from 'vscode';
import type { Logger } from '../platform/log';
import { affects, setting } from '../platform/settings';

/** What the features bundle gives the main bundle. */
export interface AgentsApi {
  tool(name: string): vscode.LanguageModelTool<Record<string, unknown>> | undefined;
  /** Starts the MCP server if need be: its URL and token. */
  endpoint(): Promise<{ url: string; token: string }>;
}

export interface AgentsHostDeps {
  /** `contributes.languageModelTools[].name`, from the manifest. */
  toolNames: readonly string[];
  /** The agents, loading the features bundle if need be (undefined when it cannot be loaded: that was shown). */
  load: () => AgentsApi | undefined;
  version: string;
  log: Logger;
}

export const MCP_PROVIDER_ID = 'chroma.mcpServer';
export const MCP_LABEL = 'Chroma Explorer';

/** The proposed-then-finalised MCP API of VS Code 1.101+, as far as it is used here. */
interface McpApi {
  registerMcpServerDefinitionProvider(
    id: string,
    provider: {
      onDidChangeMcpServerDefinitions?: vscode.Event<void>;
      provideMcpServerDefinitions(token: vscode.CancellationToken): Promise<unknown[]>;
      resolveMcpServerDefinition?(server: unknown, token: vscode.CancellationToken): Promise<unknown>;
    },
  ): vscode.Disposable;
}
type HttpDefinitionClass = new (label: string, uri: vscode.Uri, headers?: Record<string, string>, version?: string) => { headers: Record<string, string> };

/** VS Code's MCP API, when this VS Code has it (1.101 and later). */
export function mcpApi(): { lm: McpApi; Definition: HttpDefinitionClass } | undefined {
  const lm = vscode.lm as unknown as Partial<McpApi>;
  const Definition = (vscode as unknown as { McpHttpServerDefinition?: HttpDefinitionClass }).McpHttpServerDefinition;
  return typeof lm.registerMcpServerDefinitionProvider === 'function' && typeof Definition === 'function' ? { lm: lm as McpApi, Definition } : undefined;
}

function unavailable(name: string): Error {
  return new Error(`The Chroma tool ${name} is not available: Chroma Explorer could not load its features (see Chroma: Show Log).`);
}

export class AgentsHost implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly deps: AgentsHostDeps) {
    for (const name of deps.toolNames) {
      this.disposables.push(vscode.lm.registerTool(name, this.proxy(name)));
    }
    const mcp = mcpApi();
    if (mcp) {
      try {
        this.disposables.push(mcp.lm.registerMcpServerDefinitionProvider(MCP_PROVIDER_ID, this.definitions(mcp.Definition)));
      } catch (e) {
        // VS Code 1.100 has a proposed version that wants another contribution point: agents use the copied configuration
        deps.log.info(`VS Code's MCP server list is not available here (${e instanceof Error ? e.message : String(e)})`);
      }
    }
    if (setting('chroma.mcp.enabled')) {
      this.loadSoon();
    }
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (affects(e, 'chroma.mcp.enabled')) {
          this.changed.fire();
          if (setting('chroma.mcp.enabled')) {
            this.loadSoon();
          }
        }
      }),
    );
  }

  /** The MCP server started or stopped: VS Code's list asks again. */
  mcpChanged(): void {
    this.changed.fire();
  }

  /** After activation, not inside it: the features bundle starts the server. */
  private loadSoon(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.deps.load();
    }, 0);
  }

  private proxy(name: string): vscode.LanguageModelTool<Record<string, unknown>> {
    const real = () => {
      const tool = this.deps.load()?.tool(name);
      if (!tool) {
        throw unavailable(name);
      }
      return tool;
    };
    return {
      prepareInvocation: (options, token) => real().prepareInvocation?.(options, token),
      invoke: (options, token) => real().invoke(options, token),
    };
  }

  private definitions(Definition: HttpDefinitionClass) {
    return {
      onDidChangeMcpServerDefinitions: this.changed.event,
      provideMcpServerDefinitions: async () => {
        if (!setting('chroma.mcp.enabled')) {
          return [];
        }
        const agents = this.deps.load();
        const endpoint = await agents?.endpoint();
        // the token is added when VS Code starts the server (resolve), not listed with it
        return endpoint ? [new Definition(MCP_LABEL, vscode.Uri.parse(endpoint.url), {}, this.deps.version)] : [];
      },
      resolveMcpServerDefinition: async (server: unknown) => {
        const endpoint = await this.deps.load()?.endpoint();
        if (!endpoint) {
          return undefined;
        }
        const def = server as { headers: Record<string, string> };
        def.headers = { ...def.headers, Authorization: `Bearer ${endpoint.token}` };
        return def;
      },
    };
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.disposables.forEach((d) => d.dispose());
  }
}
