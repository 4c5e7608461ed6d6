/**
 * The map's canvas: sized to its box in device pixels, the points painted into an ImageData only when something
 * they show changed (`invalidate`), and the overlay drawn over them on every frame (`redraw`). Draws at most once
 * per animation frame.
 */
import { paletteOf, pack } from '../colors';
import type { Rgb } from '../colors';
import type { Theme } from '../theme';
import { drawOverlay } from './overlay';
import type { OverlayInput } from './overlay';
import { paintPoints, pointSize } from './paint';
import type { Size } from './viewport';
import type { MapView } from './viewport';

/** What the canvas shows: the points (once all are in) and what goes over them. */
export interface Scene {
  coords: Float32Array | null;
  n: number;
  view: MapView;
  /** A colour code per point, and the legend's colours (RGB) the codes index (asked for only when painting). */
  codes: Uint8Array | null;
  legend: () => readonly Rgb[];
  /** The selection, or null when nothing is selected. */
  selected: Uint8Array | null;
  overlay: OverlayInput;
}

export const devicePixelRatio = (): number => window.devicePixelRatio || 1;

export class MapCanvas {
  private readonly ctx: CanvasRenderingContext2D;
  private pixels: ImageData | null = null;
  private dirty = true;
  private frame = 0;
  /** Points on the canvas when the points were last painted. */
  drawn = 0;

  /** `painted`: called after the points were painted anew (what the page shows changed). */
  constructor(
    readonly canvas: HTMLCanvasElement,
    private readonly theme: Theme,
    private readonly scene: () => Scene,
    private readonly painted: () => void,
  ) {
    const ctx = canvas.getContext('2d', { alpha: false });
    if (!ctx) {
      throw new Error('The overview page cannot draw its map: no 2-D canvas.');
    }
    this.ctx = ctx;
  }

  /** The canvas's size in CSS pixels (at least 1 × 1). */
  size(): Size {
    return { w: this.canvas.clientWidth || 1, h: this.canvas.clientHeight || 1 };
  }

  /** The points must be painted again (they moved, changed colour or selection), then drawn. */
  invalidate(): void {
    this.dirty = true;
    this.redraw();
  }

  /** Draws again on the next frame (the overlay changed). */
  redraw(): void {
    if (!this.frame) {
      this.frame = requestAnimationFrame(() => {
        this.frame = 0;
        this.draw();
      });
    }
  }

  private draw(): void {
    this.resize();
    const scene = this.scene();
    if (this.dirty) {
      this.paint(scene);
      this.dirty = false;
      this.painted();
    }
    if (this.pixels) {
      this.ctx.putImageData(this.pixels, 0, 0);
    }
    const dpr = devicePixelRatio();
    this.ctx.save();
    this.ctx.scale(dpr, dpr);
    drawOverlay(this.ctx, this.theme, scene.overlay);
    this.ctx.restore();
  }

  private resize(): void {
    const dpr = devicePixelRatio();
    const { w, h } = this.size();
    const width = Math.max(1, Math.round(w * dpr));
    const height = Math.max(1, Math.round(h * dpr));
    if (this.canvas.width !== width || this.canvas.height !== height) {
      this.canvas.width = width;
      this.canvas.height = height;
      this.dirty = true;
    }
  }

  private paint(s: Scene): void {
    const { width, height } = this.canvas;
    if (!this.pixels || this.pixels.width !== width || this.pixels.height !== height) {
      this.pixels = this.ctx.createImageData(width, height);
    }
    const buf = new Uint32Array(this.pixels.data.buffer);
    const theme = this.theme;
    buf.fill(pack(theme.bg));
    if (!s.coords) {
      this.drawn = 0;
      return;
    }
    const dpr = devicePixelRatio();
    const { w, h } = this.size();
    const k = s.view.scale * dpr;
    const codes = s.codes && s.codes.length === s.n ? s.codes : null;
    // without colour codes every point is code 255: the theme's plain colour; with them, 255 is "no value"
    const other = codes ? theme.missing() : theme.rgb(theme.plain);
    const palette = paletteOf(codes ? s.legend() : [], other, theme.bg, theme.rgb(theme.focus), s.selected !== null);
    this.drawn = paintPoints(buf, width, height, {
      coords: s.coords,
      n: s.n,
      k,
      ox: (w / 2) * dpr - s.view.cx * k,
      oy: (h / 2) * dpr + s.view.cy * k,
      size: pointSize(s.n, dpr),
      codes,
      palette,
      selected: s.selected,
    });
  }
}
