/**
 * One HTTP request to a Chroma server, over ofetch: auth headers, a timeout on every request, an AbortSignal,
 * retries with backoff for idempotent calls only, and every failure mapped to a typed ChromaError whose message
 * names the server and never carries a secret.
 */
import { ofetch } from 'ofetch';
import type { $Fetch } from 'ofetch';
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
  ChromaServerError,
  ChromaTimeoutError,
  ChromaUnauthorizedError,
  ChromaUnavailableError,
  ChromaUnexpectedResponseError,
  ChromaUnreachableError,
  ChromaUnsupportedError,
} from './errors';

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

/** The server root without any trailing slash or `/api/v…` suffix. */
export function normalizeBaseUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    throw new ChromaInvalidArgumentError(`"${url}" is not a valid URL. Use a URL like http://localhost:8000.`);
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
  private readonly retries: number;
  private readonly backoff: BackoffOptions;
  private readonly secrets: string[];
  private readonly fetcher: $Fetch;
  private readonly onRequest?: (info: RequestInfo) => void;
  private readonly onResponse?: (info: ResponseInfo) => void;

  constructor(opts: TransportOptions) {
    this.baseUrl = normalizeBaseUrl(opts.url);
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.retries = Math.max(0, opts.retries ?? 2);
    this.backoff = opts.backoff ?? DEFAULT_BACKOFF;
    this.secrets = authSecrets(opts.auth);
    this.onRequest = opts.onRequest;
    this.onResponse = opts.onResponse;
    this.fetcher = ofetch.create({
      baseURL: this.baseUrl,
      headers: { accept: 'application/json', ...opts.headers, ...authHeaders(opts.auth) },
      retry: false,
      ignoreResponseError: true,
      parseResponse: parseLenient,
    });
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
      const response = await this.fetcher.raw(path, {
        method,
        query: opts.query,
        body: opts.body as Record<string, unknown> | undefined,
        signal: controller.signal,
      });
      status = response.status;
      if (status >= 400) {
        throw this.fromResponse(method, path, status, response._data, response.headers);
      }
      this.onResponse?.({ ...info, status, ms: performance.now() - started });
      return response._data as T;
    } catch (e) {
      const error = this.toChromaError(e, method, path, controller.signal, userSignal, timeoutMs);
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
  ): ChromaError {
    if (e instanceof ChromaError) {
      return e;
    }
    const operation = `${method} ${path}`;
    if (userSignal?.aborted) {
      return this.aborted(method, path);
    }
    if (signal.aborted && signal.reason instanceof TimeoutReason) {
      return new ChromaTimeoutError(
        `Chroma at ${this.host} did not answer ${operation} within ${formatMs(timeoutMs)}. ` +
          'The server may be overloaded or the network slow; try again, or raise the timeout.',
        { operation },
      );
    }
    const code = errorCode(e);
    const reason = code === undefined ? `the request failed (${redact(innermostMessage(e) ?? 'no reason given', this.secrets)})` : networkReason(code);
    return new ChromaUnreachableError(
      `Cannot reach Chroma at ${this.host}: ${reason}. Check that the server is running and the URL is right.`,
      { operation, cause: e },
    );
  }

  private aborted(method: HttpMethod, path: string): ChromaAbortedError {
    return new ChromaAbortedError(`${method} ${path} on ${this.host} was cancelled.`, {
      operation: `${method} ${path}`,
    });
  }

  private fromResponse(method: HttpMethod, path: string, status: number, data: unknown, headers: Headers): ChromaError {
    const operation = `${method} ${path}`;
    const body = (typeof data === 'object' && data !== null ? data : {}) as ChromaErrorBody;
    const serverKind = typeof body.error === 'string' ? body.error : undefined;
    const rawMessage =
      typeof body.message === 'string'
        ? body.message
        : typeof body.detail === 'string'
          ? body.detail
          : typeof data === 'string'
            ? firstLine(data)
            : undefined;
    const serverMessage = rawMessage === undefined ? undefined : redact(rawMessage, this.secrets);
    const details = { status, serverKind, serverMessage, operation };
    const said = serverMessage ? `: ${serverMessage}` : '';
    const host = this.host;
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
          `Chroma at ${host} refused access (403)${said}. Check that the token may use this tenant and database.`,
          details,
        );
      case 404:
        return new ChromaNotFoundError(
          serverMessage && serverKind
            ? `Chroma at ${host}: ${serverMessage}. Refresh to see what exists now.`
            : `Chroma at ${host} has no ${operation} (404). Is this a Chroma server, and is the URL right?`,
          details,
        );
      case 409:
        return new ChromaAlreadyExistsError(`Chroma at ${host}: ${serverMessage ?? 'it already exists'}.`, details);
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
          `Chroma at ${host} does not support this${said}.`,
          details,
        );
      case 502:
      case 503:
      case 504:
        return new ChromaUnavailableError(
          `Chroma at ${host} is unavailable (${status})${said}. The server or a proxy in front of it is down or restarting; try again shortly.`,
          details,
        );
      default:
        if (status >= 500) {
          return new ChromaServerError(
            `Chroma at ${host} failed on ${operation} (${status})${said}. See the server's log.`,
            details,
          );
        }
        return new ChromaUnexpectedResponseError(
          `Chroma at ${host} answered ${operation} with an unexpected ${status}${said}.`,
          details,
        );
    }
  }
}

function parseLenient(text: string): unknown {
  if (text === '') {
    return undefined;
  }
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function firstLine(text: string): string | undefined {
  const stripped = text.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
  return stripped ? stripped.slice(0, 200) : undefined;
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
