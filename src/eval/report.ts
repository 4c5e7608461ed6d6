/**
 * The Evaluation Report of a set's last run, as a read-only Markdown page in the Markdown preview (the core writes
 * it, every text from the file or a server escaped), and the links that open a case's hits in the Chroma Results
 * view (`chroma.runQuerySpec` with the case's query) for the Test Explorer's failure messages. The report itself
 * has none: the Markdown preview does not follow `command:` links, nor does a report kept in a repository.
 */
import type * as vscode from 'vscode';
import { Commands } from '../platform/commandIds';
import { showMarkdownPage } from '../platform/infoDocuments';
import type { InfoDocuments } from '../platform/infoDocuments';
import type { QuerySpecArg } from '../query/core/specInput';
import { markdownReport } from './core/reportMarkdown';
import { combineWhere } from './core/runner';
import type { CaseResult, EvalCase, EvalSet, EvalTarget } from './core/types';
import type { RecordedRun } from './runs';

/** A vector longer than this makes too long a link: its case gets none. */
const MAX_LINK_DIMENSION = 4096;

/** The query of a case as the Results view runs it: its hits, as many as were judged (k). */
export function hitsSpec(target: EvalTarget, c: EvalCase, k: number): QuerySpecArg | undefined {
  const q = c.query;
  if (q.kind === 'vector' && q.vector.length > MAX_LINK_DIMENSION) {
    return undefined;
  }
  const input = q.kind === 'text' ? { kind: 'text' as const, text: q.text } : q.kind === 'record' ? { kind: 'record' as const, recordId: q.recordId } : { kind: 'vector' as const, vector: q.vector };
  const where = combineWhere(target.where, c.where);
  return {
    connection: target.connection,
    ...(target.tenant ? { tenant: target.tenant } : {}),
    ...(target.database ? { database: target.database } : {}),
    collection: target.collection,
    input,
    nResults: Math.max(1, Math.min(1000, k)),
    ...(where ? { where } : {}),
  };
}

/** A `command:` link that shows a case's hits in the Chroma Results view. */
export function hitsLink(set: EvalSet, target: EvalTarget, result: CaseResult): string | undefined {
  const c = set.cases.find((x) => x.id === result.caseId);
  const spec = c && hitsSpec(target, c, result.k);
  return spec && `command:${Commands.runQuerySpec}?${encodeURIComponent(JSON.stringify([spec]))}`;
}

export function reportMarkdown(r: RecordedRun): string {
  return markdownReport({
    title: r.title,
    file: r.file,
    run: r.run,
    changes: r.changes,
    history: r.history,
    formatTime: (ms) => new Date(ms).toLocaleString(),
  });
}

/** The report page's URI for a set (the page re-renders its last run when opened again). */
export function reportPage(pages: InfoDocuments, r: RecordedRun, latest: () => RecordedRun | undefined): vscode.Uri {
  return pages.page(`/Evaluation Report/${r.file}.md`, () => reportMarkdown(latest() ?? r));
}

export async function showReport(pages: InfoDocuments, r: RecordedRun, latest: () => RecordedRun | undefined): Promise<vscode.Uri> {
  const uri = reportPage(pages, r, latest);
  await showMarkdownPage(uri);
  return uri;
}
