/**
 * .gitignore rules, each applied below the folder that holds it (with the `ignore` package, loaded on first use:
 * only adding folders needs it). No `vscode` here.
 */

export interface IgnoreFile {
  /** Folder of the .gitignore, relative to the workspace folder, '' for its root, forward slashes. */
  dir: string;
  content: string;
}

/** A predicate on workspace-relative paths (forward slashes): true when some .gitignore excludes the path. */
export async function gitignoreFilter(files: readonly IgnoreFile[]): Promise<(relPath: string) => boolean> {
  const { default: ignore } = await import('ignore');
  const rules = files.map((f) => ({ prefix: f.dir ? `${f.dir.replace(/\/+$/, '')}/` : '', ig: ignore().add(f.content) }));
  return (relPath) =>
    rules.some(({ prefix, ig }) => relPath.startsWith(prefix) && relPath.length > prefix.length && ig.ignores(relPath.slice(prefix.length)));
}
