/**
 * The Chroma data folders of the workspace: every `chroma.sqlite3` that `workspace.findFiles` finds, leaving out
 * what `files.exclude` and `search.exclude` leave out, in bounded time and count.
 */
import * as vscode from 'vscode';
import { SQLITE_FILE, dataFolderOfSqlite } from './core/dataFolder';

/** Most data folders listed, and the longest search. */
export const MAX_FOUND = 200;
export const FIND_TIMEOUT_MS = 5_000;

/** One glob of every pattern files.exclude and search.exclude turn on (findFiles applies only the given exclude). */
export function excludeGlob(scope?: vscode.Uri): string | undefined {
  const patterns = new Set<string>();
  for (const key of ['files.exclude', 'search.exclude']) {
    const value = vscode.workspace.getConfiguration(undefined, scope).get<Record<string, unknown>>(key) ?? {};
    for (const [pattern, on] of Object.entries(value)) {
      // `{ when: … }` conditions need a sibling file: leaving such a folder in is the safe side
      if (on === true) {
        patterns.add(pattern);
      }
    }
  }
  return patterns.size ? `{${[...patterns].join(',')}}` : undefined;
}

export interface FoundFolders {
  folders: string[];
  /** True when the search hit its time or count bound: there may be more. */
  partial: boolean;
}

/** The data folders of the workspace, sorted by path. */
export async function findDataFolders(timeoutMs = FIND_TIMEOUT_MS): Promise<FoundFolders> {
  if (!vscode.workspace.workspaceFolders?.length) {
    return { folders: [], partial: false };
  }
  const source = new vscode.CancellationTokenSource();
  const timer = setTimeout(() => source.cancel(), timeoutMs);
  try {
    const uris = await vscode.workspace.findFiles(`**/${SQLITE_FILE}`, excludeGlob(), MAX_FOUND + 1, source.token);
    const folders = [...new Set(uris.filter((u) => u.scheme === 'file').map((u) => dataFolderOfSqlite(u.fsPath)))]
      .filter((f): f is string => f !== undefined)
      .sort();
    return { folders: folders.slice(0, MAX_FOUND), partial: source.token.isCancellationRequested || uris.length > MAX_FOUND };
  } catch {
    return { folders: [], partial: true };
  } finally {
    clearTimeout(timer);
    source.dispose();
  }
}
