/**
 * Chroma for AI agents, the VS Code layer (in the features bundle): the language-model tools over the extension's
 * own connections, tokens, embedding functions and Results view; the MCP server for agents outside VS Code; and
 * **Chroma: Copy MCP Server Configuration**. The main bundle's AgentsHost registers the tools' names at activation
 * and hands their calls here.
 */
import type * as vscode from 'vscode';
import { Commands } from '../platform/commandIds';
import type { Logger } from '../platform/log';
import { registerCommand } from '../platform/registerCommand';
import { setting } from '../platform/settings';
import { copyMcpConfiguration } from './copyConfig';
import { CollectionCache } from './core/shared';
import { EditorToolContext } from './editorContext';
import type { EditorContextDeps } from './editorContext';
import type { AgentsApi } from './host';
import { McpController } from './mcp';
import { languageModelTool } from './tools';

export interface AgentsDeps {
  log: Logger;
  secrets: vscode.SecretStorage;
  globalState: vscode.Memento;
  version: string;
  toolNames: readonly string[];
  editor: EditorContextDeps;
  /** The MCP server started (its port) or stopped. */
  mcpChanged: (port: number | undefined) => void;
}

export function activate(deps: AgentsDeps): { api: AgentsApi; disposables: vscode.Disposable[] } {
  const context = new EditorToolContext(deps.editor);
  const collections = new CollectionCache();
  const host = { context, maxResultChars: () => setting('chroma.agents.maxResultChars') };
  const tools = new Map(deps.toolNames.map((name) => [name, languageModelTool(name, host, collections)]));
  const mcp = new McpController({ context, secrets: deps.secrets, globalState: deps.globalState, log: deps.log, version: deps.version, changed: deps.mcpChanged });
  void mcp.follow();
  const api: AgentsApi = {
    tool: (name) => tools.get(name),
    endpoint: () => mcp.endpoint(),
  };
  return { api, disposables: [mcp, registerCommand(deps.log, Commands.copyMcpConfiguration, () => copyMcpConfiguration(mcp))] };
}
