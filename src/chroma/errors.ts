/**
 * Typed errors for everything the Chroma client can fail at. Each one carries a one-line message a person can act
 * on (what failed, why, what to do) and never a secret. The UI shows `message` as it is.
 */
import { MAX_MESSAGE_CHARS, oneLine } from './sanitize';

export type ChromaErrorCode =
  | 'unreachable'
  | 'timeout'
  | 'aborted'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'already-exists'
  | 'invalid-argument'
  | 'payload-too-large'
  | 'rate-limited'
  | 'unsupported'
  | 'server-error'
  | 'unavailable'
  | 'api-v1-only'
  | 'not-chroma'
  | 'unexpected-response'
  | 'redirect'
  | 'response-too-large';

export interface ChromaErrorDetails {
  /** HTTP status, when the server answered. */
  status?: number;
  /** The server's own `error` kind (e.g. `InvalidArgumentError`), when it sent one. */
  serverKind?: string;
  /** The server's own message, when it sent one (already free of secrets). */
  serverMessage?: string;
  /** What was being done, e.g. `GET /api/v2/heartbeat`. */
  operation?: string;
  cause?: unknown;
}

export class ChromaError extends Error {
  readonly code: ChromaErrorCode;
  readonly status?: number;
  readonly serverKind?: string;
  readonly serverMessage?: string;
  readonly operation?: string;

  /** Messages are cut to one line of at most 300 characters here, whoever built them: the last line of defence. */
  constructor(code: ChromaErrorCode, message: string, details: ChromaErrorDetails = {}) {
    super(oneLine(message, MAX_MESSAGE_CHARS), details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.code = code;
    this.status = details.status;
    this.serverKind = details.serverKind === undefined ? undefined : oneLine(details.serverKind, 100);
    this.serverMessage = details.serverMessage === undefined ? undefined : oneLine(details.serverMessage, MAX_MESSAGE_CHARS);
    this.operation = details.operation === undefined ? undefined : oneLine(details.operation, 1000);
  }
}

export class ChromaUnreachableError extends ChromaError {
  constructor(message: string, details?: ChromaErrorDetails) {
    super('unreachable', message, details);
  }
}
export class ChromaTimeoutError extends ChromaError {
  constructor(message: string, details?: ChromaErrorDetails) {
    super('timeout', message, details);
  }
}
export class ChromaAbortedError extends ChromaError {
  constructor(message: string, details?: ChromaErrorDetails) {
    super('aborted', message, details);
  }
}
export class ChromaUnauthorizedError extends ChromaError {
  constructor(message: string, details?: ChromaErrorDetails) {
    super('unauthorized', message, details);
  }
}
export class ChromaForbiddenError extends ChromaError {
  constructor(message: string, details?: ChromaErrorDetails) {
    super('forbidden', message, details);
  }
}
export class ChromaNotFoundError extends ChromaError {
  constructor(message: string, details?: ChromaErrorDetails) {
    super('not-found', message, details);
  }
}
export class ChromaAlreadyExistsError extends ChromaError {
  constructor(message: string, details?: ChromaErrorDetails) {
    super('already-exists', message, details);
  }
}
/** Bad input: found by the client's own validation before sending (`status` undefined) or refused by the server. */
export class ChromaInvalidArgumentError extends ChromaError {
  constructor(message: string, details?: ChromaErrorDetails) {
    super('invalid-argument', message, details);
  }
}
export class ChromaPayloadTooLargeError extends ChromaError {
  constructor(message: string, details?: ChromaErrorDetails) {
    super('payload-too-large', message, details);
  }
}
export class ChromaRateLimitedError extends ChromaError {
  /** How long the server asked to wait (Retry-After), when it said. */
  readonly retryAfterMs?: number;

  constructor(message: string, details?: ChromaErrorDetails & { retryAfterMs?: number }) {
    super('rate-limited', message, details);
    this.retryAfterMs = details?.retryAfterMs;
  }
}
export class ChromaUnsupportedError extends ChromaError {
  constructor(message: string, details?: ChromaErrorDetails) {
    super('unsupported', message, details);
  }
}
export class ChromaServerError extends ChromaError {
  constructor(message: string, details?: ChromaErrorDetails) {
    super('server-error', message, details);
  }
}
export class ChromaUnavailableError extends ChromaError {
  constructor(message: string, details?: ChromaErrorDetails) {
    super('unavailable', message, details);
  }
}
export class ChromaApiV1OnlyError extends ChromaError {
  constructor(message: string, details?: ChromaErrorDetails) {
    super('api-v1-only', message, details);
  }
}
export class ChromaNotChromaError extends ChromaError {
  constructor(message: string, details?: ChromaErrorDetails) {
    super('not-chroma', message, details);
  }
}
export class ChromaUnexpectedResponseError extends ChromaError {
  constructor(message: string, details?: ChromaErrorDetails) {
    super('unexpected-response', message, details);
  }
}

/** The server answered with a redirect, which is never followed: credentials and bodies stay with the origin. */
export class ChromaRedirectError extends ChromaError {
  /** Where it pointed, as origin and path only (undefined when there was no usable Location). */
  readonly location?: string;

  constructor(message: string, details?: ChromaErrorDetails & { location?: string }) {
    super('redirect', message, details);
    this.location = details?.location;
  }
}
/** The server's answer was larger than the client's `maxResponseBytes`; it was not read further. */
export class ChromaResponseTooLargeError extends ChromaError {
  readonly limitBytes: number;

  constructor(message: string, details: ChromaErrorDetails & { limitBytes: number }) {
    super('response-too-large', message, details);
    this.limitBytes = details.limitBytes;
  }
}

export function isChromaError(e: unknown): e is ChromaError {
  return e instanceof ChromaError;
}

/** A message for any thrown value: never `[object Object]`, never a stack. */
export function describeError(e: unknown): string {
  if (e instanceof Error) {
    return e.message || e.name;
  }
  if (typeof e === 'string') {
    return e;
  }
  try {
    const json = JSON.stringify(e);
    return json === undefined ? String(e) : json;
  } catch {
    return String(e);
  }
}

/** The server (or a proxy) refused our credentials: 401, or 403 for this tenant or database. */
export function isAuthError(e: unknown): e is ChromaError {
  return e instanceof ChromaError && (e.code === 'unauthorized' || e.code === 'forbidden');
}

/**
 * The server lacks the endpoint itself (405, 501, or a 404 without a Chroma error body on a Chroma that speaks API
 * v2): an older or smaller server, where a caller may fall back. A 404 about a missing tenant or collection is not.
 */
export function isMissingEndpoint(e: unknown): e is ChromaUnsupportedError {
  return e instanceof ChromaUnsupportedError;
}
