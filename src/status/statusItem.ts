import * as vscode from 'vscode';
import type { Health, HeartbeatMonitor } from './core/monitor';
import { Commands } from '../platform/commandIds';
import { TELEMETRY_SETTING_LINE } from '../telemetry/core/facts';
import { codeLine, displayLine, escapeIcons, markdownLine } from '../util/text';

/** The one status-bar item: the active connection's health, version and latency. */
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
    item.backgroundColor = undefined;
    switch (h.state) {
      case 'none':
        item.text = '$(database) Chroma';
        break;
      case 'checking':
        item.text = '$(sync~spin) Chroma';
        break;
      case 'healthy':
        // the version comes from the server: one short line, and no icon it could draw
        item.text = `$(database) Chroma ${escapeIcons(displayLine(String(h.facts.version), 24))} · ${Math.max(0, Math.round(h.latencyMs))} ms`;
        break;
      case 'down':
        item.text = '$(error) Chroma unreachable';
        item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
        break;
      case 'unauthorized':
        item.text = '$(key) Chroma: sign in';
        item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
        break;
    }
    item.tooltip = tooltip(h);
    // icons are dropped from the spoken label; escaped ones (server text) are read as text
    item.accessibilityInformation = { label: item.text.replace(/(?<!\\)\$\([^)]*\)\s*/g, '').replace(/\\\$\(/g, '$(') };
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}

function time(ms: number | undefined): string {
  return ms === undefined ? 'never' : new Date(ms).toLocaleTimeString();
}

/** One server-provided value as literal Markdown text: this tooltip is trusted for our commands, so nothing may form a link. */
const text = (v: unknown, max = 200): string => markdownLine(String(v), max);

export function tooltip(h: Health): vscode.MarkdownString {
  const lines: string[] = [];
  if (h.state === 'none') {
    lines.push('**Chroma**: no connection yet.', '', `[Add Connection](command:${Commands.addConnection})`);
  } else {
    const c = h.connection;
    const facts = h.state === 'healthy' ? h.facts : h.state === 'down' ? h.facts : undefined;
    lines.push(`**Chroma — ${text(c.name)}**`, '');
    lines.push(`- URL: ${codeLine(c.url, 300)}`);
    lines.push(
      `- tenant / database: ${
        facts
          ? `${text(facts.scope.tenant)} / ${text(facts.scope.database)}`
          : `${c.tenant ? text(c.tenant) : 'from the server'} / ${c.database ? text(c.database) : 'from the server'}`
      }`,
    );
    if (h.state === 'healthy') {
      lines.push(`- version: ${text(h.facts.version, 60)}`, `- latency: ${Math.round(h.latencyMs)} ms`);
    } else if (facts) {
      lines.push(`- version: ${text(facts.version, 60)} (when last seen)`);
    }
    if (h.state === 'down' || h.state === 'unauthorized') {
      lines.push(`- status: ${text(h.message, 300)}`);
    }
    const lastOk = h.state === 'healthy' ? h.checkedAt : h.state === 'down' || h.state === 'unauthorized' ? h.lastOkAt : undefined;
    lines.push(`- last successful check: ${time(lastOk)}`);
    if (facts) {
      lines.push(`- max_batch_size: ${text(facts.preflight.max_batch_size, 40)}`);
    }
  }
  lines.push('', '---', '', `${TELEMETRY_SETTING_LINE} [Telemetry facts](command:${Commands.showTelemetry})`, '', `[Check now](command:${Commands.checkNow}) · [Switch connection](command:${Commands.switchConnection})`);
  // no theme icons: none are used, and server text must not be able to draw one
  const md = new vscode.MarkdownString(lines.join('\n'), false);
  md.isTrusted = { enabledCommands: [Commands.showTelemetry, Commands.checkNow, Commands.switchConnection, Commands.addConnection] };
  return md;
}
