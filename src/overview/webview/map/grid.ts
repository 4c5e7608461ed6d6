/**
 * Hit testing on the map: a uniform grid over the points' bounds (bucketed once per projection), so the point under
 * the mouse is found by looking at a few cells instead of every point. Pure.
 */

export interface Bounds {
  minX: number;
  maxX: number;
  minY: number;
  maxY: number;
}

export interface Grid {
  /** Cells per side. */
  g: number;
  minX: number;
  minY: number;
  /** A cell's width and height in map units. */
  cw: number;
  ch: number;
  /** Cell k's points are items[starts[k]] … items[starts[k + 1] − 1]. */
  starts: Uint32Array;
  items: Uint32Array;
}

export const EMPTY_GRID: Grid = { g: 1, minX: 0, minY: 0, cw: 1, ch: 1, starts: new Uint32Array(2), items: new Uint32Array(0) };

const finiteAt = (c: ArrayLike<number>, i: number) => Number.isFinite(c[2 * i]) && Number.isFinite(c[2 * i + 1]);

/** The box of the points with finite coordinates; the unit square when there is none. */
export function boundsOf(c: ArrayLike<number>, n: number): Bounds {
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < n; i++) {
    if (finiteAt(c, i)) {
      minX = Math.min(minX, c[2 * i]);
      maxX = Math.max(maxX, c[2 * i]);
      minY = Math.min(minY, c[2 * i + 1]);
      maxY = Math.max(maxY, c[2 * i + 1]);
    }
  }
  return minX > maxX ? { minX: 0, maxX: 1, minY: 0, maxY: 1 } : { minX, maxX, minY, maxY };
}

/** The grid of `n` points in `bounds`: about eight points per cell, at most 256 × 256 cells. */
export function buildGrid(c: ArrayLike<number>, n: number, bounds: Bounds): Grid {
  const g = Math.max(1, Math.min(256, Math.ceil(Math.sqrt(n / 8))));
  const cw = (bounds.maxX - bounds.minX) / g || 1;
  const ch = (bounds.maxY - bounds.minY) / g || 1;
  const cellOf = (i: number) => {
    const gx = Math.min(g - 1, Math.max(0, Math.floor((c[2 * i] - bounds.minX) / cw)));
    const gy = Math.min(g - 1, Math.max(0, Math.floor((c[2 * i + 1] - bounds.minY) / ch)));
    return gy * g + gx;
  };
  const starts = new Uint32Array(g * g + 1);
  for (let i = 0; i < n; i++) {
    if (finiteAt(c, i)) {
      starts[cellOf(i) + 1]++;
    }
  }
  for (let k = 0; k < g * g; k++) {
    starts[k + 1] += starts[k];
  }
  const fill = starts.slice(0, g * g);
  const items = new Uint32Array(starts[g * g]);
  for (let i = 0; i < n; i++) {
    if (finiteAt(c, i)) {
      items[fill[cellOf(i)]++] = i;
    }
  }
  return { g, minX: bounds.minX, minY: bounds.minY, cw, ch, starts, items };
}

/** The point nearest to (x, y) within distance `r` (map units), the last of equals; -1 when none. */
export function nearestPoint(grid: Grid, c: ArrayLike<number>, x: number, y: number, r: number): number {
  const { g, minX, minY, cw, ch, starts, items } = grid;
  const x0 = Math.max(0, Math.floor((x - r - minX) / cw));
  const x1 = Math.min(g - 1, Math.floor((x + r - minX) / cw));
  const y0 = Math.max(0, Math.floor((y - r - minY) / ch));
  const y1 = Math.min(g - 1, Math.floor((y + r - minY) / ch));
  let best = -1;
  let bestD = r * r;
  for (let gy = y0; gy <= y1; gy++) {
    for (let gx = x0; gx <= x1; gx++) {
      const cell = gy * g + gx;
      for (let k = starts[cell]; k < starts[cell + 1]; k++) {
        const i = items[k];
        const dx = c[2 * i] - x;
        const dy = c[2 * i + 1] - y;
        const d = dx * dx + dy * dy;
        if (d <= bestD) {
          bestD = d;
          best = i;
        }
      }
    }
  }
  return best;
}
