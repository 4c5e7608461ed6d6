/**
 * The status-bar item's text and tooltip Markdown for a connection's health. The tooltip is trusted for a few of our
 * commands, so every server value in it is escaped literal text: nothing it says can form a link or an icon.
 * No `vscode` here.
 */
import { Commands } from '../../platform/commandIds';
import { TELEMETRY_SETTING_LINE } from '../../telemetry/core/settingLine';
import { codeLine, displayLine, escapeIcons, markdownLine } from '../../util/text';
import type { Health } from './monitor';
import { capabilityTooltipLines, serverLabel, versionNote } from './serverText';

/** The commands the tooltip's links run: the only ones it is trusted with. */
export const TOOLTIP_COMMANDS: readonly string[] = [Commands.showTelemetry, Commands.checkNow, Commands.switchConnection, Commands.addConnection];

/** Status-bar text: "$(database) Chroma 1.x · 12 ms" (server text carries no icon). */
export function statusText(h: Health): string {
  const local = h.state === 'none' ? undefined : h.connection.local;
  if (local !== undefined) {
    // a server this window runs on a data folder: named by its folder ("Chroma local · ./chroma")
    const where = `Chroma local · ${escapeIcons(displayLine(local, 40))}`;
    return h.state === 'healthy' ? `$(database) ${where}` : h.state === 'checking' ? `$(sync~spin) ${where}` : `$(error) ${where} unreachable`;
  }
  switch (h.state) {
    case 'none':
      return '$(database) Chroma';
    case 'checking':
      return '$(sync~spin) Chroma';
    case 'healthy':
      // "1.x" rather than the "1.0.0" every 1.x server reports; server text: one short line, and no icon it could draw
      return `$(database) Chroma ${escapeIcons(displayLine(serverLabel(String(h.facts.version), h.facts.cloud), 24))} · ${Math.max(0, Math.round(h.latencyMs))} ms`;
    case 'down':
      return '$(error) Chroma unreachable';
    case 'unauthorized':
      return '$(key) Chroma: sign in';
  }
}

function time(ms: number | undefined): string {
  return ms === undefined ? 'never' : new Date(ms).toLocaleTimeString();
}

/** One server-provided value as literal Markdown text. */
const text = (v: unknown, max = 200): string => markdownLine(String(v), max);

export function statusTooltip(h: Health): string {
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
    if (facts) {
      const version = String(facts.version);
      const note = versionNote(version, facts.cloud);
      lines.push(
        `- server: Chroma ${text(serverLabel(version, facts.cloud), 60)}${h.state === 'healthy' ? '' : ' (when last seen)'}`,
        `- version: ${text(version, 60)}${note ? ` (${note})` : ''}`,
      );
    }
    if (h.state === 'healthy') {
      lines.push(`- latency: ${Math.round(h.latencyMs)} ms`);
    }
    if (h.state === 'down' || h.state === 'unauthorized') {
      lines.push(`- status: ${text(h.message, 300)}`);
    }
    const lastOk = h.state === 'healthy' ? h.checkedAt : h.state === 'down' || h.state === 'unauthorized' ? h.lastOkAt : undefined;
    lines.push(`- last successful check: ${time(lastOk)}`);
    if (facts) {
      lines.push(`- max_batch_size: ${text(facts.preflight.max_batch_size, 40)}${facts.cloud ? ' (Chroma Cloud takes 300 records per write)' : ''}`);
      // our own feature labels only: no server text
      lines.push('', '**Capabilities**', '', ...capabilityTooltipLines(facts.capabilities));
    }
  }
  lines.push(
    '',
    '---',
    '',
    `${TELEMETRY_SETTING_LINE} [Telemetry facts](command:${Commands.showTelemetry})`,
    '',
    `[Check now](command:${Commands.checkNow}) · [Switch connection](command:${Commands.switchConnection})`,
  );
  return lines.join('\n');
}
