/**
 * Where an embedding function's API key may come from, and what a configuration may choose. A collection's
 * configuration comes from the Chroma server, so anyone who can write there chooses its host (`api_base`, `api_url`,
 * `url`) and the variable it names (`api_key_env_var`). Hence:
 * - environment variables are read under the provider's conventional names, or a name the user confirmed;
 * - a key the user entered is bound to the host it was entered for (see savedKeys.ts);
 * - headers from the configuration never carry credentials;
 * - whether the documents and the key may go to the configured host is the send gate's decision (sendGate.ts).
 * No `vscode` here.
 */
import type { Approvals } from './approvals';
import type { SavedKeySource } from './savedKeys';
import { EmbeddingError } from './types';
import { displayLine } from '../../util/text';

export interface ProviderKeys {
  /** The documented API host: documents and keys go there without asking. None for self-hosted servers. */
  defaultOrigin?: string;
  /** Chroma's and the provider's conventional variable names, in the order they are tried. */
  envVars: readonly string[];
}

/** Chroma's clients default to CHROMA_<X>_API_KEY and honour the provider's own name too. */
export const PROVIDER_KEYS: Readonly<Record<string, ProviderKeys>> = {
  openai: { defaultOrigin: 'https://api.openai.com', envVars: ['CHROMA_OPENAI_API_KEY', 'OPENAI_API_KEY'] },
  voyageai: { defaultOrigin: 'https://api.voyageai.com', envVars: ['CHROMA_VOYAGE_API_KEY', 'VOYAGE_API_KEY'] },
  jina: { defaultOrigin: 'https://api.jina.ai', envVars: ['CHROMA_JINA_API_KEY', 'JINA_API_KEY'] },
  cohere: { defaultOrigin: 'https://api.cohere.com', envVars: ['CHROMA_COHERE_API_KEY', 'COHERE_API_KEY'] },
  google_genai: { defaultOrigin: 'https://generativelanguage.googleapis.com', envVars: ['CHROMA_GOOGLE_GENAI_API_KEY', 'GEMINI_API_KEY', 'GOOGLE_API_KEY'] },
  huggingface_server: { envVars: ['CHROMA_HUGGINGFACE_API_KEY', 'HUGGINGFACE_API_KEY', 'HF_TOKEN'] },
  // Ollama's documented address is the user's own machine; it takes no key.
  ollama: { defaultOrigin: 'http://localhost:11434', envVars: [] },
};

export function defaultOrigin(fn: string): string | undefined {
  return PROVIDER_KEYS[fn]?.defaultOrigin;
}

export interface KeySource {
  /** The process environment. Only conventional or confirmed names are read. */
  env: Record<string, string | undefined>;
  /**
   * Asks (once, remembered) before an unknown variable is read, or documents or a key go to a host that is not the
   * provider's documented one. Without it, all of those are refused.
   */
  approvals?: Approvals;
  /** Keys the user saved, bound to their host; asks for one when none is saved. */
  saved?: SavedKeySource;
  /** Who asks, for dialogs: `Collection "notes"`. */
  requester?: string;
  /** Reports configuration the policy ignored (one line, no secrets). */
  warn?: (message: string) => void;
}

export interface KeyRequest {
  fn: string;
  /** `api_key_env_var` from the configuration, if any. */
  envVar?: string;
  /** The request can go without a key (OpenAI-compatible and self-hosted servers). */
  optional?: boolean;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const has = (env: KeySource['env'], name: string): boolean => Object.prototype.hasOwnProperty.call(env, name);

function envValue(env: KeySource['env'], name: string): string | undefined {
  if (!has(env, name)) {
    return undefined;
  }
  const value: unknown = env[name];
  return typeof value === 'string' && value ? value : undefined;
}

/** The origin a URL from a configuration points at; only plain http(s) URLs without credentials. */
export function originOf(fn: string, field: string, url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new EmbeddingError(`The ${fn} embedding function's ${field} is not a URL ("${displayLine(url, 80)}"): fix the collection's embedding configuration.`, 'bad-response');
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') {
    throw new EmbeddingError(`The ${fn} embedding function's ${field} uses ${displayLine(u.protocol, 80)}; only http and https are supported. Fix the collection's embedding configuration.`, 'bad-response');
  }
  if (u.username || u.password) {
    throw new EmbeddingError(`The ${fn} embedding function's ${field} contains a user name or password, which is never sent: remove it from the collection's embedding configuration.`, 'bad-response');
  }
  return u.origin;
}

/** A key found in the environment, and the variable it came from. */
export interface EnvKey {
  value: string;
  envVar: string;
}

