/**
 * What the results view shows for a run, as plain data: the header (the query), one item per hit (rank, distance,
 * id, a document snippet, where it came from and whether that changed), tooltips, and the JSON that Copy Results
 * writes. Server text is cleaned to one bounded line for labels and escaped for Markdown. No `vscode` here.
 */
import { jsonBlock, numberText, preview, VIEW_LIMITS } from '../../explorer/core/recordView';
import { codeLine, displayLine, formatCount, hasOwnKeys, markdownLine } from '../../util/text';
import { describeFilter } from '../../filter/core/describe';
import type { QueryHit, QueryInput, QueryRun, QuerySpec } from './spec';
import { describeLink, sourceLinkOf } from './sourceLink';
import type { Freshness, SourceLink } from './sourceLink';

/** One query shown in the view: its run, or why it failed. */
export interface ResultsEntry {
  /** Unique per query shown, for the items' ids. */
  seq: number;
  spec: QuerySpec;
  run?: QueryRun;
  error?: string;
}

export interface HeaderModel {
  id: string;
  label: string;
  description: string;
}

/** What is known about a hit's file: whether its lines still hold the chunk, or that it is not in the workspace. */
export type HitStatus = Freshness | { state: 'missing'; reason: string };

export interface HitModel {
  id: string;
  hit: QueryHit;
  label: string;
  description: string;
  /** Where the hit came from, when its metadata says (Go to Source). */
  link?: SourceLink;
  status?: HitStatus;
}

const LABEL_MAX = 120;

/** The query in a few words: the text, "similar to <id>", or "vector (384-d)". */
export function describeInput(input: QueryInput, max = 80): string {
  switch (input.kind) {
    case 'text':
      return `“${displayLine(input.text, max) || ' '}”`;
    case 'record':
      return `similar to ${displayLine(input.recordId, max)}`;
    case 'vector':
      return `vector (${input.vector.length}-d)`;
  }
}

