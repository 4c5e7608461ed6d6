/**
 * How the embedding map is framed when it first shows: centred on the bulk of the points and filling the canvas
 * with it, the few far outliers (a heading chunk among near-identical pages, a broken vector) left outside and
 * counted. The overview page runs this very code (src/overview/webview/ imports it; esbuild.mjs bundles both into
 * media/overview/overview.js). No `vscode` here, nor anything a browser lacks.
 */

/** Where the map looks and how close: the point at the canvas centre, and canvas pixels per map unit. */
export interface MapView {
  cx: number;
  cy: number;
  scale: number;
}

export interface MapFrame extends MapView {
  /** Points (with finite coordinates) outside the canvas in this view. */
  outside: number;
}

/** The first view leaves out at most this share of the points: if more are far out, they are part of the picture. */
export const MAX_LEFT_OUT = 0.05;
/**
 * Points count as far out when, sorted by their distance from the middle of the map, a step from one to the next
 * multiplies the distance by at least this much (within the last MAX_LEFT_OUT of them; the innermost such step).
 */
export const FAR_JUMP = 4;
/** The view shows the fitted box with this factor of room around it (4 % on each side). */
export const MARGIN = 1.08;
/** The middle of the map is the median of an even sample of at most this many points. */
const SAMPLE = 20_000;

interface Box {
  minX: number;
  maxX: number;
  minY: number;
  maxY: number;
}

const finiteAt = (c: ArrayLike<number>, i: number) => Number.isFinite(c[2 * i]) && Number.isFinite(c[2 * i + 1]);

/** The box of the points with finite coordinates that `keep` accepts (undefined when there is none). */
function boxOf(c: ArrayLike<number>, n: number, keep: (x: number, y: number) => boolean = () => true): { box?: Box; count: number } {
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  let count = 0;
  for (let i = 0; i < n; i++) {
    const x = c[2 * i];
    const y = c[2 * i + 1];
    if (finiteAt(c, i) && keep(x, y)) {
      count++;
      minX = Math.min(minX, x);
      maxX = Math.max(maxX, x);
      minY = Math.min(minY, y);
      maxY = Math.max(maxY, y);
    }
  }
  return { box: count > 0 ? { minX, maxX, minY, maxY } : undefined, count };
}

/** The median of x and of y, from an even sample. */
function middle(c: ArrayLike<number>, n: number): { x: number; y: number } {
  const step = Math.max(1, Math.floor(n / SAMPLE));
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < n; i += step) {
    if (finiteAt(c, i)) {
      xs.push(c[2 * i]);
      ys.push(c[2 * i + 1]);
    }
  }
  const median = (v: number[]) => v.sort((a, b) => a - b)[Math.floor(v.length / 2)];
  return { x: median(xs), y: median(ys) };
}

/**
 * The box the first view fits: the bulk of the points, when a few (at most MAX_LEFT_OUT) lie far out from the rest
 * (see FAR_JUMP); else every point. A bulk all at one spot says nothing about the map, so then every point too.
 * Quantiles of a spread do not do here: when most points sit at one spot (near-identical documents), every quartile
 * is that spot.
 */
function bulkBox(c: ArrayLike<number>, n: number, all: Box, total: number): Box {
  const mid = middle(c, n);
  const dist = new Float64Array(total);
  let k = 0;
  for (let i = 0; i < n; i++) {
    if (finiteAt(c, i)) {
      dist[k++] = Math.hypot(c[2 * i] - mid.x, c[2 * i + 1] - mid.y);
    }
  }
  dist.sort();
  // the innermost such step among the last MAX_LEFT_OUT of the distances: the first point beyond the bulk
  const floor = dist[total - 1] * 1e-6;
  let cut = -1;
  for (let i = Math.max(1, Math.ceil(total * (1 - MAX_LEFT_OUT))); i < total && cut < 0; i++) {
    // (a bulk at one spot, or next to it to float32's precision, is no bulk to fit)
    if (dist[i - 1] > floor && dist[i] >= FAR_JUMP * dist[i - 1]) {
      cut = i;
    }
  }
  if (cut < 0) {
    return all;
  }
  const reach = dist[cut - 1];
  return boxOf(c, n, (x, y) => Math.hypot(x - mid.x, y - mid.y) <= reach).box ?? all;
}

/** The view that shows `box` whole in a canvas of `width` × `height` pixels, centred. */
function viewOf(box: Box, width: number, height: number): MapView {
  const span = Math.max(box.maxX - box.minX, box.maxY - box.minY);
  // a single spot (one point, or all at one place) gets a unit of room around it
  const unit = span > 0 ? span * 1e-3 : 1;
  const dx = Math.max(box.maxX - box.minX, unit);
  const dy = Math.max(box.maxY - box.minY, unit);
  return {
    cx: (box.minX + box.maxX) / 2,
    cy: (box.minY + box.maxY) / 2,
    scale: Math.min(width / (dx * MARGIN), height / (dy * MARGIN)),
  };
}

/**
 * The first view of `n` points (`coords` holds x, y per point) on a canvas of `width` × `height` pixels: fitted to
 * the bulk of the points (see bulkBox), or to every point when `all`. Points with non-finite coordinates are ignored.
 */
export function frameMap(coords: ArrayLike<number>, n: number, width: number, height: number, all = false): MapFrame {
  const w = Math.max(1, width);
  const h = Math.max(1, height);
  const { box: every, count } = boxOf(coords, n);
  if (!every) {
    return { ...viewOf({ minX: 0, maxX: 1, minY: 0, maxY: 1 }, w, h), outside: 0 };
  }
  const view = viewOf(all ? every : bulkBox(coords, n, every, count), w, h);
  // what the canvas shows, in map units
  const halfW = w / 2 / view.scale;
  const halfH = h / 2 / view.scale;
  const { count: shown } = boxOf(coords, n, (x, y) => Math.abs(x - view.cx) <= halfW && Math.abs(y - view.cy) <= halfH);
  return { ...view, outside: count - shown };
}
