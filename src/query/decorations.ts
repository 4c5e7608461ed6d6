/**
 * A mark in the gutter (and the overview ruler) on the lines of source files that the current results came from,
 * so a developer sees which parts of their code retrieval returns. Only while results are shown, and only with
 * `chroma.query.highlightSourceLines`.
 */
import * as vscode from 'vscode';
import { escapeMarkdown } from '../util/text';

export interface LineMark {
  uri: vscode.Uri;
  /** 1-based, inclusive. */
  startLine: number;
  endLine: number;
  /** One line for the hover, e.g. `Chroma hit 2 for “query” (distance 0.31)`. */
  hover: string;
}

// A bar the height of a line: consecutive marked lines read as one strip. Inline, so it needs no packaged file.
const BAR = '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16"><rect x="5" y="0" width="4" height="16" fill="#327EFF"/></svg>';
const BAR_URI = vscode.Uri.parse(`data:image/svg+xml;base64,${Buffer.from(BAR).toString('base64')}`);

export class SourceLineDecorations implements vscode.Disposable {
  private readonly type = vscode.window.createTextEditorDecorationType({
    gutterIconPath: BAR_URI,
    gutterIconSize: 'contain',
    overviewRulerColor: '#327EFF99',
    overviewRulerLane: vscode.OverviewRulerLane.Left,
    isWholeLine: true,
  });
  private byFile = new Map<string, vscode.DecorationOptions[]>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly enabled: () => boolean) {
    this.subscriptions = [this.type, vscode.window.onDidChangeVisibleTextEditors((editors) => this.apply(editors))];
  }

  /** Shows these marks (replacing the ones before) in every visible editor of their files. */
  set(marks: readonly LineMark[]): void {
    const byFile = new Map<string, vscode.DecorationOptions[]>();
    for (const m of marks) {
      const key = m.uri.toString();
      const hover = new vscode.MarkdownString(escapeMarkdown(m.hover), false);
      hover.isTrusted = false;
      const list = byFile.get(key) ?? [];
      list.push({ range: new vscode.Range(m.startLine - 1, 0, m.endLine - 1, 0), hoverMessage: hover });
      byFile.set(key, list);
    }
    this.byFile = byFile;
    this.apply(vscode.window.visibleTextEditors);
  }

  /** The marked ranges of a file (for tests and the hover), as 1-based line pairs. */
  linesOf(uri: vscode.Uri): Array<[number, number]> {
    return (this.byFile.get(uri.toString()) ?? []).map((d) => [d.range.start.line + 1, d.range.end.line + 1]);
  }

  /** Re-applies after the setting changed. */
  refresh(): void {
    this.apply(vscode.window.visibleTextEditors);
  }

  private apply(editors: readonly vscode.TextEditor[]): void {
    const on = this.enabled();
    for (const editor of editors) {
      editor.setDecorations(this.type, on ? (this.byFile.get(editor.document.uri.toString()) ?? []) : []);
    }
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
  }
}
