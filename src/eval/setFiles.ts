/**
 * Evaluation set files in the workspace: finding them, reading their text (the open editor's when there is one,
 * so unsaved edits count) and parsing it with the core, and turning the core's offsets into editor positions.
 */
import * as vscode from 'vscode';
import { EVAL_GLOB, formatOf, parseEvalSet } from './core/parse';
import type { ParsedSet } from './core/parse';
import type { Span } from './core/types';

export { EVAL_GLOB };

/** Saved and untitled evaluation sets, .json and .jsonl, whatever language the editor gave them. */
export const EVAL_SELECTOR: vscode.DocumentSelector = ['file', 'untitled'].map((scheme) => ({ scheme, pattern: '**/*.chroma-eval.{json,jsonl}' }));

/** Files of at most this size are read (a set of 100,000 short cases fits). */
const MAX_FILE_BYTES = 64 * 1024 * 1024;

export function isEvalUri(uri: vscode.Uri): boolean {
  return (uri.scheme === 'file' || uri.scheme === 'untitled') && /\.chroma-eval\.jsonl?$/i.test(uri.path);
}

/** The file's name without its folders. */
export function baseName(uri: vscode.Uri): string {
  return uri.path.split('/').pop() ?? uri.path;
}

/** The set's path relative to its workspace folder (as reports and ingest name files). */
export function workspacePath(uri: vscode.Uri): string {
  return vscode.workspace.asRelativePath(uri, false);
}

/** Offsets of a text to positions, with the line starts computed once. */
export class Lines {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
      this.starts.push(i + 1);
    }
  }

  position(offset: number): vscode.Position {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return new vscode.Position(lo, offset - this.starts[lo]);
  }

  range(span: Span): vscode.Range {
    return new vscode.Range(this.position(span.start), this.position(span.end));
  }
}

export interface ReadSet extends ParsedSet {
  uri: vscode.Uri;
  text: string;
  lines: Lines;
}

/** The text of a set: the open document's, else the file's. */
export async function setText(uri: vscode.Uri): Promise<string> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open) {
    return open.getText();
  }
  const stat = await vscode.workspace.fs.stat(uri);
  if (stat.size > MAX_FILE_BYTES) {
    throw new Error(`${baseName(uri)} is ${Math.round(stat.size / 1024 / 1024)} MB; evaluation sets of up to ${MAX_FILE_BYTES / 1024 / 1024} MB are read. Split it into smaller sets.`);
  }
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
}

export async function readSet(uri: vscode.Uri): Promise<ReadSet> {
  const text = await setText(uri);
  return { uri, text, lines: new Lines(text), ...parseEvalSet(text, formatOf(uri.path)) };
}

/** The evaluation sets of the workspace, in path order. */
export async function findSets(): Promise<vscode.Uri[]> {
  const uris = await vscode.workspace.findFiles(EVAL_GLOB, '**/node_modules/**', 10_000);
  return uris.sort((a, b) => a.path.localeCompare(b.path));
}

/** The set's title: its name, else its file name. */
export function setTitle(set: { set?: { name?: string } }, uri: vscode.Uri): string {
  return set.set?.name ?? baseName(uri);
}

/** The first error that keeps the set from running, as one line (undefined when it can run). */
export function blockingProblem(parsed: ReadSet): string | undefined {
  if (parsed.set) {
    return undefined;
  }
  const p = parsed.problems.find((x) => x.severity === 'error');
  const at = p ? parsed.lines.position(p.span.start) : undefined;
  return p && at ? `${baseName(parsed.uri)}:${at.line + 1}: ${p.message}` : `${baseName(parsed.uri)} cannot be read as an evaluation set.`;
}
