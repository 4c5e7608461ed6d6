/**
 * The embedding map's state and what can be done to it: the points as they arrive, where the map looks, what is
 * selected, coloured and highlighted, the hovered and focused points. The canvas (canvas.ts) draws it; the mouse and
 * keyboard (input.ts) act on it; the toolbar and the messages from the extension (main.ts) too.
 */
import { frameMap } from '../../core/framing';
import { legendColor } from '../colors';
import { byId, setDisabled } from '../dom';
import { formatCount, plural } from '../format';
import type { FromHost } from '../host';
import type { KeptState, MapSnapshot } from '../keptState';
import type { Theme } from '../theme';
import { MapCanvas } from './canvas';
import type { Scene } from './canvas';
import { EMPTY_GRID, boundsOf, buildGrid, nearestPoint } from './grid';
import type { Grid } from './grid';
import { NO_COLORING, renderLegend, renderMethod } from './legend';
import type { Coloring } from './legend';
import type { Box } from './overlay';
import { PointSet, bytesOf } from './points';
import { Selection } from './selection';
import { mapBox, panBy, toMap, toScreen, zoomAt } from './viewport';
import type { MapView, Point, Size } from './viewport';

/** What the map tells the rest of the page. */
export interface MapEvents {
  /** Its view or selection changed (the page keeps them in its state). */
  changed(): void;
  /** The points were painted anew (the page reports what it shows). */
  painted(): void;
  /** Another projection began: the points' texts asked for before may be about other records. */
  restarted(): void;
}

export class EmbeddingMap {
  readonly points = new PointSet();
  readonly selection = new Selection();
  readonly canvas: MapCanvas;
  private grid: Grid = EMPTY_GRID;
  private readonly view: MapView = { cx: 0, cy: 0, scale: 1 };
  private fitted = false;
  coloring: Coloring = NO_COLORING;
  private hits: number[] = [];
  private query: number[] | null = null;
  /** The point under the mouse and the point last clicked or reached with the keyboard (-1: none). */
  hover = -1;
  focus = -1;
  /** The keyboard cursor in CSS pixels; null while the map is not focused. */
  cursor: Point | null = null;
  /** The selection box being dragged, in CSS pixels. */
  box: Box | null = null;

  /** `kept`: the view and selection kept from before the page was reloaded, used once for the same projection. */
  constructor(
    canvas: HTMLCanvasElement,
    private readonly theme: Theme,
    private kept: KeptState | null,
    private readonly events: MapEvents,
    private readonly dim: () => number | null,
  ) {
    this.canvas = new MapCanvas(canvas, theme, () => this.scene(), () => events.painted());
  }

  size(): Size {
    return this.canvas.size();
  }

  get method(): string {
    return this.points.method;
  }

  /** Takes a chunk of a projection; once every point is in, the map shows them. */
  receivePoints(m: FromHost<'points'>): void {
    const r = this.points.receive(m);
    if (r.started) {
      this.fitted = false;
      this.events.restarted();
    }
    renderMethod(this.points.method);
    if (r.complete) {
      this.pointsComplete();
    }
  }

  private pointsComplete(): void {
    const { n } = this.points;
    const c = this.points.coords ?? new Float32Array(0);
    this.grid = buildGrid(c, n, boundsOf(c, n));
    this.selection.sizeFor(n);
    const kept = this.kept;
    if (kept && kept.n === n && kept.method === this.points.method) {
      if (kept.view) {
        Object.assign(this.view, kept.view);
        this.fitted = true;
      }
      this.selection.add(kept.selection);
      this.kept = null;
    }
    if (!this.fitted) {
      this.fit(false);
    }
    const empty = byId('mapEmpty');
    empty.hidden = n > 0;
    empty.textContent = n > 0 ? '' : this.dim() === 0 ? 'These records have no embeddings to map.' : 'No points to map.';
    this.renderSelection();
    this.canvas.invalidate();
  }

