import * as vscode from 'vscode';

export const INFO_SCHEME = 'chroma-info';

/** Read-only Markdown pages made by the extension (telemetry facts, server info), keyed by path. */
export class InfoDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly pages = new Map<string, () => string | Promise<string>>();
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.emitter.event;

  /** Registers (or replaces) a page and returns its URI; opening it again re-renders it. */
  page(path: string, render: () => string | Promise<string>): vscode.Uri {
    this.pages.set(path, render);
    const uri = vscode.Uri.from({ scheme: INFO_SCHEME, path });
    this.emitter.fire(uri);
    return uri;
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const render = this.pages.get(uri.path);
    return render ? await render() : `# Nothing here\n\n${uri.path} is not a page of Chroma Explorer.\n`;
  }

  dispose(): void {
    this.emitter.dispose();
  }
}

/** Opens a page as rendered Markdown (falls back to the text when no Markdown preview is available). */
export async function showMarkdownPage(uri: vscode.Uri): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(uri);
  try {
    await vscode.commands.executeCommand('markdown.showPreview', uri);
  } catch {
    await vscode.window.showTextDocument(doc, { preview: false });
  }
}