/** The spec's filter in one line, or '' for none. */
export function filterText(spec: QuerySpec): string {
  return spec.where || spec.whereDocument ? describeFilter({ where: spec.where, whereDocument: spec.whereDocument }) : '';
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Local wall-clock time, HH:MM:SS (written out: Intl's first use loads ICU data). */
export function clock(epochMs: number): string {
  const d = new Date(epochMs);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function headerModel(entry: ResultsEntry): HeaderModel {
  const { spec, run } = entry;
  const parts = [displayLine(spec.collection, 60)];
  if (run) {
    parts.push(`${run.hits.length} hit${run.hits.length === 1 ? '' : 's'}`);
    const filter = filterText(spec);
    if (filter) {
      parts.push(displayLine(filter, 60));
    }
    parts.push(`${Math.round(run.tookMs)} ms`, clock(run.ranAt));
  } else {
    parts.push('failed');
  }
  return { id: `q${entry.seq}`, label: displayLine(describeInput(spec.input, LABEL_MAX), LABEL_MAX + 2), description: parts.join(' · ') };
}

export function headerTooltip(entry: ResultsEntry): string {
  const { spec, run } = entry;
  const n = VIEW_LIMITS.name;
  const lines: string[] = [];
  switch (spec.input.kind) {
    case 'text':
      lines.push(`**Query** ${markdownLine(spec.input.text, 400)}`);
      break;
    case 'record':
      lines.push(`**Similar to** ${codeLine(spec.input.recordId, n)} (its stored embedding; the record itself left out)`);
      break;
    case 'vector':
      lines.push(`**Vector** of ${spec.input.vector.length} dimensions`);
      break;
  }
  lines.push(
    '',
    `Collection ${codeLine(spec.collection, n)} in ${codeLine(spec.tenant, n)}/${codeLine(spec.database, n)} on ${codeLine(spec.connection, n)}`,
    '',
    `n\\_results ${spec.nResults}; include ${spec.include.map((i) => codeLine(i, 20)).join(', ')}`,
  );
  const filter = filterText(spec);
  lines.push('', filter ? `Filter ${codeLine(filter, 1_000)}` : 'No filter');
  if (run) {
    lines.push('', `Ran at ${clock(run.ranAt)}; the server answered in ${Math.round(run.tookMs)} ms with ${formatCount(run.hits.length)} hits`);
    if (run.embeddedWith) {
      lines.push('', `Embedded with ${codeLine(run.embeddedWith, n)}`);
    }
  } else if (entry.error) {
    lines.push('', `**Failed:** ${markdownLine(entry.error, 500)}`);
  }
  return lines.join('\n');
}

function marker(s: HitStatus | undefined): string | undefined {
  switch (s?.state) {
    case 'stale':
      return 'stale';
    case 'missing':
      return 'file not found';
    case 'moved':
      return `moved to ${s.startLine === s.endLine ? s.startLine : `${s.startLine}–${s.endLine}`}`;
    default:
      return undefined;
  }
}

/** One hit's item; `status` is filled in once its file has been looked for and read. */
export function hitModel(entry: ResultsEntry, hit: QueryHit, status?: HitStatus): HitModel {
  const link = sourceLinkOf(hit.metadata);
  const parts: string[] = [];
  if (hit.distance !== null) {
    parts.push(numberText(hit.distance, 4));
  }
  const mark = marker(status);
  if (mark) {
    parts.push(mark);
  }
  if (link) {
    parts.push(displayLine(describeLink(link), 60));
  }
  const snippet = preview(hit.document, 80);
  if (snippet) {
    parts.push(snippet);
  }
  return {
    id: `q${entry.seq}/${hit.rank}`,
    hit,
    label: `${hit.rank}. ${displayLine(hit.id, LABEL_MAX) || ' '}`,
    description: parts.join(' · '),
    link,
    status,
  };
}

/** The items of a run's hits, in rank order. */
export function hitModels(entry: ResultsEntry, status?: (hit: QueryHit) => HitStatus | undefined): HitModel[] {
  return (entry.run?.hits ?? []).map((h) => hitModel(entry, h, status?.(h)));
}

/** A hit's tooltip: id, distance, where it came from, the document's start, the metadata (escaped, bounded). */
export function hitTooltip(model: HitModel): string {
  const { hit, link, status } = model;
  const lines = [`**${hit.rank}.** ${codeLine(hit.id, VIEW_LIMITS.name)}${hit.distance === null ? '' : ` · distance ${numberText(hit.distance, 4)}`}`, ''];
  if (link) {
    lines.push(`From ${codeLine(describeLink(link), VIEW_LIMITS.name)}`);
    if (status?.state === 'stale') {
      lines.push('', `**Stale:** ${markdownLine(status.reason, 300)}. Add the file again to refresh its records.`);
    } else if (status?.state === 'moved') {
      lines.push('', `**Moved:** the chunk is at lines ${status.startLine}–${status.endLine} now.`);
    } else if (status?.state === 'missing') {
      lines.push('', `**Not found:** ${markdownLine(status.reason, 300)}.`);
    } else if (status?.state === 'unchecked') {
      lines.push('', `_Not checked: ${markdownLine(status.reason, 300)}._`);
    }
    lines.push('');
  }
  lines.push(hit.document === null ? '_no document_' : markdownLine(hit.document, 400) || '_empty document_');
  if (hasOwnKeys(hit.metadata)) {
    lines.push('', jsonBlock(hit.metadata, VIEW_LIMITS.smallJson, 2));
  }
  return lines.join('\n');
}

/** Copy Results as JSON: each query with its hits. Vectors are kept (they are the query); numbers as JSON has them. */
export function resultsJson(entries: readonly ResultsEntry[]): string {
  const one = (e: ResultsEntry) => ({
    query: e.spec,
    ...(e.run
      ? {
          collectionId: e.run.collection.id,
          ranAt: new Date(e.run.ranAt).toISOString(),
          tookMs: Math.round(e.run.tookMs),
          ...(e.run.embeddedWith ? { embeddedWith: e.run.embeddedWith } : {}),
          hits: e.run.hits.map((h) => ({
            rank: h.rank,
            id: h.id,
            distance: h.distance,
            document: h.document,
            metadata: h.metadata,
            ...(h.uri !== null ? { uri: h.uri } : {}),
            ...(h.embedding !== null ? { embedding: h.embedding } : {}),
          })),
        }
      : { error: e.error ?? 'failed' }),
  });
  return JSON.stringify(entries.length === 1 ? one(entries[0]) : entries.map(one), null, 2);
}
