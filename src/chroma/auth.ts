/** How requests prove who they are. The open-source server has no auth of its own; proxies and Chroma Cloud do. */
export type ChromaAuth =
  | { kind: 'none' }
  /** Chroma's own header; Chroma Cloud takes its API key here. */
  | { kind: 'x-chroma-token'; token: string }
  /** `Authorization: Bearer <token>`. */
  | { kind: 'bearer'; token: string }
  /** `Authorization: Basic base64(user:password)`. */
  | { kind: 'basic'; username: string; password: string };

export function authHeaders(auth: ChromaAuth | undefined): Record<string, string> {
  switch (auth?.kind) {
    case undefined:
    case 'none':
      return {};
    case 'x-chroma-token':
      return { 'x-chroma-token': auth.token };
    case 'bearer':
      return { authorization: `Bearer ${auth.token}` };
    case 'basic':
      return {
        authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64')}`,
      };
  }
}

/** Every string that must never appear in a message or a log line, for the given auth. */
export function authSecrets(auth: ChromaAuth | undefined): string[] {
  switch (auth?.kind) {
    case 'x-chroma-token':
    case 'bearer':
      return [auth.token];
    case 'basic':
      return [auth.password, Object.values(authHeaders(auth))[0].slice('Basic '.length)];
    default:
      return [];
  }
}

/** Replaces every occurrence of any secret with a mask. Secrets shorter than 4 characters are still masked. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret) {
      out = out.split(secret).join('•••');
    }
  }
  return out;
}
