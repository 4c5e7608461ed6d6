/**
 * The "Server Info" page: what a connection's server says about itself. Every value from the server is escaped or
 * fenced and lists are cut: a page of server text, never server Markdown. No `vscode` here.
 */
import { describeError } from '../../chroma/errors';
import type { ServerProbe } from '../../chroma/probe';
import type { Identity } from '../../chroma/types';
import type { ConnectionConfig } from '../../connections/core/connectionConfig';
import { boundedJson, codeFence, codeLine, markdownLine } from '../../util/text';
import { capabilityTable, serverLabel, versionNote } from './serverText';

/** Chroma Cloud's documented limits, which the client applies before sending. */
const CLOUD_LIMITS =
  'Chroma Cloud limits apply, checked before anything is sent: 300 records per read and per write (its pre-flight may say more), ' +
  '16 KB per document, 32 metadata keys per record, 4,096 dimensions.';

/** The first names of a list as code spans, and how many more there are. */
function listLine(names: readonly unknown[], shown = 20): string {
  const out: string[] = [];
  for (let i = 0; i < names.length && i < shown; i++) {
    out.push(codeLine(String(names[i]), 100));
  }
  return names.length > shown ? `${out.join(', ')} and ${names.length - shown} more` : out.join(', ');
}

export interface ServerInfo {
  probe?: ServerProbe;
  identity?: Identity;
  /** Why the server could not be read. */
  error?: unknown;
}

export function serverInfoMarkdown(conn: ConnectionConfig | undefined, info: ServerInfo): string {
  if (!conn) {
    return '# No connection\n\nAdd a connection first.\n';
  }
  const lines = [`# ${markdownLine(conn.name, 200)}`, '', `- URL: ${codeLine(conn.url, 300)}`];
  const { probe, identity } = info;
  if (probe) {
    const text = (v: unknown, max = 200) => markdownLine(String(v), max);
    const databases = identity && Array.isArray(identity.databases) ? listLine(identity.databases) : '';
    const note = versionNote(String(probe.version), probe.cloud);
    lines.push(
      `- server: Chroma ${text(serverLabel(String(probe.version), probe.cloud), 60)}${probe.capabilities.singleNode ? ', single-node' : ''}`,
      `- version: ${text(probe.version, 60)}${note ? ` (${note})` : ''}`,
      `- latency: ${Math.round(probe.latencyMs)} ms`,
      `- tenant / database: ${codeLine(probe.scope.tenant, 200)} / ${codeLine(probe.scope.database, 200)}`,
      `- identity: ${identity ? `user ${identity.user_id ? codeLine(String(identity.user_id), 200) : '(anonymous)'}, tenant ${codeLine(String(identity.tenant), 200)}, databases ${databases || '(none)'}` : 'not available'}`,
      `- collections in ${codeLine(probe.scope.database, 200)}: ${text(probe.collections, 40)}`,
      '',
      '## Capabilities',
      '',
      `Detected from ${probe.capabilities.openApi ? "the server's OpenAPI (/openapi.json) and its answers" : "the server's answers (it serves no OpenAPI)"}, not from the version.`,
      '',
      ...capabilityTable(probe.capabilities),
      '',
      '## Pre-flight checks',
      '',
      codeFence(boundedJson(probe.preflight, 4_000).text, 'json'),
    );
    if (probe.cloud) {
      lines.push('', CLOUD_LIMITS);
    }
  } else {
    lines.push('', `Could not read the server: ${markdownLine(describeError(info.error), 1_000)}`);
  }
  lines.push('', '## Telemetry', '', 'Configured on the server, not by any client: see **Chroma: Server Telemetry…**.', '');
  return lines.join('\n');
}
