/**
 * Who may talk to the MCP server: a request must name the loopback address and port it listens on in `Host` (and in
 * `Origin`, when a browser sends one), else 403, so a web page that rebinds a domain name to 127.0.0.1 gets nothing;
 * and it must carry the bearer token, else 401. The token is compared in constant time. No `vscode` here.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A new token: 32 random bytes, base64url (43 characters, safe in a shell word and a header). */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Tokens that are not 20–512 characters of base64url are refused when the server starts. */
export function tokenProblem(token: string): string | undefined {
  return /^[A-Za-z0-9_-]{20,512}$/.test(token) ? undefined : 'The MCP token must be 20 to 512 characters of A–Z, a–z, 0–9, "-" and "_".';
}

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/** Whether an Authorization header carries exactly `Bearer <token>`; equal-length digests are compared in constant time. */
export function bearerMatches(header: string | undefined, token: string): boolean {
  if (typeof header !== 'string') {
    return false;
  }
  const m = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
  // Compare even when the form is wrong, so the time does not tell which check failed.
  return timingSafeEqual(digest(m ? m[1] : ''), digest(token)) && m !== null;
}

/** The Host header must be the address and port the server listens on: `127.0.0.1:PORT`. */
export function hostAllowed(host: string | undefined, port: number): boolean {
  return host === `127.0.0.1:${port}`;
}

/** An Origin header, when there is one, must be the server's own `http://127.0.0.1:PORT`. */
export function originAllowed(origin: string | undefined, port: number): boolean {
  return origin === undefined || origin === `http://127.0.0.1:${port}`;
}
