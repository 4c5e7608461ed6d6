/**
 * One HTTP request to a Chroma server, over ofetch: auth headers, a timeout on every request (body included), an
 * AbortSignal, retries with backoff for idempotent calls only, and every failure mapped to a typed ChromaError whose
 * message names the server and never carries a secret. Redirects are never followed (credentials and bodies go to
 * the connection's own origin only), response bodies are capped, and a 2xx body must be JSON.
 */
import type { $Fetch } from 'ofetch';
import { errorBody, notModified, parseBody, redirected } from './answers';
import { authHeaders, authSecrets, redact } from './auth';
import type { ChromaAuth } from './auth';
import { backoffDelay, sleep } from './backoff';
import type { BackoffOptions } from './backoff';
import {
  ChromaAbortedError,
  ChromaAlreadyExistsError,
  ChromaError,
  ChromaForbiddenError,
  ChromaInvalidArgumentError,
  ChromaNotFoundError,
  ChromaPayloadTooLargeError,
  ChromaRateLimitedError,
  ChromaResponseTooLargeError,
  ChromaServerError,
  ChromaTimeoutError,
  ChromaUnauthorizedError,
  ChromaUnavailableError,
  ChromaUnexpectedResponseError,
  ChromaUnreachableError,
  ChromaUnsupportedError,
} from './errors';
import { formatSize, shortOperation } from './operation';
import { BodyTooLarge, DEFAULT_MAX_RESPONSE_BYTES, discardBody, readBody } from './responseBody';
import { SERVER_TEXT_PREFIX_CHARS, oneLine, pageText, quote, sentence } from './sanitize';

export { shortOperation } from './operation';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface TransportOptions {
  /** The server's root URL, e.g. `http://localhost:8000` (a trailing `/api/v2` is tolerated). */
  url: string;
  auth?: ChromaAuth;
  /** Per-attempt timeout in ms (default 30 000). */
  timeoutMs?: number;
  /** Retries for idempotent calls (default 2). Non-idempotent calls are never retried. */
  retries?: number;
  backoff?: BackoffOptions;
  /** Extra headers sent with every request (not secrets: they may be logged). */
  headers?: Record<string, string>;
  /** Called once per HTTP attempt, before it is sent: for counting, logging and tests. Never sees auth headers. */
  onRequest?: (info: RequestInfo) => void;
  /** Called once per HTTP attempt after it settled. */
  onResponse?: (info: ResponseInfo) => void;
  /** Largest response body read, in bytes, counted after decompression (default 64 MiB). */
  maxResponseBytes?: number;
}

export interface RequestInfo {
  method: HttpMethod;
  path: string;
  attempt: number;
}

export interface ResponseInfo extends RequestInfo {
  status?: number;
  ms: number;
  error?: ChromaError;
}

export interface RequestOptions {
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  signal?: AbortSignal;
  /** True for calls that may be repeated safely (reads, upsert, delete by id). */
  idempotent?: boolean;
  timeoutMs?: number;
  /** Overrides the transport's retry count for this call. */
  retries?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 250, maxMs: 4_000, jitter: 0.5 };
const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);
const RETRYABLE_NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);

class TimeoutReason extends Error {
  constructor() {
    super('timeout');
    this.name = 'TimeoutReason';
  }
}

/** The setting that raises the response cap (contributed by the extension; named here for messages). */
export const MAX_RESPONSE_SETTING = 'chroma.limits.maxResponseMB';

/** The server root without any trailing slash or `/api/v…` suffix. */
export function normalizeBaseUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    // Mask anything that looks like user:password@ before quoting the input back.
    const shown = quote(url.replace(/\/\/[^/@]*@/, '//…@'), 80);
    throw new ChromaInvalidArgumentError(`${shown} is not a valid URL. Use a URL like http://localhost:8000.`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ChromaInvalidArgumentError(
      `"${parsed.protocol}" URLs are not supported. Use an http:// or https:// URL like http://localhost:8000.`,
    );
  }
  parsed.username = '';
  parsed.password = '';
  parsed.search = '';
  parsed.hash = '';
  const path = parsed.pathname.replace(/\/+$/, '').replace(/\/api(\/v\d+)?$/, '');
  return `${parsed.origin}${path}`;
}

interface ChromaErrorBody {
  error?: unknown;
  message?: unknown;
  detail?: unknown;
}

