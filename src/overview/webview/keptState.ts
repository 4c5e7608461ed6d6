/**
 * What the page decides itself (zoom, selection, scroll) and which collection it shows, kept in VS Code's webview
 * state: hiding and showing the panel reloads the page, and a window reload hands the state to the panel's
 * serializer (it reads `restore`). The state comes back from VS Code as it was stored, but is checked all the same.
 */
import type { MapView } from '../core/framing';
import type { Host } from './host';

/** What the page finds in its state when it loads. */
export interface KeptState {
  /** The view of the map, if one was fitted. */
  view: MapView | null;
  /** The projection the view and selection are about: its size and method. */
  n: number;
  method: string;
  selection: number[];
  scrollY: number | null;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const index = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** The kept state in what VS Code handed back (nothing usable: an empty state). */
export function keptStateOf(raw: unknown): KeptState {
  const o = isObject(raw) ? raw : {};
  const v = o.view;
  const view = isObject(v) && finite(v.cx) && finite(v.cy) && finite(v.scale) && v.scale > 0 ? { cx: v.cx, cy: v.cy, scale: v.scale } : null;
  return {
    view,
    n: index(o.n) ? o.n : -1,
    method: typeof o.method === 'string' ? o.method : '',
    selection: Array.isArray(o.selection) ? o.selection.filter(index) : [],
    scrollY: finite(o.scrollY) ? o.scrollY : null,
  };
}

/** What the page keeps now: the map's view (null until fitted), projection and selection. */
export interface MapSnapshot {
  view: MapView | null;
  n: number;
  method: string;
  selection: number[];
}

/** Stores the state a moment after the last change (scrolling and zooming change it many times a second). */
export class StateKeeper {
  private timer = 0;

  /** `restore`: the collection the page shows, as the panel put it into the page. */
  constructor(
    private readonly host: Host,
    private readonly restore: unknown,
    private readonly snapshot: () => MapSnapshot,
  ) {
    // which collection this page shows: in the state from the start, so the panel opens again after a reload
    const raw = host.state;
    host.state = { ...(isObject(raw) ? raw : {}), restore };
  }

  soon(): void {
    clearTimeout(this.timer);
    this.timer = window.setTimeout(() => this.save(), 200);
  }

  private save(): void {
    this.host.state = { ...this.snapshot(), scrollY: window.scrollY, restore: this.restore };
  }
}
