/**
 * Connections as the `chroma.connections` setting holds them, and the pure rules around them: validation, default
 * names, where their secret is kept, and which auth a secret becomes. No `vscode` here.
 */
import type { ChromaAuth } from '../../chroma/auth';
import { normalizeBaseUrl } from '../../chroma/baseUrl';

export type AuthHeader = 'x-chroma-token' | 'authorization' | 'basic';

export interface ConnectionConfig {
  name: string;
  url: string;
  tenant?: string;
  database?: string;
  authHeader?: AuthHeader;
  /**
   * A server this window runs on a local data folder ("./chroma"): shown in the tree and the status bar while it
   * runs, never read from or written to settings.
   */
  local?: string;
}

export const CHROMA_CLOUD_URL = 'https://api.trychroma.com';
export const LOCAL_URL = 'http://localhost:8000';

const AUTH_HEADERS: readonly AuthHeader[] = ['x-chroma-token', 'authorization', 'basic'];

/** Never names the user or the password: either may be a token. */
export const CREDENTIALS_IN_URL =
  'The URL has a user name or password in it (user:password@host). Remove them from the URL and choose Basic auth ' +
  "for the connection instead: its password is kept in VS Code's secret storage, never in settings or logs.";

// scheme, then an authority with an '@' before its end (with or without slashes: http:user@host parses as a host)
const USERINFO = /^\s*[a-z][a-z0-9+.-]*:[\\/]*[^\\/?#@]*@/i;

/** Whether a URL carries credentials (user:password@host); also for text that is not a valid URL. */
export function hasUrlCredentials(url: string): boolean {
  try {
    const parsed = new URL(url.trim());
    return parsed.username !== '' || parsed.password !== '';
  } catch {
    // not a URL: the pattern still spots user info, so the message about it is the one shown
    return USERINFO.test(url);
  }
}

/**
 * What is wrong with a connection URL, or undefined: credentials in it (refused, without echoing them), or what
 * `normalizeBaseUrl` refuses.
 */
export function connectionUrlProblem(url: string): string | undefined {
  if (hasUrlCredentials(url)) {
    return CREDENTIALS_IN_URL;
  }
  try {
    normalizeBaseUrl(url);
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/** The setting's array, keeping the valid entries and saying what is wrong with the others. */
export function parseConnections(raw: unknown): { connections: ConnectionConfig[]; problems: string[] } {
  const connections: ConnectionConfig[] = [];
  const problems: string[] = [];
  if (raw === undefined || raw === null) {
    return { connections, problems };
  }
  if (!Array.isArray(raw)) {
    return { connections, problems: ['chroma.connections must be an array of connections.'] };
  }
  const names = new Set<string>();
  raw.forEach((entry: unknown, i) => {
    const e = (entry ?? {}) as Record<string, unknown>;
    const where = `chroma.connections[${i}]`;
    if (typeof e.name !== 'string' || !e.name.trim()) {
      problems.push(`${where} has no name.`);
      return;
    }
    if (typeof e.url !== 'string') {
      problems.push(`${where} ("${e.name}") has no url.`);
      return;
    }
    const urlProblem = connectionUrlProblem(e.url);
    if (urlProblem) {
      problems.push(`${where} ("${e.name}"): ${urlProblem}`);
      return;
    }
    if (names.has(e.name)) {
      problems.push(`${where}: the name "${e.name}" is used twice; the second one is ignored.`);
      return;
    }
    if (e.authHeader !== undefined && !AUTH_HEADERS.includes(e.authHeader as AuthHeader)) {
      problems.push(`${where} ("${e.name}"): authHeader must be one of ${AUTH_HEADERS.join(', ')}.`);
      return;
    }
    names.add(e.name);
    connections.push({
      name: e.name,
      url: e.url,
      ...(typeof e.tenant === 'string' && e.tenant ? { tenant: e.tenant } : {}),
      ...(typeof e.database === 'string' && e.database ? { database: e.database } : {}),
      ...(e.authHeader ? { authHeader: e.authHeader as AuthHeader } : {}),
    });
  });
  return { connections, problems };
}

/** `host:port` of a URL, the default name of a new connection. */
export function defaultConnectionName(url: string): string {
  const u = new URL(normalizeBaseUrl(url));
  if (u.origin === CHROMA_CLOUD_URL) {
    return 'Chroma Cloud';
  }
  return u.port ? `${u.hostname}:${u.port}` : u.hostname;
}

/**
 * The SecretStorage key of a connection's secret: bound to its name and to its URL's origin, so that a connection
 * whose URL was changed (by hand, or by a synced setting) never sends the old token to another host.
 */
export function secretKey(conn: Pick<ConnectionConfig, 'name' | 'url'>): string {
  return `chroma.secret/${new URL(normalizeBaseUrl(conn.url)).origin}/${conn.name}`;
}

/** The client auth for a connection and its stored secret (for basic: `user:password`). */
export function authFor(conn: ConnectionConfig, secret: string | undefined): ChromaAuth {
  if (!conn.authHeader || !secret) {
    return { kind: 'none' };
  }
  switch (conn.authHeader) {
    case 'x-chroma-token':
      return { kind: 'x-chroma-token', token: secret };
    case 'authorization':
      return { kind: 'bearer', token: secret };
    case 'basic': {
      const i = secret.indexOf(':');
      return i < 0
        ? { kind: 'basic', username: secret, password: '' }
        : { kind: 'basic', username: secret.slice(0, i), password: secret.slice(i + 1) };
    }
  }
}

export function describeAuth(header: AuthHeader | undefined): string {
  switch (header) {
    case 'x-chroma-token':
      return 'x-chroma-token header';
    case 'authorization':
      return 'Authorization: Bearer';
    case 'basic':
      return 'basic auth';
    default:
      return 'no auth';
  }
}