/** The Node/undici error code somewhere in a cause chain (or in an AggregateError's first error). */
function errorCode(e: unknown): string | undefined {
  let cur: unknown = e;
  for (let depth = 0; depth < 6 && cur; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string') {
      return code;
    }
    const errors = (cur as { errors?: unknown }).errors;
    cur = Array.isArray(errors) && errors.length > 0 ? errors[0] : (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The innermost message of a cause chain, for failures that carry no code (e.g. undici's "bad port"). */
function innermostMessage(e: unknown): string | undefined {
  let message: string | undefined;
  let cur: unknown = e;
  for (let depth = 0; depth < 6 && cur instanceof Error; depth++) {
    message = cur.message || message;
    cur = cur.cause;
  }
  return message;
}

export class Transport {
  readonly baseUrl: string;
  readonly timeoutMs: number;
  readonly maxResponseBytes: number;
  private readonly retries: number;
  private readonly backoff: BackoffOptions;
  private readonly secrets: string[];
  /** Made on the first request: loading ofetch touches Node's fetch globals, which load undici (~60 ms). */
  private fetcher?: Promise<$Fetch>;
  private readonly headers: Record<string, string>;
  private readonly onRequest?: (info: RequestInfo) => void;
  private readonly onResponse?: (info: ResponseInfo) => void;

  constructor(opts: TransportOptions) {
    this.baseUrl = normalizeBaseUrl(opts.url);
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.maxResponseBytes = opts.maxResponseBytes && opts.maxResponseBytes > 0 ? opts.maxResponseBytes : DEFAULT_MAX_RESPONSE_BYTES;
    this.retries = Math.max(0, opts.retries ?? 2);
    this.backoff = opts.backoff ?? DEFAULT_BACKOFF;
    this.secrets = authSecrets(opts.auth);
    this.onRequest = opts.onRequest;
    this.onResponse = opts.onResponse;
    this.headers = { accept: 'application/json', ...opts.headers, ...authHeaders(opts.auth) };
  }

  private fetch(): Promise<$Fetch> {
    this.fetcher ??= import('ofetch').then(({ ofetch }) =>
      ofetch.create({ baseURL: this.baseUrl, headers: this.headers, retry: false, ignoreResponseError: true }),
    );
    return this.fetcher;
  }

  /** The host the user would recognise, for messages: `localhost:8000`. */
  get host(): string {
    return new URL(this.baseUrl).host;
  }

  async request<T>(method: HttpMethod, path: string, opts: RequestOptions = {}): Promise<T> {
    const retries = opts.idempotent ? (opts.retries ?? this.retries) : 0;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.attempt<T>(method, path, opts, attempt);
      } catch (e) {
        const retryIn = attempt < retries ? this.retryDelay(e, attempt) : undefined;
        if (retryIn === undefined) {
          throw e;
        }
        try {
          await sleep(retryIn, opts.signal);
        } catch {
          throw this.aborted(method, path);
        }
      }
    }
  }

  private retryDelay(e: unknown, attempt: number): number | undefined {
    if (!(e instanceof ChromaError)) {
      return undefined;
    }
    const transient =
      (e.code === 'unreachable' && RETRYABLE_NETWORK_CODES.has(errorCode(e.cause) ?? '')) ||
      (e.status !== undefined && RETRYABLE_STATUS.has(e.status));
    if (!transient) {
      return undefined;
    }
    const retryAfter = e instanceof ChromaRateLimitedError ? e.retryAfterMs : undefined;
    const delay = backoffDelay(attempt, this.backoff);
    return retryAfter === undefined ? delay : Math.min(this.backoff.maxMs, Math.max(delay, retryAfter));
  }

  private async attempt<T>(method: HttpMethod, path: string, opts: RequestOptions, attempt: number): Promise<T> {
    const info: RequestInfo = { method, path, attempt };
    this.onRequest?.(info);
    const started = performance.now();
    const controller = new AbortController();
    const timeoutMs = opts.timeoutMs ?? this.timeoutMs;
    const timer = setTimeout(() => controller.abort(new TimeoutReason()), timeoutMs);
    const userSignal = opts.signal;
    const onUserAbort = () => controller.abort(userSignal?.reason);
    if (userSignal?.aborted) {
      clearTimeout(timer);
      throw this.aborted(method, path);
    }
    userSignal?.addEventListener('abort', onUserAbort, { once: true });
    let status: number | undefined;
    try {
      const response = await (await this.fetch()).raw(path, {
        method,
        query: opts.query,
        body: opts.body as Record<string, unknown> | undefined,
        signal: controller.signal,
        // Never follow: a redirect would carry x-chroma-token (and, on 307/308, the body) to another origin.
        redirect: 'manual',
        responseType: 'stream',
      });
      status = response.status;
      if (status >= 300 && status < 400) {
        discardBody(response);
        throw status === 304
          ? notModified(this, Object.keys(this.headers), method, path)
          : redirected(this, method, path, status, response.headers.get('location'));
      }
      const bytes = await readBody(response, this.maxResponseBytes);
      if (status < 200 || status >= 300) {
        throw this.fromResponse(method, path, status, await errorBody(bytes, controller.signal), response.headers);
      }
      const data = await parseBody(this, method, path, status, bytes, controller.signal);
      this.onResponse?.({ ...info, status, ms: performance.now() - started });
      return data as T;
    } catch (e) {
      const error = this.toChromaError(e, method, path, controller.signal, userSignal, timeoutMs, status);
      this.onResponse?.({ ...info, status, ms: performance.now() - started, error });
      throw error;
    } finally {
      clearTimeout(timer);
      userSignal?.removeEventListener('abort', onUserAbort);
    }
  }

  private toChromaError(
    e: unknown,
    method: HttpMethod,
    path: string,
    signal: AbortSignal,
    userSignal: AbortSignal | undefined,
    timeoutMs: number,
    status: number | undefined,
  ): ChromaError {
    if (e instanceof ChromaError) {
      return e;
    }
    const operation = `${method} ${path}`;
    if (userSignal?.aborted) {
      return this.aborted(method, path);
    }
    const short = shortOperation(method, path);
    if (signal.aborted && signal.reason instanceof TimeoutReason) {
      return new ChromaTimeoutError(
        `Chroma at ${this.host} did not answer ${short} within ${formatMs(timeoutMs)}. ` +
          'The server may be overloaded or the network slow; try again, or raise the timeout.',
        { operation },
      );
    }
    if (e instanceof BodyTooLarge) {
      const announced = e.declaredBytes === undefined ? '' : ` (it announced ${formatSize(e.declaredBytes)})`;
      const code = status !== undefined && (status < 200 || status >= 300) ? ` ${status}` : '';
      return new ChromaResponseTooLargeError(
        `Chroma at ${this.host} answered ${short} with a${code} body of more than ${formatSize(e.limitBytes)}${announced}, so it was not read. ` +
          `If such large answers are expected, raise the setting ${MAX_RESPONSE_SETTING}.`,
        { status, operation, limitBytes: e.limitBytes },
      );
    }
    const code = errorCode(e);
    if (code?.startsWith('HPE_') || code === 'UND_ERR_HEADERS_OVERFLOW' || code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH') {
      return new ChromaUnexpectedResponseError(
        `${this.host} sent a malformed HTTP answer to ${short} (${code}). Check that the URL points to a Chroma server.`,
        { operation, cause: e },
      );
    }
    if (code?.startsWith('Z_') || code === 'ERR_ZLIB_INITIALIZATION_FAILED') {
      return new ChromaUnexpectedResponseError(
        `Chroma at ${this.host} answered ${short} with a compressed body that cannot be decompressed (${code}). ` +
          'Check the server or the proxy in front of it.',
        { operation, cause: e },
      );
    }
    const reason =
      code === undefined
        ? `the request failed (${this.serverText(innermostMessage(e) ?? 'no reason given', 120) ?? 'no reason given'})`
        : networkReason(code);
    return new ChromaUnreachableError(
      `Cannot reach Chroma at ${this.host}: ${reason}. Check that the server is running and the URL is right.`,
      { operation, cause: e },
    );
  }

  /**
   * Server-controlled text made fit for a message: a bounded prefix, free of secrets (redacted before it is cut
   * further, so no secret is ever half-shown), then one line of at most `max` characters. `html` strips tags.
   */
  serverText(raw: string, max: number, html = false): string | undefined {
    const longestSecret = this.secrets.reduce((n, s) => Math.max(n, s.length), 0);
    const prefix = raw.length > SERVER_TEXT_PREFIX_CHARS ? raw.slice(0, SERVER_TEXT_PREFIX_CHARS + longestSecret) : raw;
    const safe = redact(prefix, this.secrets).slice(0, SERVER_TEXT_PREFIX_CHARS);
    const line = html ? pageText(safe, max) : oneLine(safe, max);
    return line || undefined;
  }

  /** A 2xx body: empty, or JSON. Anything else (an HTML page from a captive portal, truncated JSON) is an error. */
  private aborted(method: HttpMethod, path: string): ChromaAbortedError {
    return new ChromaAbortedError(`${method} ${path} on ${this.host} was cancelled.`, {
      operation: `${method} ${path}`,
    });
  }

  private fromResponse(method: HttpMethod, path: string, status: number, data: unknown, headers: Headers): ChromaError {
    const operation = `${method} ${path}`;
    const short = shortOperation(method, path);
    const body = (typeof data === 'object' && data !== null && !Array.isArray(data) ? data : {}) as ChromaErrorBody;
    const serverKind = typeof body.error === 'string' ? this.serverText(body.error, 100) : undefined;
    const serverMessage =
      typeof body.message === 'string'
        ? this.serverText(body.message, 300)
        : typeof body.detail === 'string'
          ? this.serverText(body.detail, 300)
          : typeof data === 'string'
            ? this.serverText(data, 300, true)
            : undefined;
    const details = { status, serverKind, serverMessage, operation };
    // Cut shorter in the message, so that what to do still fits in its 300 characters.
    const shown = serverMessage === undefined ? undefined : oneLine(serverMessage, 150);
    const said = shown ? `: ${shown}` : '';
    const host = this.host;
    // Chroma 0.x answers a missing collection with 400 InvalidCollection ("Collection … does not exist.").
    if ((status === 400 || status === 422) && serverKind === 'InvalidCollection') {
      return new ChromaNotFoundError(`Chroma at ${host}: ${sentence(shown ?? 'the collection does not exist')} Refresh to see what exists now.`, details);
    }
    switch (status) {
      case 400:
      case 422:
        return new ChromaInvalidArgumentError(`Chroma at ${host} rejected the request${said}`, details);
      case 401:
        return new ChromaUnauthorizedError(
          `Chroma at ${host} needs credentials (401). Set or update the connection's token.`,
          details,
        );
      case 403:
        return new ChromaForbiddenError(
          `${sentence(`Chroma at ${host} refused access (403)${said}`)} Check that the token may use this tenant and database.`,
          details,
        );
      case 404:
        return new ChromaNotFoundError(
          shown && serverKind
            ? `Chroma at ${host}: ${sentence(shown)} Refresh to see what exists now.`
            : `Chroma at ${host} has no ${short} (404). Is this a Chroma server, and is the URL right?`,
          details,
        );
      case 405:
        // The path exists but not with this method: 0.5.18–0.6.2 cannot list databases (GET …/databases).
        return new ChromaUnsupportedError(
          `Chroma at ${host} does not offer ${short} (405): this server version lacks it. Upgrade the server to use it.`,
          details,
        );
      case 409:
        return new ChromaAlreadyExistsError(`Chroma at ${host}: ${sentence(shown ?? 'it already exists')}`, details);
      case 413:
        return new ChromaPayloadTooLargeError(
          `Chroma at ${host} refused a request body as too large (413). Send fewer or smaller records per batch.`,
          details,
        );
      case 429:
        return new ChromaRateLimitedError(`Chroma at ${host} is rate-limiting requests (429). Wait a moment and try again.`, {
          ...details,
          retryAfterMs: parseRetryAfter(headers.get('retry-after')),
        });
      case 501:
        return new ChromaUnsupportedError(
          sentence(`Chroma at ${host} does not support this${said}`),
          details,
        );
      case 502:
      case 503:
      case 504:
        return new ChromaUnavailableError(
          `${sentence(`Chroma at ${host} is unavailable (${status})${said}`)} The server or a proxy in front of it is down or restarting; try again shortly.`,
          details,
        );
      default:
        if (status >= 500 && status < 600) {
          return new ChromaServerError(
            `${sentence(`Chroma at ${host} failed on ${short} (${status})${said}`)} See the server's log.`,
            details,
          );
        }
        return new ChromaUnexpectedResponseError(
          sentence(`Chroma at ${host} answered ${short} with an unexpected ${status}${said}`),
          details,
        );
    }
  }
}

function parseRetryAfter(value: string | null): number | undefined {
  if (!value) {
    return undefined;
  }
  const seconds = Number(value);
  if (Number.isFinite(seconds)) {
    return Math.max(0, seconds * 1000);
  }
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function networkReason(code: string | undefined): string {
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'the host name does not resolve';
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
    case 'UND_ERR_CLOSED':
      return 'the connection was closed';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'the network cannot reach the host';
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return 'connecting timed out';
    case 'CERT_HAS_EXPIRED':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return `its TLS certificate is not trusted (${code})`;
    case undefined:
      return 'the request failed';
    default:
      return `network error ${code}`;
  }
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1)} s` : `${ms} ms`;
}
