/**
 * How a server is named and its capabilities told, for the status bar, its tooltip, Server Info and Check Server.
 * Every 1.x server reports version "1.0.0" (hard-coded), so only the major is shown for 1.x; 0.x servers report
 * their own. Markdown helpers escape all server text. No `vscode` here.
 */
import { FEATURES, FEATURE_LABELS } from '../../chroma/featureNames';
import type { ServerCapabilities, Support } from '../../chroma/featureNames';
import { CLOUD_MAX_RECORDS_PER_REQUEST } from '../../chroma/limits';
import type { ServerProbe } from '../../chroma/probe';
import { displayLine, markdownLine } from '../../util/text';

const SEMVER = /^(\d{1,4})\.(\d{1,4})\.(\d{1,6})(?:[-+][0-9A-Za-z.-]{1,40})?$/;

/**
 * What is known of the server's version: "Cloud", "1.x" for any 1.x (they all say 1.0.0), a 0.x server's own
 * version, or the reported string as it is when it is not a version (callers escape it).
 */
export function serverLabel(version: string, cloud: boolean): string {
  if (cloud) {
    return 'Cloud';
  }
  const m = SEMVER.exec(version);
  if (!m) {
    return version;
  }
  const major = Number(m[1]);
  return major >= 1 ? `${major}.x` : version;
}

/** Why the label is not the reported version, when it is not: for tooltips and pages. */
export function versionNote(version: string, cloud: boolean): string | undefined {
  const label = serverLabel(version, cloud);
  if (label === version) {
    return undefined;
  }
  return cloud ? 'as reported' : `as reported; every ${label} server reports 1.0.0, so only the major version is known`;
}

const SUPPORT_WORDS: Record<Support, string> = { yes: 'supported', no: 'not supported', unknown: 'not known' };

/** "supported: a, b; not supported: c; not known: d" — the labels are ours, so no escaping is needed. */
export function capabilitySummary(caps: ServerCapabilities): string {
  const parts: string[] = [];
  for (const support of ['yes', 'no', 'unknown'] as const) {
    const labels = FEATURES.filter((f) => caps.features[f].support === support).map((f) => FEATURE_LABELS[f]);
    if (labels.length) {
      parts.push(`${SUPPORT_WORDS[support]}: ${labels.join(', ')}`);
    }
  }
  return parts.join('; ');
}

/** Tooltip lines (Markdown list items): one per support level, with our own labels only. */
export function capabilityTooltipLines(caps: ServerCapabilities): string[] {
  const lines: string[] = [];
  for (const support of ['yes', 'no', 'unknown'] as const) {
    const labels = FEATURES.filter((f) => caps.features[f].support === support).map((f) => FEATURE_LABELS[f]);
    if (labels.length) {
      lines.push(`- ${SUPPORT_WORDS[support]}: ${labels.join(', ')}`);
    }
  }
  if (caps.singleNode) {
    lines.push('- a single-node server (its answers say "local")');
  }
  return lines;
}

/** A Markdown table of every feature, whether it is supported and how that was learnt (server words escaped). */
export function capabilityTable(caps: ServerCapabilities): string[] {
  const lines = ['| feature | supported | how it was learnt |', '|---|---|---|'];
  for (const f of FEATURES) {
    const c = caps.features[f];
    // one line, every punctuation character escaped: a pipe cannot end the cell
    const how = markdownLine(c.how, 200);
    lines.push(`| ${FEATURE_LABELS[f]} | ${c.support === 'yes' ? 'yes' : c.support === 'no' ? 'no' : 'not known'} | ${how} |`);
  }
  return lines;
}

/** Check Server's one line (plain text: a notification shows it as it is). */
export function checkSummary(host: string, probe: ServerProbe): string {
  const label = displayLine(serverLabel(String(probe.version), probe.cloud), 40);
  return (
    `Chroma ${label} at ${host}: ${Math.round(probe.latencyMs)} ms, ` +
    `${probe.collections} collection${probe.collections === 1 ? '' : 's'} in ${displayLine(probe.scope.tenant, 80)}/${displayLine(probe.scope.database, 80)}, ` +
    `max batch ${probe.cloud ? Math.min(CLOUD_MAX_RECORDS_PER_REQUEST, probe.preflight.max_batch_size) : probe.preflight.max_batch_size}; ${capabilitySummary(probe.capabilities)}.`
  );
}