  /**
   * Fits the view to the points: centred on their bulk and filled with it, a few far outliers left outside and
   * counted (src/overview/core/framing.ts); `all` fits every point.
   */
  private fit(all: boolean): void {
    const { w, h } = this.size();
    const frame = frameMap(this.points.coords ?? new Float32Array(0), this.points.coords ? this.points.n : 0, w, h, all);
    this.view.cx = frame.cx;
    this.view.cy = frame.cy;
    this.view.scale = frame.scale;
    this.fitted = true;
    const outside = frame.outside;
    byId('outliers').hidden = outside === 0;
    byId('outliersText').textContent = outside > 0 ? `${formatCount(outside)} outlying ${plural(outside, 'point is', 'points are')} outside this view.` : '';
  }

  resetView(all: boolean): void {
    this.fit(all);
    this.moved();
  }

  zoomAt(sx: number, sy: number, factor: number): void {
    zoomAt(this.view, this.size(), sx, sy, factor);
    this.moved();
  }

  pan(dx: number, dy: number): void {
    panBy(this.view, dx, dy);
    this.moved();
  }

  private moved(): void {
    this.canvas.invalidate();
    this.events.changed();
  }

  toScreen(x: number, y: number): Point {
    return toScreen(this.view, this.size(), x, y);
  }

  /** The point nearest to a screen position, within `radius` CSS pixels; -1 when none. */
  nearest(sx: number, sy: number, radius: number): number {
    const c = this.points.ready;
    if (!c || this.points.n === 0) {
      return -1;
    }
    const p = toMap(this.view, this.size(), sx, sy);
    return nearestPoint(this.grid, c, p.x, p.y, radius / this.view.scale);
  }

  /** Selects the points inside a screen rectangle (adding to the selection when `add`). */
  selectBox(x0: number, y0: number, x1: number, y1: number, add: boolean): void {
    if (!this.selection.ready || !this.points.coords) {
      return;
    }
    this.selection.selectIn(this.points.coords, this.points.n, mapBox(this.view, this.size(), x0, y0, x1, y1), add);
    this.selectionChanged();
  }

  selectVisible(): void {
    const { w, h } = this.size();
    this.selectBox(0, 0, w, h, false);
  }

  clearSelection(): void {
    this.selection.clear();
    this.selectionChanged();
  }

  /** Selects the focused point, or unselects it. */
  toggleFocused(): void {
    if (this.focus >= 0 && this.selection.ready) {
      this.selection.toggle(this.focus);
      this.selectionChanged();
    }
  }

  /** Forgets the selection (the collection was read again: indices may mean other records). */
  dropSelection(): void {
    this.selection.drop();
    this.renderSelection();
  }

  private selectionChanged(): void {
    this.renderSelection();
    this.moved();
  }

  private renderSelection(): void {
    const count = this.selection.count;
    setDisabled(['clearSelection', 'copyIds', 'exportSelection'], count === 0);
    byId('selectionText').textContent = count > 0 ? `${formatCount(count)} ${plural(count, 'point')} selected` : '';
  }

  setColors(m: FromHost<'colors'>): void {
    this.coloring = { key: m.key, scale: m.scale, legend: m.legend, missing: m.missing, codes: bytesOf(m.codes) };
    renderLegend(this.coloring, this.theme);
    this.canvas.invalidate();
  }

  setHighlight(m: FromHost<'highlight'>): void {
    this.hits = m.hits;
    this.query = m.query;
    this.canvas.redraw();
  }

  /** The theme changed: the legend and the points in its colours. */
  themeChanged(): void {
    renderLegend(this.coloring, this.theme);
    this.canvas.invalidate();
  }

  /** What the page keeps in its state. */
  snapshot(): MapSnapshot {
    return {
      view: this.fitted ? { cx: this.view.cx, cy: this.view.cy, scale: this.view.scale } : null,
      n: this.points.n,
      method: this.points.method,
      selection: this.selection.toKeep(),
    };
  }

  private scene(): Scene {
    const coords = this.points.ready;
    const { legend, scale } = this.coloring;
    return {
      coords,
      n: this.points.n,
      view: this.view,
      codes: this.coloring.codes,
      legend: () => legend.map((_, i) => this.theme.rgb(legendColor(i, legend.length, scale))),
      selected: this.selection.count > 0 ? this.selection.raw : null,
      overlay: {
        coords,
        n: this.points.n,
        hits: this.hits,
        query: this.query,
        marked: [this.hover, this.focus],
        cursor: this.cursor,
        box: this.box,
        toScreen: (x, y) => this.toScreen(x, y),
      },
    };
  }
}
