/**
 * The map's colours as numbers: legend palettes, mixing, and packing into the canvas's 32-bit pixels. Pure; the
 * theme's colours are read in theme.ts.
 */
import type { Scale } from '../core/protocol';

export type Rgb = readonly [number, number, number];

/** One colour per value (Tableau 10 and two more), repeated past twelve. */
export const CATEGORY = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac', '#8cd17d', '#d37295'];
/** A diverging ramp, cool to warm, for ordered bins. */
export const SEQUENTIAL = ['#3b4cc0', '#6f92f3', '#aac7fd', '#f7b89c', '#e7745b', '#b40426'];

/** The CSS colour of legend entry `i` of `entries`. */
export function legendColor(i: number, entries: number, scale: Scale): string {
  if (scale === 'sequential') {
    return SEQUENTIAL[entries <= 1 ? 0 : Math.round((i * (SEQUENTIAL.length - 1)) / (entries - 1))];
  }
  return CATEGORY[i % CATEGORY.length];
}

/** A colour as one little-endian RGBA word (opaque), as an ImageData's Uint32Array view holds it. */
export function pack(c: Rgb): number {
  return ((255 << 24) | (c[2] << 16) | (c[1] << 8) | c[0]) >>> 0;
}

/** `t` of the way from `a` to `b`. */
export function mix(a: Rgb, b: Rgb, t: number): Rgb {
  return [Math.round(a[0] * (1 - t) + b[0] * t), Math.round(a[1] * (1 - t) + b[1] * t), Math.round(a[2] * (1 - t) + b[2] * t)];
}

export const cssRgb = (c: Rgb): string => `rgb(${c[0]}, ${c[1]}, ${c[2]})`;

/** The pixel colour of each colour code (0–254: legend entries, 255: no value) in both passes of the painter. */
export interface Palette {
  /** Points drawn first: faded when some points are selected. */
  rest: Uint32Array;
  /** Selected points, drawn over the rest in full colour. */
  selected: Uint32Array;
  /** The ring around a selected point. */
  ring: number;
}

/**
 * The palette: legend entry i in `legend[i]`, every other code in `other` (no value, or every point when the map is
 * not coloured by a key); faded 70 % into the background `bg` for the points outside a selection when `faded`.
 */
export function paletteOf(legend: readonly Rgb[], other: Rgb, bg: Rgb, ring: Rgb, faded: boolean): Palette {
  const fade = (c: Rgb) => (faded ? mix(c, bg, 0.7) : c);
  const rest = new Uint32Array(256).fill(pack(fade(other)));
  const selected = new Uint32Array(256).fill(pack(other));
  legend.forEach((c, i) => {
    rest[i] = pack(fade(c));
    selected[i] = pack(c);
  });
  return { rest, selected, ring: pack(ring) };
}
