/**
 * What is drawn over the points on each frame (cheap, so it follows the mouse): the last query's hits as rings and
 * the query itself as a diamond, the hovered and focused points, the keyboard cursor, and the box being dragged.
 */
import { cssRgb } from '../colors';
import type { Theme } from '../theme';
import type { Point } from './viewport';

export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface OverlayInput {
  /** The points' coordinates once they are all in (null: none drawn yet), and how many. */
  coords: Float32Array | null;
  n: number;
  hits: readonly number[];
  query: readonly number[] | null;
  /** The hovered and the focused point (-1: none). */
  marked: readonly number[];
  cursor: Point | null;
  box: Box | null;
  toScreen(x: number, y: number): Point;
}

/** Draws the overlay in CSS pixels (the caller has scaled the context to the device pixel ratio). */
export function drawOverlay(ctx: CanvasRenderingContext2D, theme: Theme, o: OverlayInput): void {
  if (o.coords) {
    drawQuery(ctx, theme, o, o.coords);
    for (const i of o.marked) {
      if (i >= 0 && i < o.n) {
        ring(ctx, o.toScreen(o.coords[2 * i], o.coords[2 * i + 1]), 7, cssRgb(theme.fg), 1.5);
      }
    }
  }
  if (o.cursor) {
    drawCursor(ctx, theme, o.cursor);
  }
  if (o.box) {
    drawBox(ctx, theme, o.box);
  }
}

function ring(ctx: CanvasRenderingContext2D, p: Point, radius: number, color: string, width: number): void {
  ctx.strokeStyle = color;
  ctx.lineWidth = width;
  ctx.beginPath();
  ctx.arc(p.x, p.y, radius, 0, Math.PI * 2);
  ctx.stroke();
}

/** The last query's hits (rings) and the query itself (a diamond). */
function drawQuery(ctx: CanvasRenderingContext2D, theme: Theme, o: OverlayInput, c: Float32Array): void {
  for (const i of o.hits) {
    if (i < o.n) {
      ring(ctx, o.toScreen(c[2 * i], c[2 * i + 1]), 6, theme.hit, 2);
    }
  }
  if (o.query) {
    const p = o.toScreen(o.query[0], o.query[1]);
    ctx.fillStyle = theme.query;
    ctx.strokeStyle = cssRgb(theme.bg);
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.moveTo(p.x, p.y - 9);
    ctx.lineTo(p.x + 9, p.y);
    ctx.lineTo(p.x, p.y + 9);
    ctx.lineTo(p.x - 9, p.y);
    ctx.closePath();
    ctx.fill();
    ctx.stroke();
  }
}

function drawCursor(ctx: CanvasRenderingContext2D, theme: Theme, c: Point): void {
  ctx.strokeStyle = theme.focus;
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(c.x - 10, c.y);
  ctx.lineTo(c.x + 10, c.y);
  ctx.moveTo(c.x, c.y - 10);
  ctx.lineTo(c.x, c.y + 10);
  ctx.stroke();
}

/** The selection box being dragged: a faint fill and a dashed edge. */
function drawBox(ctx: CanvasRenderingContext2D, theme: Theme, b: Box): void {
  const x = Math.min(b.x0, b.x1);
  const y = Math.min(b.y0, b.y1);
  const w = Math.abs(b.x1 - b.x0);
  const h = Math.abs(b.y1 - b.y0);
  ctx.strokeStyle = theme.focus;
  ctx.fillStyle = theme.focus;
  ctx.lineWidth = 1;
  ctx.globalAlpha = 0.12;
  ctx.fillRect(x, y, w, h);
  ctx.globalAlpha = 1;
  ctx.setLineDash([4, 3]);
  ctx.strokeRect(x, y, w, h);
  ctx.setLineDash([]);
}
