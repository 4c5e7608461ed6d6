/**
 * What a failed attempt becomes: an error status with its body, or a network failure, as a typed ChromaError whose
 * message names the server, says what to do, and never carries a secret (server text goes through `serverText`).
 * No `vscode` here.
 */
import type { AnswerContext } from './answers';
import { BodyTooLarge } from './responseBody';
import {
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
import type { ChromaErrorDetails } from './errors';
import { formatSize, shortOperation } from './operation';
import { oneLine, sentence } from './sanitize';

/** The setting that raises the response cap (contributed by the extension; named here for messages). */
export const MAX_RESPONSE_SETTING = 'chroma.limits.maxResponseMB';

/** Why an attempt's signal aborted when its own timer fired (a user's abort carries the user's reason). */
export class TimeoutReason extends Error {
  constructor() {
    super('timeout');
    this.name = 'TimeoutReason';
  }
}

interface ChromaErrorBody {
  error?: unknown;
  message?: unknown;
  detail?: unknown;
}

/** The Node/undici error code somewhere in a cause chain (or in an AggregateError's first error). */
export function errorCode(e: unknown): string | undefined {
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

/** What a request's failure (no usable answer) was, as seen by the transport. */
export interface Failure {
  method: string;
  path: string;
  /** The attempt's own signal: aborted with a TimeoutReason when its timer fired. */
  signal: AbortSignal;
  timeoutMs: number;
  /** The status, when an answer had started. */
  status?: number;
}

/** A thrown failure (network, timeout, body over the cap, a malformed answer) as a ChromaError. */
export function failureError(ctx: AnswerContext, e: unknown, f: Failure): ChromaError {
  if (e instanceof ChromaError) {
    return e;
  }
  const operation = `${f.method} ${f.path}`;
  const short = shortOperation(f.method, f.path);
  if (f.signal.aborted && f.signal.reason instanceof TimeoutReason) {
    return new ChromaTimeoutError(
      `Chroma at ${ctx.host} did not answer ${short} within ${formatMs(f.timeoutMs)}. ` +
        'The server may be overloaded or the network slow; try again, or raise the timeout.',
      { operation },
    );
  }
  if (e instanceof BodyTooLarge) {
    const announced = e.declaredBytes === undefined ? '' : ` (it announced ${formatSize(e.declaredBytes)})`;
    const code = f.status !== undefined && (f.status < 200 || f.status >= 300) ? ` ${f.status}` : '';
    return new ChromaResponseTooLargeError(
      `Chroma at ${ctx.host} answered ${short} with a${code} body of more than ${formatSize(e.limitBytes)}${announced}, so it was not read. ` +
        `If such large answers are expected, raise the setting ${MAX_RESPONSE_SETTING}.`,
      { status: f.status, operation, limitBytes: e.limitBytes },
    );
  }
  const code = errorCode(e);
  if (code?.startsWith('HPE_') || code === 'UND_ERR_HEADERS_OVERFLOW' || code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH') {
    return new ChromaUnexpectedResponseError(
      `${ctx.host} sent a malformed HTTP answer to ${short} (${code}). Check that the URL points to a Chroma server.`,
      { operation, cause: e },
    );
  }
  if (code?.startsWith('Z_') || code === 'ERR_ZLIB_INITIALIZATION_FAILED') {
    return new ChromaUnexpectedResponseError(
      `Chroma at ${ctx.host} answered ${short} with a compressed body that cannot be decompressed (${code}). ` +
        'Check the server or the proxy in front of it.',
      { operation, cause: e },
    );
  }
  const reason =
    code === undefined
      ? `the request failed (${ctx.serverText(innermostMessage(e) ?? 'no reason given', 120) ?? 'no reason given'})`
      : networkReason(code);
  return new ChromaUnreachableError(
    `Cannot reach Chroma at ${ctx.host}: ${reason}. Check that the server is running and the URL is right.`,
    { operation, cause: e },
  );
}

/** What a server said in an error body, fit for messages. */
interface Said {
  details: ChromaErrorDetails & { status: number };
  /** `: <the server's message>`, cut short enough that what to do still fits; '' when it said nothing. */
  said: string;
  shown?: string;
  serverKind?: string;
}

function said(ctx: AnswerContext, method: string, path: string, status: number, data: unknown): Said {
  const body = (typeof data === 'object' && data !== null && !Array.isArray(data) ? data : {}) as ChromaErrorBody;
  const serverKind = typeof body.error === 'string' ? ctx.serverText(body.error, 100) : undefined;
  const serverMessage =
    typeof body.message === 'string'
      ? ctx.serverText(body.message, 300)
      : typeof body.detail === 'string'
        ? ctx.serverText(body.detail, 300)
        : typeof data === 'string'
          ? ctx.serverText(data, 300, true)
          : undefined;
  // Cut shorter in the message, so that what to do still fits in its 300 characters.
  const shown = serverMessage === undefined ? undefined : oneLine(serverMessage, 150);
  return { details: { status, serverKind, serverMessage, operation: `${method} ${path}` }, said: shown ? `: ${shown}` : '', shown, serverKind };
}

/** An answer with an error status (4xx, 5xx, or anything but 2xx and 3xx) and its body, as a ChromaError. */
export function statusError(ctx: AnswerContext, method: string, path: string, status: number, data: unknown, headers: Headers): ChromaError {
  const s = said(ctx, method, path, status, data);
  const host = ctx.host;
  // Chroma 0.x answers a missing collection with 400 InvalidCollection ("Collection … does not exist.").
  if ((status === 400 || status === 422) && s.serverKind === 'InvalidCollection') {
    return new ChromaNotFoundError(`Chroma at ${host}: ${sentence(s.shown ?? 'the collection does not exist')} Refresh to see what exists now.`, s.details);
  }
  switch (status) {
    case 400:
    case 422:
      return new ChromaInvalidArgumentError(`Chroma at ${host} rejected the request${s.said}`, s.details);
    case 401:
      return new ChromaUnauthorizedError(`Chroma at ${host} needs credentials (401). Set or update the connection's token.`, s.details);
    case 403:
      return new ChromaForbiddenError(
        `${sentence(`Chroma at ${host} refused access (403)${s.said}`)} Check that the token may use this tenant and database.`,
        s.details,
      );
    case 404:
      return new ChromaNotFoundError(
        s.shown && s.serverKind
          ? `Chroma at ${host}: ${sentence(s.shown)} Refresh to see what exists now.`
          : `Chroma at ${host} has no ${shortOperation(method, path)} (404). Is this a Chroma server, and is the URL right?`,
        s.details,
      );
    case 405:
      // The path exists but not with this method: 0.5.18–0.6.2 cannot list databases (GET …/databases).
      return new ChromaUnsupportedError(
        `Chroma at ${host} does not offer ${shortOperation(method, path)} (405): this server version lacks it. Upgrade the server to use it.`,
        s.details,
      );
    case 409:
      return new ChromaAlreadyExistsError(`Chroma at ${host}: ${sentence(s.shown ?? 'it already exists')}`, s.details);
    case 413:
      return new ChromaPayloadTooLargeError(
        `Chroma at ${host} refused a request body as too large (413). Send fewer or smaller records per batch.`,
        s.details,
      );
    case 429:
      return new ChromaRateLimitedError(`Chroma at ${host} is rate-limiting requests (429). Wait a moment and try again.`, {
        ...s.details,
        retryAfterMs: parseRetryAfter(headers.get('retry-after')),
      });
    default:
      return serverSideError(host, method, path, s);
  }
}

/** 501, 502–504, other 5xx, and any status no case above expects. */
function serverSideError(host: string, method: string, path: string, s: Said): ChromaError {
  const status = s.details.status;
  if (status === 501) {
    return new ChromaUnsupportedError(sentence(`Chroma at ${host} does not support this${s.said}`), s.details);
  }
  if (status >= 502 && status <= 504) {
    return new ChromaUnavailableError(
      `${sentence(`Chroma at ${host} is unavailable (${status})${s.said}`)} The server or a proxy in front of it is down or restarting; try again shortly.`,
      s.details,
    );
  }
  if (status >= 500 && status < 600) {
    return new ChromaServerError(`${sentence(`Chroma at ${host} failed on ${shortOperation(method, path)} (${status})${s.said}`)} See the server's log.`, s.details);
  }
  return new ChromaUnexpectedResponseError(sentence(`Chroma at ${host} answered ${shortOperation(method, path)} with an unexpected ${status}${s.said}`), s.details);
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
