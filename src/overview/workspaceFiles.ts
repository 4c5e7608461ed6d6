/** Whether a record's `source` file is in the workspace, for the health check's "missing source" finding. */
import * as vscode from 'vscode';
import { candidatesFor } from '../query/core/sourceLink';

/**
 * A check for one health run: `source` (a workspace-relative path, as ingest writes it) names a file in one of the
 * workspace folders. Paths that leave the workspace name nothing. With no folder open nothing can be judged, so
 * every source counts as present. Each path is looked up once per run.
 */
export function sourceExistsInWorkspace(): (source: string) => Promise<boolean> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  const refs = folders.map((f) => ({ scheme: f.uri.scheme, authority: f.uri.authority, path: f.uri.path, name: f.name }));
  const seen = new Map<string, Promise<boolean>>();
  const exists = async (source: string): Promise<boolean> => {
    for (const c of candidatesFor({ source, startLine: 1, endLine: 1 }, refs)) {
      try {
        const stat = await vscode.workspace.fs.stat(vscode.Uri.joinPath(folders[c.folder].uri, ...c.segments));
        if (stat.type & vscode.FileType.File) {
          return true;
        }
      } catch {
        // not there: try the next folder
      }
    }
    return false;
  };
  return (source) => {
    if (folders.length === 0) {
      return Promise.resolve(true);
    }
    let found = seen.get(source);
    if (!found) {
      found = exists(source);
      seen.set(source, found);
    }
    return found;
  };
}
