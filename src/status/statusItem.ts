import * as vscode from 'vscode';
import type { Health, HeartbeatMonitor } from './core/monitor';
import { Commands } from '../platform/commandIds';
import { statusText, statusTooltip, TOOLTIP_COMMANDS } from './core/statusText';

/** The one status-bar item: the active connection's health, what is known of its server, and latency. */
export class StatusItem implements vscode.Disposable {
  readonly item: vscode.StatusBarItem;
  private readonly subscription: { dispose(): void };

  constructor(monitor: HeartbeatMonitor) {
    this.item = vscode.window.createStatusBarItem('chroma.status', vscode.StatusBarAlignment.Left, 50);
    this.item.name = 'Chroma';
    this.item.command = Commands.statusMenu;
    this.render(monitor.health);
    this.item.show();
    this.subscription = monitor.onDidChange((h) => this.render(h));
  }

  render(h: Health): void {
    const item = this.item;
    item.text = statusText(h);
    item.backgroundColor =
      h.state === 'down'
        ? new vscode.ThemeColor('statusBarItem.errorBackground')
        : h.state === 'unauthorized'
          ? new vscode.ThemeColor('statusBarItem.warningBackground')
          : undefined;
    item.tooltip = tooltip(h);
    // icons are dropped from the spoken label; escaped ones (server text) are read as text
    item.accessibilityInformation = { label: item.text.replace(/(?<!\\)\$\([^)]*\)\s*/g, '').replace(/\\\$\(/g, '$(') };
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}

export function tooltip(h: Health): vscode.MarkdownString {
  // no theme icons: none are used, and server text must not be able to draw one
  const md = new vscode.MarkdownString(statusTooltip(h), false);
  md.isTrusted = { enabledCommands: [...TOOLTIP_COMMANDS] };
  return md;
}
