/**
 * Where the map looks: the map point at the canvas centre and the zoom (CSS pixels per map unit), and the sums
 * between screen and map positions. The screen's y grows downwards, the map's upwards. Pure.
 */
import type { MapView } from '../../core/framing';

export type { MapView };

export interface Point {
  x: number;
  y: number;
}

/** The canvas's size in CSS pixels. */
export interface Size {
  w: number;
  h: number;
}

const MIN_SCALE = 1e-9;
const MAX_SCALE = 1e9;

export function toScreen(v: MapView, s: Size, x: number, y: number): Point {
  return { x: s.w / 2 + (x - v.cx) * v.scale, y: s.h / 2 - (y - v.cy) * v.scale };
}

export function toMap(v: MapView, s: Size, sx: number, sy: number): Point {
  return { x: v.cx + (sx - s.w / 2) / v.scale, y: v.cy - (sy - s.h / 2) / v.scale };
}

/** Zooms by `factor` about the screen point (sx, sy), which stays over the same map point. */
export function zoomAt(v: MapView, s: Size, sx: number, sy: number, factor: number): void {
  const before = toMap(v, s, sx, sy);
  v.scale = Math.min(MAX_SCALE, Math.max(MIN_SCALE, v.scale * factor));
  const after = toMap(v, s, sx, sy);
  v.cx += before.x - after.x;
  v.cy += before.y - after.y;
}

/** Moves the map with the mouse by (dx, dy) CSS pixels. */
export function panBy(v: MapView, dx: number, dy: number): void {
  v.cx -= dx / v.scale;
  v.cy += dy / v.scale;
}

/** The zoom factor of one wheel event: its deltaY in lines (deltaMode 1) or pixels. */
export function wheelFactor(deltaY: number, deltaMode: number): number {
  return Math.exp(-deltaY * (deltaMode === 1 ? 0.05 : 0.0015));
}

/** The map box under the screen rectangle with corners (x0, y0) and (x1, y1), in either order. */
export function mapBox(v: MapView, s: Size, x0: number, y0: number, x1: number, y1: number): { minX: number; maxX: number; minY: number; maxY: number } {
  const a = toMap(v, s, Math.min(x0, x1), Math.max(y0, y1));
  const b = toMap(v, s, Math.max(x0, x1), Math.min(y0, y1));
  return { minX: a.x, maxX: b.x, minY: a.y, maxY: b.y };
}

/**
 * Where a tooltip of size `tip` goes for the point at `at` on a canvas of size `canvas` (CSS pixels, its top left
 * corner): below and right of it, kept 4 px inside the canvas across, and above it when there is no room below.
 */
export function tooltipAt(at: Point, canvas: Size, tip: Size): Point {
  return {
    x: Math.max(4, Math.min(canvas.w - tip.w - 4, at.x + 14)),
    y: at.y + 14 + tip.h > canvas.h ? Math.max(4, at.y - tip.h - 10) : at.y + 14,
  };
}
