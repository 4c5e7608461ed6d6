/**
 * The one gate every hosted embedding request passes before a byte is sent. A collection's configuration comes from
 * the Chroma server, so its host (`api_base`, `api_url`, `url`) is whoever wrote there's choice: the documents and
 * queries to embed, and any key, go only to the provider's documented origin or to an origin the user allowed for
 * that function (and, for a key from the environment, for that key). One dialog per request: when both the
 * documents and a key need an answer, one question covers both. `post` in hosted.ts sends only to a {@link Cleared}
 * request, which only {@link clearToSend} makes. No `vscode` here.
 */
import { defaultOrigin, findEnvKey, missingKey, originOf, savedKey } from './keyPolicy';
import type { KeySource } from './keyPolicy';
import { EmbeddingError } from './types';

export interface SendRequest {
  fn: string;
  /** The full URL the request goes to. */
  url: string;
  /** The configuration field that chose it (api_base, api_url, url), for messages. */
  field: string;
  /**
   * The request carries a key: the variable the configuration names (`api_key_env_var`), and whether the server may
   * need none. Absent: no key is looked for or sent.
   */
  key?: { envVar?: string; optional?: boolean };
}

declare const cleared: unique symbol;

/** A request the gate let through: its URL, the origin the user agreed to, and the key to send (if any). */
export interface Cleared {
  readonly url: string;
  readonly origin: string;
  readonly key?: string;
  readonly [cleared]: true;
}

/**
 * Decides whether a request may go, and with which key. Throws `not-allowed` (saying nothing was sent) when the user
 * refused, or no dialog is possible for a host that needs one; `missing-key` when a required key is nowhere.
 */
export async function clearToSend(req: SendRequest, keys: KeySource): Promise<Cleared> {
  const origin = originOf(req.fn, req.field, req.url);
  const keyReq = req.key && { fn: req.fn, envVar: req.key.envVar, optional: req.key.optional };
  const env = keyReq ? await findEnvKey(keyReq, keys) : undefined;
  if (keyReq && !env && !keys.saved && !keyReq.optional) {
    // No key to be had: say so before asking about a request that could not go anyway.
    throw missingKey(keyReq);
  }
  if (origin !== defaultOrigin(req.fn)) {
    const requester = keys.requester ?? 'A collection';
    if (!(await keys.approvals?.maySend({ fn: req.fn, origin, field: req.field, envVar: env?.envVar, requester }))) {
      throw new EmbeddingError(
        `Nothing was sent: your documents${env ? ` and the key from ${env.envVar}` : ''} may not go to ${origin}, which the collection's ${req.field} names. ` +
          `If you trust that host, try again and choose Allow; otherwise fix the ${req.field} in the collection's embedding configuration.`,
        'not-allowed',
      );
    }
  }
  const key = keyReq ? (env?.value ?? (await savedKey(keyReq, origin, keys))) : undefined;
  return { url: req.url, origin, key } as Cleared;
}
