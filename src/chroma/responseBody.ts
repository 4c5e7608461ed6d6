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

/**
 * From this declared size on, a body is copied chunk by chunk into one buffer of that size as it arrives: reading it
 * whole would end in one copy of it all (with the first touch of that much fresh memory), ~50–100 ms for 50 MB here,
 * during which nothing else runs.
 */
const READ_INTO_FROM_BYTES = 1024 * 1024;

/** A body of a declared `size` into a buffer of its own (transferable to a worker whole), chunk by chunk. */
async function readInto(stream: ReadableStream<Uint8Array>, size: number): Promise<Buffer> {
  const out = Buffer.allocUnsafeSlow(size);
  const reader = stream.getReader();
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        break;
      }
      if (total + value.byteLength > size) {
        // fetch itself stops at Content-Length; this is the same failure, should it ever not
        throw Object.assign(new Error('the body is longer than its Content-Length'), { code: 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH' });
      }
      out.set(value, total);
      total += value.byteLength;
    }
  } catch (e) {
    discard(stream, reader);
    throw e;
  }
  return total === size ? out : out.subarray(0, total);
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
    return declared < READ_INTO_FROM_BYTES ? Buffer.from(await response.arrayBuffer()) : readInto(stream, declared);
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
