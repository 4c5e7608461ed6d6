/**
 * Calls of Chroma's API v2 with their answers checked: one request through the transport, its answer passed through
 * the endpoint's shape (a wrong shape is a ChromaUnexpectedResponseError, never data), and a 404 that is not Chroma's
 * own told apart: an older Chroma lacking one endpoint, a v1-only Chroma, or no Chroma at all. Also the paths of
 * databases and collections, and the guard against servers that ignore paging. No `vscode` here.
 */
import {
  ChromaApiV1OnlyError,
  ChromaError,
  ChromaNotChromaError,
  ChromaNotFoundError,
  ChromaUnexpectedResponseError,
  ChromaUnsupportedError,
} from './errors';
import { ShapeMismatch, heartbeatShape } from './shapes';
import type { Shape } from './shapes';
import { shortOperation } from './transport';
import type { HttpMethod, RequestOptions, Transport } from './transport';
import type { Scope } from './types';
import type { CollectionRef, Signal } from './clientTypes';

export const V2 = '/api/v2';

export function seg(value: string): string {
  return encodeURIComponent(value);
}

export function dbPath(scope: Scope): string {
  return `/tenants/${seg(scope.tenant)}/databases/${seg(scope.database)}`;
}

export function colPath(c: CollectionRef): string {
  return `${dbPath(c)}/collections/${seg(c.id)}`;
}

export class ApiCaller {
  constructor(readonly transport: Transport) {}

  get host(): string {
    return this.transport.host;
  }

  /**
   * One request under /api/v2 (GETs may be retried), its answer checked against `shape`. A 404 without a Chroma error
   * body means the server has no such endpoint: explainMissing says why.
   */
  async call<T>(method: HttpMethod, path: string, shape: Shape<T>, opts: RequestOptions = {}): Promise<T> {
    const full = `${V2}${path}`;
    let data: unknown;
    try {
      data = await this.transport.request<unknown>(method, full, opts.idempotent === undefined && method === 'GET' ? { ...opts, idempotent: true } : opts);
    } catch (e) {
      if (e instanceof ChromaNotFoundError && !e.serverKind) {
        throw await this.explainMissing(e, method, full, opts);
      }
      throw e;
    }
    return this.checked(method, full, data, shape);
  }

  private checked<T>(method: HttpMethod, path: string, data: unknown, shape: Shape<T>): T {
    try {
      return shape(data);
    } catch (e) {
      if (!(e instanceof ShapeMismatch)) {
        throw e;
      }
      const why = this.transport.serverText(e.message, 150) ?? 'an unexpected body';
      throw new ChromaUnexpectedResponseError(
        `Chroma at ${this.host} answered ${shortOperation(method, path)} with an unexpected body (${why}). ` +
          'Check that the URL points to a Chroma server, version 0.6 or newer.',
        { operation: `${method} ${path}` },
      );
    }
  }

  /**
   * Why a path answered 404 without a Chroma error body. `/api/v2/heartbeat` is asked first: when it answers, this is
   * a Chroma with API v2 that lacks this one endpoint (0.6.x has no /healthcheck); only when it does not is
   * `/api/v1/heartbeat` asked, to tell a pre-0.6 server (API v1 only) from something that is not Chroma at all.
   * Both probes run within the call's (else the client's) timeout.
   */
  private async explainMissing(original: ChromaError, method: HttpMethod, path: string, opts: Signal & { timeoutMs?: number }): Promise<ChromaError> {
    const host = this.host;
    const details = { status: original.status, operation: original.operation, serverMessage: original.serverMessage };
    const answers = async (heartbeatPath: string): Promise<boolean> => {
      try {
        heartbeatShape(await this.transport.request<unknown>('GET', heartbeatPath, { signal: opts.signal, timeoutMs: opts.timeoutMs, retries: 0 }));
        return true;
      } catch (e) {
        if (e instanceof ChromaError && e.code === 'aborted') {
          throw e;
        }
        return false;
      }
    };
    try {
      if (path !== `${V2}/heartbeat` && (await answers(`${V2}/heartbeat`))) {
        return new ChromaUnsupportedError(
          `Chroma at ${host} has no ${shortOperation(method, path)} (404): this server version does not offer it. Upgrade the server to use it.`,
          details,
        );
      }
      if (await answers('/api/v1/heartbeat')) {
        return new ChromaApiV1OnlyError(
          `Chroma at ${host} only speaks API v1: it is older than 0.6. Upgrade the server to Chroma 0.6 or newer.`,
          details,
        );
      }
    } catch (e) {
      return e as ChromaError;
    }
    return new ChromaNotChromaError(`${host} answered, but not as a Chroma server (no /api/v2). Check the URL and port.`, details);
  }

  /**
   * A server that ignores `offset` answers every page with the first one: paging would never end. Returns the
   * page's first id, for the next check.
   */
  checkNextPage(operation: string, offset: number, previousFirst: string | undefined, first: string | undefined): string | undefined {
    if (offset > 0 && first !== undefined && first === previousFirst) {
      throw new ChromaUnexpectedResponseError(
        `Chroma at ${this.host} answered ${operation} at offset ${offset} with the page it gave before: it ignores paging, so the list cannot be read to its end.`,
        { operation },
      );
    }
    return first;
  }
}
