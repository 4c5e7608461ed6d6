/**
 * What an overview panel needs to open again after a window reload: which collection on which connection. The page
 * keeps it in its webview state (VS Code hands that state to the panel serializer), so it comes back from the page
 * and is checked like anything the page sends. No `vscode` here.
 */

export interface RestoreInfo {
  connection: string;
  tenant: string;
  database: string;
  /** The collection's id: a collection of the same name made since is not the one the panel showed. */
  id: string;
  name: string;
}

const FIELDS = ['connection', 'tenant', 'database', 'id', 'name'] as const;
const MAX = 1_024;

/** The restore info in a webview state, or undefined when there is none or it is not well formed. */
export function restoreInfoOf(state: unknown): RestoreInfo | undefined {
  const r = typeof state === 'object' && state !== null ? (state as { restore?: unknown }).restore : undefined;
  if (typeof r !== 'object' || r === null || Array.isArray(r)) {
    return undefined;
  }
  const out: Partial<Record<(typeof FIELDS)[number], string>> = {};
  for (const f of FIELDS) {
    const v = (r as Record<string, unknown>)[f];
    if (typeof v !== 'string' || v.length === 0 || v.length > MAX) {
      return undefined;
    }
    out[f] = v;
  }
  return out as RestoreInfo;
}

/** An open panel as the extension remembers it: its title (VS Code restores it) and its collection. */
export interface OpenPanelEntry {
  title: string;
  restore: RestoreInfo;
}

/**
 * The collection of a restored panel whose page state did not say (a browser's workbench may reload before it has
 * stored the page's state): the one remembered open panel with that title, if exactly one has it.
 */
export function restoreInfoByTitle(entries: unknown, title: string): RestoreInfo | undefined {
  if (!Array.isArray(entries)) {
    return undefined;
  }
  const matches = entries.filter((e: unknown) => typeof e === 'object' && e !== null && (e as { title?: unknown }).title === title);
  return matches.length === 1 ? restoreInfoOf(matches[0]) : undefined;
}