/**
 * The key in the environment for one request: under the provider's conventional names, or the configured name once
 * the user allowed reading it. Throws `not-allowed` when they did not: then the variable's value was never read.
 * Whether the key may go to the request's host is the send gate's question (sendGate.ts), not this one's.
 */
export async function findEnvKey(req: KeyRequest, keys: KeySource): Promise<EnvKey | undefined> {
  const provider = PROVIDER_KEYS[req.fn] ?? { envVars: [] };
  const configured = req.envVar;
  if (configured !== undefined && !ENV_NAME.test(configured)) {
    throw new EmbeddingError(
      `The ${req.fn} embedding function's api_key_env_var "${displayLine(configured, 80)}" is not an environment variable name: fix the collection's embedding configuration.`,
      'bad-response',
    );
  }
  const conventional = provider.envVars;
  const known = configured !== undefined && conventional.includes(configured);
  // The configured name first when it is a conventional one, then the others (as Chroma's clients do).
  const order = known ? [configured, ...conventional.filter((n) => n !== configured)] : conventional;
  for (const name of order) {
    const value = envValue(keys.env, name);
    if (value) {
      return { value, envVar: name };
    }
  }
  if (configured !== undefined && !known && has(keys.env, configured)) {
    // Presence only: the value of a name the user has not confirmed is never read.
    if (!(await keys.approvals?.mayReadEnvVar({ fn: req.fn, envVar: configured, requester: keys.requester ?? 'A collection' }))) {
      throw new EmbeddingError(
        `Nothing was sent: reading ${configured} as the ${req.fn} key was not allowed. Set ${conventional.join(' or ')} instead, or try again and choose Allow.`,
        'not-allowed',
      );
    }
    const value = envValue(keys.env, configured);
    if (value) {
      return { value, envVar: configured };
    }
  }
  return undefined;
}

/**
 * The key for a request whose environment has none: the one saved for its host, or the one the user types now.
 * Undefined when an optional key is absent; throws `missing-key` when a required one is.
 */
export async function savedKey(req: KeyRequest, origin: string, keys: KeySource): Promise<string | undefined> {
  const conventional = PROVIDER_KEYS[req.fn]?.envVars ?? [];
  const configured = req.envVar;
  // The slot is named after the provider's own variable when the configuration names none (as keys were before).
  const slotName = configured ?? conventional.find((n) => !n.startsWith('CHROMA_')) ?? `${req.fn.toUpperCase()}_API_KEY`;
  const saved = keys.saved ? await keys.saved.getOrAsk({ fn: req.fn, origin, envVar: slotName, requester: keys.requester ?? 'A collection', optional: req.optional }) : '';
  if (saved) {
    return saved;
  }
  if (req.optional && saved === '') {
    return undefined;
  }
  if (saved === undefined) {
    throw new EmbeddingError(`Nothing was sent to ${origin}: no ${req.fn} key was entered. Try again and enter the key${req.optional ? ' (empty if that server needs none)' : ''}, or set ${conventional.join(' or ')} in VS Code's environment.`, 'missing-key');
  }
  throw missingKey(req);
}

/** No key in the environment and none to be asked for. */
export function missingKey(req: KeyRequest): EmbeddingError {
  const conventional = PROVIDER_KEYS[req.fn]?.envVars ?? [];
  const extra = req.envVar !== undefined && !conventional.includes(req.envVar) ? [req.envVar] : [];
  return new EmbeddingError(`No API key for the ${req.fn} embedding function: set ${[...conventional, ...extra].join(' or ')} in VS Code's environment, or enter the key when asked.`, 'missing-key');
}

/** Header names that carry credentials: the policy alone sets those. */
const CREDENTIAL_HEADER = /^(authorization|proxy-authorization|cookie|x-goog-api-key|x-chroma-token)$|api[-_]?key|token|secret|password|auth/i;

/**
 * `default_headers` from a configuration, without credential headers (they would override the key the policy chose,
 * or carry one the server picked) and without values that are not plain one-line strings.
 */
export function safeConfigHeaders(fn: string, raw: unknown, warn?: (message: string) => void): Record<string, string> {
  const out: Record<string, string> = {};
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    return out;
  }
  const dropped: string[] = [];
  for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
    if (CREDENTIAL_HEADER.test(name) || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name) || typeof value !== 'string' || /[\r\n\0]/.test(value)) {
      dropped.push(displayLine(name, 40));
      continue;
    }
    out[name.toLowerCase()] = value;
  }
  if (dropped.length) {
    warn?.(`${fn}: ignored default_headers ${dropped.join(', ')} from the collection's configuration (credentials and malformed headers are never taken from the server).`);
  }
  return out;
}
