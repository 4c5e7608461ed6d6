/**
 * What **Chroma: Copy MCP Server Configuration** copies, per client: a `claude mcp add` line for Claude Code, an
 * `mcp.json` for VS Code (`servers`) or Cursor (`mcpServers`), or plain JSON. Each holds the URL and the
 * `Authorization: Bearer …` header. No `vscode` here.
 */

export type McpClientKind = 'claude-code' | 'vscode' | 'cursor' | 'json';

export interface McpEndpoint {
  /** The name the client lists the server under. */
  name: string;
  /** `http://127.0.0.1:PORT/mcp` */
  url: string;
  token: string;
}

/** The name clients list this server under. */
export const MCP_SERVER_NAME = 'chroma-explorer';

/** A word for a POSIX shell: bare when it has only safe characters, else in single quotes. */
export function shellWord(s: string): string {
  if (s !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(s)) {
    return s;
  }
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

const header = (e: McpEndpoint): string => `Bearer ${e.token}`;

export function claudeCodeCommand(e: McpEndpoint): string {
  return ['claude', 'mcp', 'add', '--transport', 'http', e.name, e.url, '--header', `Authorization: ${header(e)}`].map(shellWord).join(' ');
}

export function mcpConfig(kind: McpClientKind, e: McpEndpoint): string {
  const headers = { Authorization: header(e) };
  switch (kind) {
    case 'claude-code':
      return claudeCodeCommand(e);
    case 'vscode':
      return JSON.stringify({ servers: { [e.name]: { type: 'http', url: e.url, headers } } }, null, 2);
    case 'cursor':
      return JSON.stringify({ mcpServers: { [e.name]: { url: e.url, headers } } }, null, 2);
    case 'json':
      return JSON.stringify({ name: e.name, transport: 'streamable-http', url: e.url, headers }, null, 2);
  }
}
