/** Wire encodings of embeddings: base64 of little-endian float32 (when the server supports it) or JSON numbers. */
import type { Embedding } from './types';

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** base64 of the vector's float32 bytes, little-endian, as Chroma's `supports_base64_encoding` expects. */
export function embeddingToBase64(embedding: Embedding): string {
  const f32 = embedding instanceof Float32Array ? embedding : Float32Array.from(embedding);
  const bytes = Buffer.from(f32.buffer, f32.byteOffset, f32.byteLength);
  if (!LITTLE_ENDIAN) {
    const copy = Buffer.from(bytes);
    copy.swap32();
    return copy.toString('base64');
  }
  return bytes.toString('base64');
}

/** The inverse of embeddingToBase64. */
export function base64ToEmbedding(text: string): Float32Array {
  const bytes = Buffer.from(text, 'base64');
  if (!LITTLE_ENDIAN) {
    bytes.swap32();
  }
  const out = new Float32Array(bytes.length / 4);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}

export function encodeEmbeddings(embeddings: readonly Embedding[], base64: boolean): (string | number[])[] {
  return base64
    ? embeddings.map(embeddingToBase64)
    : embeddings.map((e) => (e instanceof Float32Array ? Array.from(e) : e));
}

/** Bytes an embedding takes in a JSON body, in the given encoding (an upper bound for JSON numbers). */
export function encodedEmbeddingBytes(dimension: number, base64: boolean): number {
  return base64 ? 4 * Math.ceil((dimension * 4) / 3) + 3 : dimension * 24 + 2;
}
