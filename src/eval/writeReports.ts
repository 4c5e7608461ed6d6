/**
 * Chroma: Write Evaluation Reports: runs every set of the workspace and writes, per set, a JSON report, a JUnit XML
 * and the Markdown report into `chroma.eval.reportFolder` (a path in the workspace), so that the numbers can be
 * kept in the repository and compared in review. The previous JSON report there is the baseline of "changed".
 */
import * as vscode from 'vscode';
import { setting } from '../platform/settings';
import { changedCases } from './core/changes';
import { formatJsonReport, parseJsonReport, reportFileNames } from './core/reportJson';
import { junitReport } from './core/reportJunit';
import { isCancel } from './core/queryVectors';
import { reportMarkdown } from './report';
import type { EvalRuns } from './runs';
import { blockingProblem, findSets, readSet } from './setFiles';

export interface Written {
  folder: vscode.Uri;
  /** Per set: the files written, or why it was not run. */
  sets: Array<{ set: string; files?: vscode.Uri[]; error?: string }>;
}

async function readText(uri: vscode.Uri): Promise<string | undefined> {
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    return undefined;
  }
}

async function writeOne(runs: EvalRuns, uri: vscode.Uri, folder: vscode.Uri, signal: AbortSignal): Promise<Written['sets'][number]> {
  const parsed = await readSet(uri);
  const name = vscode.workspace.asRelativePath(uri, false);
  if (!parsed.set) {
    return { set: name, error: blockingProblem(parsed) };
  }
  const names = reportFileNames(name);
  const jsonUri = vscode.Uri.joinPath(folder, ...names.json.split('/'));
  const before = await readText(jsonUri);
  const recorded = await runs.run(uri, parsed.set, { signal });
  const previous = before === undefined ? undefined : parseJsonReport(before);
  const changes = previous && 'report' in previous ? changedCases(previous.report, recorded.report) : recorded.changes;
  const junitUri = vscode.Uri.joinPath(folder, ...names.junit.split('/'));
  const mdUri = vscode.Uri.joinPath(folder, ...names.json.replace(/\.eval\.json$/, '.eval.md').split('/'));
  const encode = (s: string) => new TextEncoder().encode(s);
  await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(jsonUri, '..'));
  await vscode.workspace.fs.writeFile(jsonUri, encode(formatJsonReport(recorded.report)));
  await vscode.workspace.fs.writeFile(junitUri, encode(junitReport(recorded.run, recorded.title)));
  await vscode.workspace.fs.writeFile(mdUri, encode(reportMarkdown({ ...recorded, changes })));
  return { set: name, files: [jsonUri, junitUri, mdUri] };
}

export async function writeReportsCommand(runs: EvalRuns): Promise<Written | undefined> {
  const root = vscode.workspace.workspaceFolders?.[0]?.uri;
  if (!root) {
    throw new Error('Evaluation reports are written into the workspace: open a folder first.');
  }
  const sets = await findSets();
  if (sets.length === 0) {
    throw new Error('This workspace has no evaluation sets (*.chroma-eval.json or .jsonl): make one with "Chroma: Generate Evaluation Set…".');
  }
  const rel = (setting('chroma.eval.reportFolder') || 'eval-reports').trim();
  if (rel.split(/[/\\]+/).includes('..') || /^([A-Za-z]:)?[/\\]/.test(rel)) {
    throw new Error(`"chroma.eval.reportFolder" is ${JSON.stringify(rel)}: use a folder inside the workspace, such as "eval-reports".`);
  }
  const folder = vscode.Uri.joinPath(root, ...rel.split(/[/\\]+/).filter(Boolean));
  const written = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Writing evaluation reports', cancellable: true },
    async (progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      const out: Written = { folder, sets: [] };
      for (const [i, uri] of sets.entries()) {
        progress.report({ message: `${vscode.workspace.asRelativePath(uri)} (${i + 1} of ${sets.length})`, increment: 100 / sets.length });
        try {
          out.sets.push(await writeOne(runs, uri, folder, abort.signal));
        } catch (e) {
          if (isCancel(e, abort.signal)) {
            return undefined;
          }
          out.sets.push({ set: vscode.workspace.asRelativePath(uri), error: e instanceof Error ? e.message : String(e) });
        }
      }
      return out;
    },
  );
  if (!written) {
    return undefined;
  }
  const failed = written.sets.filter((s) => s.error);
  const done = written.sets.length - failed.length;
  const message = `Wrote the reports of ${done} of ${written.sets.length} evaluation sets to ${rel}.${failed.length > 0 ? ` Not run: ${failed.map((f) => `${f.set} (${f.error})`).join('; ').slice(0, 400)}` : ''}`;
  void (failed.length > 0 ? vscode.window.showWarningMessage(message) : vscode.window.showInformationMessage(message));
  return written;
}
