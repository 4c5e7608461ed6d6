/**
 * The map's points as they arrive: a projection comes in chunks of base64 float32 x, y pairs (`points` messages),
 * assembled here until every point is in. Pure.
 */
import type { Method, ToWebview } from '../../core/protocol';

type PointsMessage = Extract<ToWebview, { type: 'points' }>;

/** The bytes of a base64 string (the protocol's checker has made sure it is base64). */
export function bytesOf(b64: string): Uint8Array {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    out[i] = s.charCodeAt(i);
  }
  return out;
}

/** What a chunk did: began another projection (the old one's view and hover texts no longer apply), completed it. */
export interface Received {
  started: boolean;
  complete: boolean;
}

export class PointSet {
  n = 0;
  method: Method = 'pca';
  /** x, y per point; null before the first chunk. */
  coords: Float32Array | null = null;
  /** Points received of the projection being assembled. */
  got = 0;
  complete = false;

  /** Takes one chunk. A chunk at offset 0, or of another size or method, starts the projection over. */
  receive(m: PointsMessage): Received {
    let started = false;
    if (m.offset === 0 || !this.coords || this.n !== m.n || this.method !== m.method) {
      this.n = m.n;
      this.method = m.method;
      this.coords = new Float32Array(m.n * 2);
      this.got = 0;
      this.complete = false;
      started = true;
    }
    const bytes = bytesOf(m.coords);
    const chunk = new Float32Array(bytes.buffer, 0, Math.floor(bytes.length / 4));
    if (m.offset * 2 + chunk.length > this.coords.length) {
      return { started, complete: false };
    }
    this.coords.set(chunk, m.offset * 2);
    this.got += chunk.length / 2;
    if (this.got >= this.n) {
      this.complete = true;
    }
    return { started, complete: this.got >= this.n };
  }

  /** The coordinates once every point is in; null before. */
  get ready(): Float32Array | null {
    return this.complete ? this.coords : null;
  }
}
