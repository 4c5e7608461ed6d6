/**
 * **Chroma: Copy MCP Server Configuration**: turns the MCP server on (chroma.mcp.enabled) and starts it if need be,
 * asks which client the configuration is for, and copies it (the URL and the `Authorization: Bearer …` header; no
 * Chroma token or embedding key, which stay in VS Code).
 */
import * as vscode from 'vscode';
import { mcpConfig } from './core/mcp/clientConfig';
import type { McpClientKind } from './core/mcp/clientConfig';
import type { McpController } from './mcp';
import { setting } from '../platform/settings';

interface ClientItem extends vscode.QuickPickItem {
  kind_: McpClientKind;
  /** Where it goes, for the message after copying. */
  where: string;
}

export const CLIENT_ITEMS: readonly ClientItem[] = [
  { label: 'Claude Code', description: 'a `claude mcp add --transport http …` command', kind_: 'claude-code', where: 'run it in a terminal' },
  { label: 'VS Code', description: 'an mcp.json entry (servers)', kind_: 'vscode', where: "paste it into another editor's .vscode/mcp.json" },
  { label: 'Cursor', description: 'an mcp.json entry (mcpServers)', kind_: 'cursor', where: 'paste it into ~/.cursor/mcp.json or .cursor/mcp.json' },
  { label: 'Other clients (plain JSON)', description: 'URL, transport and headers, e.g. for Codex or Windsurf', kind_: 'json', where: "enter its URL and header in your client's MCP settings" },
];

/** Runs the command; answers what was copied (undefined when the person cancelled). */
export async function copyMcpConfiguration(mcp: McpController): Promise<string | undefined> {
  const pick = await vscode.window.showQuickPick(CLIENT_ITEMS, {
    title: 'Copy MCP Server Configuration',
    placeHolder: 'Which agent should connect to Chroma Explorer?',
  });
  if (!pick) {
    return undefined;
  }
  if (!setting('chroma.mcp.enabled')) {
    // the configuration is only useful while the server runs: keep it on from now on
    await vscode.workspace.getConfiguration('chroma').update('mcp.enabled', true, vscode.ConfigurationTarget.Global);
  }
  const endpoint = await mcp.endpoint();
  const text = mcpConfig(pick.kind_, endpoint);
  await vscode.env.clipboard.writeText(text);
  void vscode.window.showInformationMessage(
    `Copied the MCP configuration for ${pick.label} (${endpoint.url}): ${pick.where}. It holds the server's token: keep it private. The server runs while VS Code is open${setting('chroma.mcp.allowWrites') ? '; each change asks you first' : '; agents may only read (chroma.mcp.allowWrites)'}.`,
  );
  return text;
}
