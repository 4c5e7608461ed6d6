/**
 * What an answer's status and body become, past the transport's checks of status and size: a 2xx body parsed as JSON
 * (large ones off the calling thread, see largeJson.ts), an error body as far as a message needs it, and the 3xx
 * answers the client never follows. No `vscode` here.
 */
import { ChromaRedirectError, ChromaUnexpectedResponseError } from './errors';
import { JsonWorkerFailed, NotJson, OFF_THREAD_BYTES, parseJsonBytes } from './largeJson';
import { formatSize, shortOperation } from './operation';
import { describeLocation, elideMiddle, oneLine, quote } from './sanitize';

/** What the messages here need of the transport. */
export interface AnswerContext {
  /** `localhost:8000`. */
  readonly host: string;
  readonly baseUrl: string;
  /** Server text made fit for a message (bounded, secrets redacted, one line). */
  serverText(raw: string, max: number, html?: boolean): string | undefined;
}

/** How much of a large error body is read: a message shows its start only. */
const ERROR_BODY_PREFIX_BYTES = 64 * 1024;

function notJson(ctx: AnswerContext, method: string, path: string, status: number, text: string): ChromaUnexpectedResponseError {
  const start = ctx.serverText(text, 40, true);
  return new ChromaUnexpectedResponseError(
    `Chroma at ${ctx.host} answered ${shortOperation(method, path)} with a body that is not JSON` +
      `${start ? ` (it starts ${quote(start, 40)})` : ''}. Check that the URL points to a Chroma server.`,
    { status, operation: `${method} ${path}` },
  );
}

/** A 2xx body: empty, or JSON. Anything else (an HTML page from a captive portal, truncated JSON) is an error. */
function parseText(ctx: AnswerContext, method: string, path: string, status: number, text: string): unknown {
  if (text === '') {
    return undefined;
  }
  try {
    return JSON.parse(text);
  } catch {
    throw notJson(ctx, method, path, status, text);
  }
}

/** A 2xx body of OFF_THREAD_BYTES or more, parsed off this thread; `bytes` is moved there (unusable after). */
async function parseLarge(ctx: AnswerContext, method: string, path: string, status: number, bytes: Buffer, signal: AbortSignal): Promise<unknown> {
  const head = Buffer.from(bytes.subarray(0, 256)).toString('utf8');
  const size = bytes.length;
  try {
    return await parseJsonBytes(bytes, signal);
  } catch (e) {
    if (e instanceof NotJson) {
      throw notJson(ctx, method, path, status, head);
    }
    if (e instanceof JsonWorkerFailed) {
      throw new ChromaUnexpectedResponseError(
        `The ${formatSize(size)} answer of Chroma at ${ctx.host} to ${shortOperation(method, path)} could not be read: ` +
          `the worker that parses large answers failed (${oneLine(e.message, 80)}). Try again; if it persists, reinstall the extension.`,
        { status, operation: `${method} ${path}` },
      );
    }
    throw e;
  }
}

/**
 * A 2xx body as a value: small ones parsed here at once (as fast as ever), large ones in a worker. `bytes` may be
 * unusable afterwards. Rejects with the signal's reason when it aborts during a parse in the worker.
 */
export function parseBody(ctx: AnswerContext, method: string, path: string, status: number, bytes: Buffer, signal: AbortSignal): unknown {
  return bytes.length < OFF_THREAD_BYTES ? parseText(ctx, method, path, status, bytes.toString('utf8')) : parseLarge(ctx, method, path, status, bytes, signal);
}

function lenient(text: string): unknown {
  if (text === '') {
    return undefined;
  }
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * An error body as JSON when it is, else as text (a large one by its start only: a message shows no more). Large
 * ones are parsed off this thread too. `bytes` may be unusable afterwards.
 */
export async function errorBody(bytes: Buffer, signal: AbortSignal): Promise<unknown> {
  if (bytes.length < OFF_THREAD_BYTES) {
    return lenient(bytes.toString('utf8'));
  }
  const start = bytes.subarray(0, ERROR_BODY_PREFIX_BYTES).toString('utf8');
  try {
    return await parseJsonBytes(bytes, signal);
  } catch (e) {
    if (e instanceof NotJson || e instanceof JsonWorkerFailed) {
      return start;
    }
    throw e;
  }
}

/**
 * 304 is no redirect: "not modified, use your cached copy", which only a conditional request (If-None-Match,
 * If-Modified-Since) may get. The client sends none unless the connection's own headers (`headerNames`) do.
 */
export function notModified(ctx: AnswerContext, headerNames: readonly string[], method: string, path: string): ChromaUnexpectedResponseError {
  const asked = headerNames.find((h) => /^if-(none-match|modified-since)$/i.test(h));
  const why = asked
    ? `because the connection's headers send ${asked}; nothing was read. Remove that header from the connection.`
    : 'to a request that did not ask for it (no If-None-Match or If-Modified-Since); nothing was read. ' +
      'A cache or proxy on the way may be answering: check it, or connect directly.';
  return new ChromaUnexpectedResponseError(`Chroma at ${ctx.host} answered ${shortOperation(method, path)} with 304 "not modified" ${why}`, {
    status: 304,
    operation: `${method} ${path}`,
  });
}

/**
 * The connection URL to suggest for a redirect target: the target minus the request's own path when it ends with it
 * (`https://host/api/v2/heartbeat` → `https://host`), else the target's origin.
 */
function suggestedBase(target: string, requestPath: string): string {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return 'the final address';
  }
  const path = url.pathname.endsWith(requestPath) ? url.pathname.slice(0, -requestPath.length) : '';
  return `${url.origin}${path.replace(/\/+$/, '')}`;
}

/** A 3xx (other than 304): never followed, so credentials and bodies stay with the connection's origin. */
export function redirected(ctx: AnswerContext, method: string, path: string, status: number, location: string | null): ChromaRedirectError {
  const operation = `${method} ${path}`;
  const where = describeLocation(location, `${ctx.baseUrl}${path}`);
  if (!where) {
    return new ChromaRedirectError(
      `Chroma at ${ctx.host} answered ${shortOperation(method, path)} with a redirect (${status}) but no usable location; ` +
        'not followed. Check the connection URL (e.g. https:// instead of http://).',
      { status, operation },
    );
  }
  return new ChromaRedirectError(
    `Chroma at ${ctx.host} answered ${shortOperation(method, path)} with a redirect (${status}) to ${elideMiddle(where, 80)}; ` +
      `not followed, so nothing went there. If that is the server, use ${elideMiddle(suggestedBase(where, path), 60)} as the connection URL.`,
    { status, operation, location: where },
  );
}
