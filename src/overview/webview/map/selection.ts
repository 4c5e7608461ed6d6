/** The points a person selected on the map: one byte per point, and how many are set. Pure. */
import type { Bounds } from './grid';

/** Above this many selected points the selection is not kept across a reload of the page (the state stays small). */
export const KEEP_AT_MOST = 50_000;

export class Selection {
  /** null until a projection is complete, and again after the collection is read anew. */
  private bits: Uint8Array | null = null;
  count = 0;

  /** A fresh, empty selection for `n` points, unless it already has that size. */
  sizeFor(n: number): void {
    if (!this.bits || this.bits.length !== n) {
      this.bits = new Uint8Array(n);
      this.count = 0;
    }
  }

  /** Forgets the selection and its size (the records were read again: indices may mean other records). */
  drop(): void {
    this.bits = null;
    this.count = 0;
  }

  get ready(): boolean {
    return this.bits !== null;
  }

  has(i: number): boolean {
    return this.bits !== null && this.bits[i] === 1;
  }

  clear(): void {
    this.bits?.fill(0);
    this.count = 0;
  }

  toggle(i: number): void {
    if (this.bits && i >= 0 && i < this.bits.length) {
      this.bits[i] = this.bits[i] ? 0 : 1;
      this.count += this.bits[i] ? 1 : -1;
    }
  }

  /** Adds the points at these indices (those in range). */
  add(indices: readonly number[]): void {
    for (const i of indices) {
      if (this.bits && i >= 0 && i < this.bits.length && !this.bits[i]) {
        this.bits[i] = 1;
        this.count++;
      }
    }
  }

  /** Selects the points inside `box` (map units, edges included), added to the selection when `add`, else instead of it. */
  selectIn(coords: ArrayLike<number>, n: number, box: Bounds, add: boolean): void {
    const bits = this.bits;
    if (!bits) {
      return;
    }
    if (!add) {
      bits.fill(0);
    }
    for (let i = 0; i < n; i++) {
      const x = coords[2 * i];
      const y = coords[2 * i + 1];
      if (x >= box.minX && x <= box.maxX && y >= box.minY && y <= box.maxY) {
        bits[i] = 1;
      }
    }
    this.count = bits.reduce((s, v) => s + v, 0);
  }

  indices(): number[] {
    const out: number[] = [];
    this.bits?.forEach((b, i) => {
      if (b) {
        out.push(i);
      }
    });
    return out;
  }

  /** The indices worth keeping across a reload: all of them, or none above KEEP_AT_MOST. */
  toKeep(): number[] {
    return this.count <= KEEP_AT_MOST ? this.indices() : [];
  }

  /** The raw bytes, for the painter (null: nothing can be selected yet). */
  get raw(): Uint8Array | null {
    return this.bits;
  }
}
