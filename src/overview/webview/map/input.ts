/**
 * The map under the mouse and the keyboard: drag to pan, Shift+drag to select a box (Ctrl/Cmd adds to the
 * selection), wheel to zoom, hover for a point's text, click to open its record; with the map focused, arrow keys
 * move a cursor (the map moves when it reaches an edge), + and − zoom, Enter opens the nearest record, Space selects
 * it, 0 resets the view, Escape clears the selection.
 */
import type { Host } from '../host';
import type { PointDetails } from './details';
import type { EmbeddingMap } from './embeddingMap';
import { wheelFactor } from './viewport';
import type { Point } from './viewport';

interface Drag {
  x: number;
  y: number;
  lastX: number;
  lastY: number;
  mode: 'pan' | 'select';
  moved: boolean;
  add: boolean;
}

/** How near (CSS pixels) the mouse and the keyboard cursor must be to a point to pick it. */
const MOUSE_RADIUS = 8;
const CURSOR_RADIUS = 24;
/** A press that moves less than this (CSS pixels, across plus down) is a click. */
const CLICK_SLOP = 4;

export function attachMapInput(map: EmbeddingMap, details: PointDetails, host: Host): void {
  const canvas = map.canvas.canvas;
  const local = (e: MouseEvent): Point => {
    const r = canvas.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  };
  let drag: Drag | null = null;

  canvas.addEventListener('pointerdown', (e) => {
    if (e.button !== 0) {
      return;
    }
    const p = local(e);
    drag = { x: p.x, y: p.y, lastX: p.x, lastY: p.y, mode: e.shiftKey ? 'select' : 'pan', moved: false, add: e.ctrlKey || e.metaKey };
    canvas.setPointerCapture(e.pointerId);
  });
  canvas.addEventListener('pointermove', (e) => {
    const p = local(e);
    if (drag) {
      dragTo(map, details, drag, p);
      return;
    }
    const i = map.nearest(p.x, p.y, MOUSE_RADIUS);
    if (i !== map.hover) {
      map.hover = i;
      map.canvas.redraw();
    }
    if (i >= 0) {
      details.show(i, p, false);
    } else {
      details.hideTooltip();
    }
  });
  canvas.addEventListener('pointerup', (e) => {
    const d = drag;
    drag = null;
    canvas.classList.remove('panning');
    if (d) {
      release(map, details, host, d, local(e));
    }
  });
  canvas.addEventListener('pointerleave', () => {
    if (!drag) {
      map.hover = -1;
      details.hideTooltip();
      map.canvas.redraw();
    }
  });
  canvas.addEventListener(
    'wheel',
    (e) => {
      e.preventDefault();
      const p = local(e);
      map.zoomAt(p.x, p.y, wheelFactor(e.deltaY, e.deltaMode));
    },
    { passive: false },
  );
  attachKeyboard(map, details, host);
}

/** The mouse moved with the button down: pans the map once it moved enough, or stretches the selection box. */
function dragTo(map: EmbeddingMap, details: PointDetails, drag: Drag, p: Point): void {
  if (Math.abs(p.x - drag.x) + Math.abs(p.y - drag.y) > CLICK_SLOP) {
    drag.moved = true;
  }
  if (drag.mode === 'pan' && drag.moved) {
    map.canvas.canvas.classList.add('panning');
    map.pan(p.x - drag.lastX, p.y - drag.lastY);
    details.hideTooltip();
  } else if (drag.mode === 'select') {
    map.box = { x0: drag.x, y0: drag.y, x1: p.x, y1: p.y };
    map.canvas.redraw();
  }
  drag.lastX = p.x;
  drag.lastY = p.y;
}

/** The button came up: selects the dragged box, or (a click) opens the point under the mouse. */
function release(map: EmbeddingMap, details: PointDetails, host: Host, d: Drag, p: Point): void {
  if (d.mode === 'select' && d.moved) {
    map.box = null;
    map.selectBox(d.x, d.y, p.x, p.y, d.add);
  } else if (!d.moved) {
    const i = map.nearest(p.x, p.y, MOUSE_RADIUS);
    if (i >= 0) {
      map.focus = i;
      details.show(i, null, true);
      host.post({ type: 'openPoint', index: i });
    }
  }
  map.box = null;
  map.canvas.redraw();
}

function attachKeyboard(map: EmbeddingMap, details: PointDetails, host: Host): void {
  const canvas = map.canvas.canvas;
  canvas.addEventListener('focus', () => {
    if (!map.cursor) {
      const { w, h } = map.size();
      map.cursor = { x: w / 2, y: h / 2 };
      moveCursor(map, details, 0, 0);
    }
  });
  canvas.addEventListener('blur', () => {
    map.cursor = null;
    details.hideTooltip();
    map.canvas.redraw();
  });
  canvas.addEventListener('keydown', (e) => {
    const step = e.shiftKey ? 48 : 12;
    const zoom = (factor: number) => map.cursor && map.zoomAt(map.cursor.x, map.cursor.y, factor);
    const keys: Record<string, () => void> = {
      ArrowLeft: () => moveCursor(map, details, -step, 0),
      ArrowRight: () => moveCursor(map, details, step, 0),
      ArrowUp: () => moveCursor(map, details, 0, -step),
      ArrowDown: () => moveCursor(map, details, 0, step),
      '+': () => zoom(1.25),
      '=': () => zoom(1.25),
      '-': () => zoom(0.8),
      '0': () => map.resetView(false),
      Enter: () => map.focus >= 0 && host.post({ type: 'openPoint', index: map.focus }),
      ' ': () => map.toggleFocused(),
      Escape: () => map.clearSelection(),
    };
    const act = Object.prototype.hasOwnProperty.call(keys, e.key) ? keys[e.key] : undefined;
    if (act) {
      e.preventDefault();
      act();
    }
  });
}

/** Moves the keyboard cursor by (dx, dy) CSS pixels (at an edge the map moves instead) and focuses the nearest point. */
function moveCursor(map: EmbeddingMap, details: PointDetails, dx: number, dy: number): void {
  const cursor = map.cursor;
  if (!cursor) {
    return;
  }
  const { w, h } = map.size();
  const nx = cursor.x + dx;
  const ny = cursor.y + dy;
  const atEdge = nx < 8 || nx > w - 8 || ny < 8 || ny > h - 8;
  const at = atEdge ? cursor : { x: nx, y: ny };
  map.cursor = at;
  if (atEdge) {
    map.pan(-dx, -dy);
  }
  const i = map.nearest(at.x, at.y, CURSOR_RADIUS);
  map.focus = i;
  if (i >= 0) {
    details.show(i, at, true);
  } else {
    details.hideTooltip();
  }
  map.canvas.redraw();
}
