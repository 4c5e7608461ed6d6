/**
 * `chroma.embedding.trustedHosts`: hosts the user lets receive document and query text for embedding without a
 * question (their own embedding server, say). A collection's configuration comes from the Chroma server, so only the
 * user's own settings may name such a host: a workspace's or folder's `.vscode/settings.json` comes with the code
 * someone cloned, so its value is never read (the setting is also declared with `application` scope, which VS Code
 * already keeps out of workspace settings). Trust covers the text only: a key still goes to a host only when the
 * user allowed that key there (approvals.ts). No `vscode` here.
 */
import { displayLine } from '../../util/text';

/** The parts of `WorkspaceConfiguration.inspect()` this reads or deliberately ignores. */
export interface InspectedSetting {
  /** The user's settings (for an `application` setting: the settings of this VS Code, not of a remote). */
  globalValue?: unknown;
  workspaceValue?: unknown;
  workspaceFolderValue?: unknown;
}

/** An entry's origin (scheme, host, port), or a reason it is not one. */
export function trustedOrigin(entry: unknown): { origin: string } | { problem: string } {
  if (typeof entry !== 'string' || !entry.trim()) {
    return { problem: 'not a URL' };
  }
  let u: URL;
  try {
    u = new URL(entry.trim());
  } catch {
    return { problem: 'not a URL (write it with its scheme, e.g. http://embeddings.internal:8080)' };
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    return { problem: `${u.protocol} is not http or https` };
  }
  if (u.username || u.password) {
    return { problem: 'it contains a user name or password' };
  }
  return { origin: u.origin };
}

/**
 * The origins the user trusts, from their user settings only. Entries that are not plain http(s) URLs are left out
 * and reported through `warn` (once per call; callers dedupe).
 */
export function trustedOrigins(inspected: InspectedSetting | undefined, warn?: (message: string) => void): Set<string> {
  const out = new Set<string>();
  const value = inspected?.globalValue;
  if (value === undefined) {
    return out;
  }
  if (!Array.isArray(value)) {
    warn?.('chroma.embedding.trustedHosts is not a list of URLs: no host is trusted from it.');
    return out;
  }
  for (const entry of value) {
    const r = trustedOrigin(entry);
    if ('origin' in r) {
      out.add(r.origin);
    } else {
      warn?.(`chroma.embedding.trustedHosts: ignored ${JSON.stringify(displayLine(String(entry), 80))}: ${r.problem}.`);
    }
  }
  return out;
}
