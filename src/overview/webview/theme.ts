/** The map's colours from the VS Code theme (its CSS variables), read again when the theme changes. */
import { cssRgb, mix } from './colors';
import type { Rgb } from './colors';

export class Theme {
  bg: Rgb = [0, 0, 0];
  fg: Rgb = [255, 255, 255];
  plain = '#4e79a7';
  focus = '#007fd4';
  hit = '#f28e2b';
  query = '#e15759';
  /** A 1 × 1 canvas that turns any CSS colour into RGB. */
  private readonly probe: CanvasRenderingContext2D;

  constructor() {
    const probe = document.createElement('canvas').getContext('2d', { willReadFrequently: true });
    if (!probe) {
      throw new Error('The overview page cannot draw: no 2-D canvas.');
    }
    this.probe = probe;
    this.read();
  }

  read(): void {
    this.bg = this.rgb(cssVar('--vscode-editor-background', '#1e1e1e'));
    this.fg = this.rgb(cssVar('--vscode-foreground', '#cccccc'));
    this.plain = cssVar('--vscode-charts-blue', '#4e79a7');
    this.focus = cssVar('--vscode-focusBorder', '#007fd4');
    this.hit = cssVar('--vscode-charts-orange', '#f28e2b');
    this.query = cssVar('--vscode-charts-red', '#e15759');
  }

  /** A CSS colour as RGB (grey for one the browser does not understand). */
  rgb(css: string): Rgb {
    const p = this.probe;
    p.clearRect(0, 0, 1, 1);
    p.fillStyle = '#808080';
    p.fillStyle = css.trim() || '#808080';
    p.fillRect(0, 0, 1, 1);
    const d = p.getImageData(0, 0, 1, 1).data;
    return [d[0], d[1], d[2]];
  }

  /** The colour of points without a value for the key the map is coloured by: between background and text. */
  missing(): Rgb {
    return mix(this.bg, this.fg, 0.35);
  }

  missingCss(): string {
    return cssRgb(this.missing());
  }
}

function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
}
