/**
 * Typed errors for everything the Chroma client can fail at. Each one carries a one-line message a person can act
 * on (what failed, why, what to do) and never a secret. The UI shows `message` as it is.
 */

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
  | 'unexpected-response';

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

  constructor(code: ChromaErrorCode, message: string, details: ChromaErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.code = code;
    this.status = details.status;
    this.serverKind = details.serverKind;
    this.serverMessage = details.serverMessage;
    this.operation = details.operation;
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
