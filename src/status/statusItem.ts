import * as vscode from 'vscode';
import type { Health, HeartbeatMonitor } from './core/monitor';
import { Commands } from '../platform/commandIds';
import { statusText, statusTooltip, TOOLTIP_COMMANDS } from './core/statusText';

/** The one status-bar item: the active connection's health, what is known of its server, and latency. */
export class StatusItem implements vscode.Disposable {
  readonly item: vscode.StatusBarItem;
  private readonly subscription: { dispose(): void };
  private health: Health;
  private mcpPort: number | undefined;

  constructor(monitor: HeartbeatMonitor) {
    this.item = vscode.window.createStatusBarItem('chroma.status', vscode.StatusBarAlignment.Left, 50);
    this.item.name = 'Chroma';
    this.item.command = Commands.statusMenu;
    this.health = monitor.health;
    this.render(monitor.health);
    this.item.show();
    this.subscription = monitor.onDidChange((h) => this.render(h));
  }

  /** The agents' MCP server runs on this port (undefined: it is off); the tooltip says so. */
  setMcpPort(port: number | undefined): void {
    this.mcpPort = port;
    this.render(this.health);
  }

  render(h: Health): void {
    this.health = h;
    const item = this.item;
    item.text = statusText(h);
    item.backgroundColor =
      h.state === 'down'
        ? new vscode.ThemeColor('statusBarItem.errorBackground')
        : h.state === 'unauthorized'
          ? new vscode.ThemeColor('statusBarItem.warningBackground')
          : undefined;
    item.tooltip = tooltip(h, this.mcpPort);
    // icons are dropped from the spoken label; escaped ones (server text) are read as text
    item.accessibilityInformation = { label: item.text.replace(/(?<!\\)\$\([^)]*\)\s*/g, '').replace(/\\\$\(/g, '$(') };
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}

export function tooltip(h: Health, mcpPort?: number): vscode.MarkdownString {
  // no theme icons: none are used, and server text must not be able to draw one
  const mcp = mcpPort === undefined ? '' : `\n\n---\n\nMCP server for agents: on, at 127.0.0.1 port ${mcpPort}`;
  const md = new vscode.MarkdownString(statusTooltip(h) + mcp, false);
  md.isTrusted = { enabledCommands: [...TOOLTIP_COMMANDS] };
  return md;
}
