import * as vscode from 'vscode';
import type { SourceInfo } from './core/records';

interface GitApi {
  getRepository(uri: vscode.Uri): { state: { HEAD?: { commit?: string } } } | null;
}

/** The HEAD commit of the git repository holding `uri`, through VS Code's git extension (no shelling out). */
async function gitCommit(uri: vscode.Uri): Promise<string | undefined> {
  try {
    const ext = vscode.extensions.getExtension<{ getAPI(v: 1): GitApi }>('vscode.git');
    if (!ext) {
      return undefined;
    }
    const api = (ext.isActive ? ext.exports : await ext.activate()).getAPI(1);
    return api.getRepository(uri)?.state.HEAD?.commit || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Where a document comes from: a workspace-relative `source` path for files, the title for untitled editors, the
 * URI for other schemes (which get no `source`).
 */
export async function sourceInfo(uri: vscode.Uri, languageId: string): Promise<SourceInfo> {
  if (uri.scheme === 'untitled') {
    const title = uri.path.split('/').pop() || 'Untitled';
    return { uri: uri.toString(), languageId, idBase: title };
  }
  if (uri.scheme !== 'file' && uri.scheme !== 'vscode-remote') {
    return { uri: uri.toString(), languageId, idBase: uri.toString() };
  }
  const source = vscode.workspace.asRelativePath(uri, false).replace(/\\/g, '/');
  return { source, uri: uri.toString(), languageId, idBase: source, gitCommit: await gitCommit(uri) };
}

/** The language id VS Code would give a file it has not opened, from its extension. */
export function languageIdFor(path: string): string {
  const ext = path.toLowerCase().split('.').pop() ?? '';
  const map: Record<string, string> = {
    md: 'markdown', mdx: 'mdx', markdown: 'markdown', txt: 'plaintext', rst: 'restructuredtext', py: 'python', js: 'javascript',
    jsx: 'javascriptreact', ts: 'typescript', tsx: 'typescriptreact', java: 'java', go: 'go', rs: 'rust', c: 'c', h: 'c',
    cpp: 'cpp', hpp: 'cpp', cs: 'csharp', rb: 'ruby', php: 'php', json: 'json', yaml: 'yaml', yml: 'yaml', toml: 'toml',
    html: 'html', css: 'css', sh: 'shellscript', sql: 'sql',
  };
  return map[ext] ?? 'plaintext';
}
