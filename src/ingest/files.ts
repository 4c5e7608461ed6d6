/**
 * Workspace files as Add Files to Collection… reads them: folders walked with chroma.ingest.include, files.exclude
 * and .gitignore; each file read with the size and binary checks and its folder's chunk settings. Shared by the
 * command and the agent tool that adds workspace files.
 */
import * as vscode from 'vscode';
import { gitignoreFilter } from './core/gitignore';
import type { IgnoreFile } from './core/gitignore';
import { inputProblem } from './core/records';
import type { ChunkConfig, IngestDocument } from './core/run';
import { setting } from '../platform/settings';
import { languageIdFor, sourceInfo } from './source';

/** The `chroma.ingest.*` settings as they apply to a file or folder (they have `resource` scope). */
export function readIngestConfig(scope: vscode.Uri): { chunks: ChunkConfig; maxBytes: number; include: string } {
  return {
    chunks: {
      chunkSize: setting('chroma.ingest.chunkSize', scope),
      chunkOverlap: setting('chroma.ingest.chunkOverlap', scope),
      chunkSizeTokens: setting('chroma.ingest.chunkSizeTokens', scope),
      chunkOverlapTokens: setting('chroma.ingest.chunkOverlapTokens', scope),
      sizeUnit: setting('chroma.ingest.sizeUnit', scope),
      idStrategy: setting('chroma.ingest.idStrategy', scope),
    },
    maxBytes: setting('chroma.ingest.maxFileSizeMB', scope) * 1024 * 1024,
    include: setting('chroma.ingest.include', scope),
  };
}

/** Whether a workspace-relative path is ignored by the folder's .gitignore files. */
export async function gitignoredIn(folder: vscode.WorkspaceFolder): Promise<(relativePath: string) => boolean> {
  const ignoreUris = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, '**/.gitignore'));
  const files: IgnoreFile[] = [];
  for (const g of ignoreUris) {
    const rel = vscode.workspace.asRelativePath(g, false).replace(/\\/g, '/');
    const dir = rel.includes('/') ? rel.slice(0, rel.lastIndexOf('/')) : '';
    files.push({ dir, content: Buffer.from(await vscode.workspace.fs.readFile(g)).toString('utf8') });
  }
  const filter = await gitignoreFilter(files);
  return (rel) => filter(rel);
}

/** The workspace-relative path of a file, with forward slashes. */
export const relativePath = (uri: vscode.Uri): string => vscode.workspace.asRelativePath(uri, false).replace(/\\/g, '/');

/** Files under the given URIs: folders walked with the include glob, files.exclude and .gitignore. */
export async function filesUnder(uris: readonly vscode.Uri[]): Promise<vscode.Uri[]> {
  const out = new Map<string, vscode.Uri>();
  for (const uri of uris) {
    const cfg = readIngestConfig(uri);
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.type & vscode.FileType.Directory) {
      const folder = vscode.workspace.getWorkspaceFolder(uri);
      const found = await vscode.workspace.findFiles(new vscode.RelativePattern(uri, cfg.include));
      const ignored = folder ? await gitignoredIn(folder) : () => false;
      for (const f of found) {
        if (!ignored(relativePath(f))) {
          out.set(f.toString(), f);
        }
      }
    } else {
      out.set(uri.toString(), uri);
    }
  }
  return [...out.values()].sort((a, b) => a.path.localeCompare(b.path));
}

/** Reads files as documents to add (the open editor's text when the file is open); what cannot be added is skipped, with why. */
export async function readFileDocs(uris: readonly vscode.Uri[], signal?: AbortSignal): Promise<{ docs: IngestDocument[]; skipped: string[] }> {
  const docs: IngestDocument[] = [];
  const skipped: string[] = [];
  for (const uri of uris) {
    if (signal?.aborted) {
      break;
    }
    const bytes = await vscode.workspace.fs.readFile(uri);
    const rel = vscode.workspace.asRelativePath(uri, false);
    const cfg = readIngestConfig(uri);
    const problem = inputProblem(bytes, rel, cfg.maxBytes);
    if (problem) {
      skipped.push(problem.reason);
      continue;
    }
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    const languageId = open?.languageId ?? languageIdFor(uri.path);
    docs.push({ name: rel, text: open?.getText() ?? Buffer.from(bytes).toString('utf8'), info: await sourceInfo(uri, languageId), config: cfg.chunks });
  }
  return { docs, skipped };
}
