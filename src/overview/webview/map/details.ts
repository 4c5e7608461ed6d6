/**
 * A point's id and document, in the tooltip over the map and in the details below it. The page knows points only by
 * index: it asks the extension for each point's text once (`pointInfo`) and keeps the answers (up to 2,000).
 */
import { el } from '../dom';
import type { FromHost, Host } from '../host';
import { tooltipAt } from './viewport';
import type { Point, Size } from './viewport';

interface PointText {
  id: string;
  document: string | null;
}

const KEEP_AT_MOST = 2_000;

export class PointDetails {
  private readonly known = new Map<number, PointText>();
  /** What to do when a point's text arrives, per point asked for. */
  private readonly waiting = new Map<number, Array<() => void>>();

  constructor(
    private readonly host: Host,
    private readonly tooltip: HTMLElement,
    private readonly details: HTMLElement,
    private readonly canvasSize: () => Size,
  ) {}

  /** Shows point `i` in the tooltip at `at` (CSS pixels on the canvas) and/or in the details (asked for first if need be). */
  show(i: number, at: Point | null, inDetails: boolean): void {
    const info = this.known.get(i);
    if (!info) {
      this.ask(i, () => this.show(i, at, inDetails));
      if (at) {
        this.place(at, [el('div', 'muted', 'Loading…')]);
      }
      return;
    }
    const parts = () => [el('div', 'id', info.id), el('div', 'doc', info.document === null ? '(no document)' : info.document || '(empty document)')];
    if (at) {
      this.place(at, parts());
    }
    if (inDetails) {
      this.details.replaceChildren(...parts());
      const open = el('button', 'secondary', 'Open record');
      open.type = 'button';
      open.addEventListener('click', () => this.host.post({ type: 'openPoint', index: i }));
      this.details.append(open);
    }
  }

  hideTooltip(): void {
    this.tooltip.hidden = true;
  }

  /** Runs `then` once point `i`'s text is here: now if it is, else when it arrives (when it has been asked for). */
  whenKnown(i: number, then: () => void): void {
    if (this.known.has(i)) {
      then();
    } else {
      this.waiting.get(i)?.push(then);
    }
  }

  receive(m: FromHost<'pointInfo'>): void {
    if (this.known.size > KEEP_AT_MOST) {
      this.known.clear();
    }
    this.known.set(m.index, { id: m.id, document: m.document });
    const then = this.waiting.get(m.index) ?? [];
    this.waiting.delete(m.index);
    then.forEach((f) => f());
  }

  /** Forgets every point's text (another projection: indices may mean other records). */
  forget(): void {
    this.known.clear();
  }

  private ask(i: number, then: () => void): void {
    if (!this.waiting.has(i)) {
      this.waiting.set(i, []);
      this.host.post({ type: 'pointInfo', index: i });
    }
    this.waiting.get(i)?.push(then);
  }

  /** The tooltip below and right of `at`, kept inside the canvas (above `at` when there is no room below). */
  private place(at: Point, children: HTMLElement[]): void {
    const t = this.tooltip;
    t.replaceChildren(...children);
    t.hidden = false;
    const p = tooltipAt(at, this.canvasSize(), { w: t.offsetWidth, h: t.offsetHeight });
    t.style.left = `${p.x}px`;
    t.style.top = `${p.y}px`;
  }
}
