/**
 * Reading a response body under a byte cap. The count is of decoded bytes (fetch decompresses as it streams), so a
 * gzip bomb is cut off at the cap instead of filling memory; a Content-Length over the cap is refused unread.
 */

/** The default cap on one response body: far above any page the client asks for, far below harm. */
export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

export class BodyTooLarge extends Error {
  constructor(
    readonly limitBytes: number,
    /** The size the server announced, when it did. */
    readonly declaredBytes?: number,
  ) {
    super(`response body over ${limitBytes} bytes`);
    this.name = 'BodyTooLarge';
  }
}

/** The announced body size, when the header is a plain number. */
function declaredLength(headers: Headers): number | undefined {
  const value = headers.get('content-length');
  return value !== null && /^\s*\d{1,16}\s*$/.test(value) ? Number(value) : undefined;
}

/** Cancels a stream without waiting for, or failing on, its end. */
function discard(stream: ReadableStream<Uint8Array> | null, reader?: ReadableStreamDefaultReader<Uint8Array>): void {
  try {
    void (reader ?? stream)?.cancel().catch(() => undefined);
  } catch {
    // already cancelled or errored
  }
}

/** Drops a body that will not be read (e.g. a redirect's), so its connection is released. */
export function discardBody(response: Response): void {
  discard(response.body);
}

/** The whole body as bytes, or BodyTooLarge as soon as it is known to exceed `maxBytes`. */
export async function readBody(response: Response, maxBytes: number): Promise<Buffer> {
  const declared = declaredLength(response.headers);
  if (declared !== undefined && declared > maxBytes) {
    discard(response.body);
    throw new BodyTooLarge(maxBytes, declared);
  }
  const stream = response.body;
  if (!stream) {
    return Buffer.alloc(0);
  }
  // An uncompressed body of a declared size under the cap cannot grow past it (fetch stops at Content-Length):
  // read it in one go, which is much cheaper than chunk by chunk for the many small answers.
  const encoding = response.headers.get('content-encoding');
  if (declared !== undefined && (encoding === null || encoding.trim().toLowerCase() === 'identity')) {
    return Buffer.from(await response.arrayBuffer());
  }
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        break;
      }
      total += value.byteLength;
      if (total > maxBytes) {
        throw new BodyTooLarge(maxBytes);
      }
      chunks.push(value);
    }
  } catch (e) {
    discard(stream, reader);
    throw e;
  }
  return Buffer.concat(chunks, total);
}
