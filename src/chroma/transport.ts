/**
 * One HTTP request to a Chroma server, over ofetch's fetch: auth headers, a timeout on every request (body included),
 * cancellation by the caller's AbortSignal, retries with backoff for idempotent calls only, and every failure mapped
 * to a typed ChromaError (failures.ts) whose message names the server and never carries a secret. Redirects are never
 * followed (credentials and bodies go to the connection's own origin only), response bodies are capped, and a 2xx
 * body must be JSON (answers.ts).
 *
 * The request pipeline is built once per transport (URL prefix, headers) and does per request only what a request
 * needs: one AbortController and one timer for the timeout, a listener on the caller's signal when there is one.
 * ofetch's option merging (new Headers per request, URL parsing) cost ~0.1 ms per request, more than all of this.
 */
import { errorBody, notModified, parseBody, redirected } from './answers';
import { authHeaders, authSecrets, redact } from './auth';
import type { ChromaAuth } from './auth';
import { backoffDelay, sleep } from './backoff';
import type { BackoffOptions } from './backoff';
import { ChromaAbortedError, ChromaError, ChromaRateLimitedError } from './errors';
import { TimeoutReason, errorCode, failureError, statusError } from './failures';
import { DEFAULT_MAX_RESPONSE_BYTES, discardBody, readBody } from './responseBody';
import { SERVER_TEXT_PREFIX_CHARS, oneLine, pageText } from './sanitize';
import { normalizeBaseUrl } from './baseUrl';

export { shortOperation } from './operation';
export { MAX_RESPONSE_SETTING } from './failures';

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
  /** Sent as JSON; a string is sent as it is, as JSON text (see decimals.ts). */
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

/** `?limit=10&offset=20`, leaving out what is undefined; '' when nothing is left. */
function queryString(query: Record<string, string | number | undefined> | undefined): string {
  let out = '';
  for (const key in query) {
    const value = query[key];
    if (value !== undefined) {
      out += `${out ? '&' : '?'}${encodeURIComponent(key)}=${encodeURIComponent(value)}`;
    }
  }
  return out;
}

function onTimeout(controller: AbortController): void {
  controller.abort(new TimeoutReason());
}

type Fetch = (url: string, init: RequestInit) => Promise<Response>;

export class Transport {
  readonly baseUrl: string;
  readonly timeoutMs: number;
  readonly maxResponseBytes: number;
  private readonly retries: number;
  private readonly backoff: BackoffOptions;
  private readonly secrets: string[];
  /** Loaded on the first request: loading ofetch touches Node's fetch globals, which load undici (~60 ms). */
  private fetcher?: Fetch;
  /** Sent with every request; with a body, `jsonHeaders`. Built once: fetch copies them, never changes them. */
  private readonly headers: Record<string, string>;
  private readonly jsonHeaders: Record<string, string>;
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
    const hasType = Object.keys(this.headers).some((h) => h.toLowerCase() === 'content-type');
    this.jsonHeaders = hasType ? this.headers : { ...this.headers, 'content-type': 'application/json' };
  }

  /** ofetch's fetch: the platform's where there is one, else node-fetch-native's. */
  private async loadFetch(): Promise<Fetch> {
    const { ofetch } = await import('ofetch');
    this.fetcher = ofetch.native as Fetch;
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
        return (await this.attempt(method, path, opts, attempt)) as T;
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

  /** One attempt: sent, answered, read and parsed within its timeout, or a ChromaError. */
  private async attempt(method: HttpMethod, path: string, opts: RequestOptions, attempt: number): Promise<unknown> {
    this.onRequest?.({ method, path, attempt });
    const userSignal = opts.signal;
    if (userSignal?.aborted) {
      throw this.aborted(method, path);
    }
    const started = this.onResponse ? performance.now() : 0;
    const timeoutMs = opts.timeoutMs ?? this.timeoutMs;
    const controller = new AbortController();
    const timer = setTimeout(onTimeout, timeoutMs, controller);
    const onUserAbort = userSignal && (() => controller.abort(userSignal.reason));
    if (onUserAbort) {
      userSignal.addEventListener('abort', onUserAbort, { once: true });
    }
    let status: number | undefined;
    try {
      const response = await this.send(method, path, opts, controller.signal);
      status = response.status;
      const data = await this.read(method, path, response, controller.signal);
      this.onResponse?.({ method, path, attempt, status, ms: performance.now() - started });
      return data;
    } catch (e) {
      const error =
        e instanceof ChromaError
          ? e
          : userSignal?.aborted
            ? this.aborted(method, path)
            : failureError(this, e, { method, path, signal: controller.signal, timeoutMs, status });
      this.onResponse?.({ method, path, attempt, status, ms: performance.now() - started, error });
      throw error;
    } finally {
      clearTimeout(timer);
      if (onUserAbort) {
        userSignal.removeEventListener('abort', onUserAbort);
      }
    }
  }

  private async send(method: HttpMethod, path: string, opts: RequestOptions, signal: AbortSignal): Promise<Response> {
    const fetch = this.fetcher ?? (await this.loadFetch());
    const body = opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    return fetch(`${this.baseUrl}${path}${queryString(opts.query)}`, {
      method,
      headers: body === undefined ? this.headers : this.jsonHeaders,
      body,
      signal,
      // Never follow: a redirect would carry x-chroma-token (and, on 307/308, the body) to another origin.
      redirect: 'manual',
    });
  }

  /** The answer's body as a value (2xx), or the ChromaError its status and body make. */
  private async read(method: HttpMethod, path: string, response: Response, signal: AbortSignal): Promise<unknown> {
    const status = response.status;
    if (status >= 300 && status < 400) {
      discardBody(response);
      throw status === 304
        ? notModified(this, Object.keys(this.headers), method, path)
        : redirected(this, method, path, status, response.headers.get('location'));
    }
    const bytes = await readBody(response, this.maxResponseBytes);
    if (status < 200 || status >= 300) {
      throw statusError(this, method, path, status, await errorBody(bytes, signal), response.headers);
    }
    return parseBody(this, method, path, status, bytes, signal);
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

  private aborted(method: HttpMethod, path: string): ChromaAbortedError {
    return new ChromaAbortedError(`${method} ${path} on ${this.host} was cancelled.`, {
      operation: `${method} ${path}`,
    });
  }
}
