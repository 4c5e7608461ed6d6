/** The Chroma view of a driven window: its tree's rows as drawn, clicks on them, expanding, scrolling by the scrollbar. */
import type { Page } from 'playwright-core';
import { NotifyingWindow } from './notifications';

/** A view of the Chroma container by its name; its header is hidden while it is the only view, but still there. */
export const pane = (view: string): string => `[id="workbench.view.extension.chroma"] .pane:has(> .pane-header[aria-label^="${view}"])`;
const TREE = `${pane('Explorer')} .monaco-list`;

/** A row of the Chroma tree as drawn. */
export interface Row {
  index: number;
  level: number;
  label: string;
  description: string;
  expanded?: boolean;
  selected: boolean;
  /** Drawn where a click at (x, y) lands on it. */
  visible: boolean;
  x: number;
  y: number;
}

export interface ScrollInfo {
  scrollTop: number;
  viewport: number;
  content: number;
  atBottom: boolean;
}

/**
 * The rows of a workbench list or tree (`list`: its `.monaco-list`) as drawn, only those the virtual list renders,
 * in order.
 */
export function listRows(page: Page, list: string): Promise<Row[]> {
  return page.evaluate((sel) => {
    const el = document.querySelector(sel);
    if (!el) {
      return [];
    }
    const box = el.getBoundingClientRect();
    // Sticky scroll pins ancestors' copies over the top rows: those rows are covered, the copies are not rows.
    const sticky = el.querySelector('.monaco-tree-sticky-container');
    const top = sticky && sticky.childElementCount > 0 ? Math.max(box.top, sticky.getBoundingClientRect().bottom) : box.top;
    return Array.from(el.querySelectorAll<HTMLElement>('.monaco-list-rows > .monaco-list-row'))
      .map((row) => {
        const r = row.getBoundingClientRect();
        const expanded = row.getAttribute('aria-expanded');
        const x = r.left + Math.min(r.width / 2, 120);
        const y = r.top + r.height / 2;
        // A click at (x, y) lands on this row: inside the list, under no sticky row, hover or widget.
        const hit = y >= top && y < box.bottom - 1 ? document.elementFromPoint(x, y) : null;
        return {
          index: Number(row.dataset.index),
          level: Number(row.getAttribute('aria-level')),
          label: (row.querySelector('.label-name')?.textContent ?? '').trim(),
          description: (row.querySelector('.label-description')?.textContent ?? '').trim(),
          expanded: expanded === null ? undefined : expanded === 'true',
          selected: row.classList.contains('selected'),
          visible: r.height > 0 && hit !== null && row.contains(hit),
          x,
          y,
        };
      })
      .sort((a, b) => a.index - b.index);
  }, list);
}

export class TreeWindow extends NotifyingWindow {
  // --- the Chroma view -------------------------------------------------------------------------------------------

  /**
   * Clicks the Chroma icon in the activity bar, unless the view shows already (a window reloaded with it open
   * restores it, and a click on its icon would then close the side bar), and waits for the tree's first rows.
   */
  async openChromaView(): Promise<void> {
    const icon = this.page.locator('.activitybar [aria-label^="Chroma"]').first();
    await icon.waitFor({ timeout: 60_000 });
    for (let attempt = 1; !(await this.chromaViewShown()); attempt++) {
      await icon.click();
      if (await this.waitFor('the Chroma view', () => this.chromaViewShown(), 5_000).catch(() => false)) {
        break;
      }
      if (attempt === 3) {
        throw new Error('the Chroma view did not open after three clicks on its activity bar icon');
      }
    }
    await this.waitFor('the Chroma view to list its connections', async () => (await this.rows()).length > 0, 60_000);
  }

  /** Whether the side bar shows the Chroma view container. */
  private chromaViewShown(): Promise<boolean> {
    return this.page.evaluate(() => {
      const box = document.querySelector('[id="workbench.view.extension.chroma"]')?.getBoundingClientRect();
      return box !== undefined && box.width > 0 && box.height > 0;
    });
  }

  /** The tree's rows as drawn (only those the virtual list renders), in tree order. */
  rows(): Promise<Row[]> {
    return listRows(this.page, TREE);
  }

  /** The first drawn, fully visible row with this label (and level, and index range, when given). */
  async findRow(label: string | RegExp, opts: { level?: number; after?: number; before?: number } = {}): Promise<Row | undefined> {
    const match = (r: Row) =>
      (typeof label === 'string' ? r.label === label : label.test(r.label)) &&
      r.visible &&
      (opts.level === undefined || r.level === opts.level) &&
      (opts.after === undefined || r.index > opts.after) &&
      (opts.before === undefined || r.index < opts.before);
    return (await this.rows()).find(match);
  }

  async waitForRow(label: string | RegExp, opts: { level?: number; after?: number; before?: number; timeoutMs?: number } = {}): Promise<Row> {
    return this.waitFor(`row "${String(label)}"${opts.level ? ` at level ${opts.level}` : ''}`, () => this.findRow(label, opts), opts.timeoutMs ?? 30_000);
  }

  /** A mouse click where the row is drawn, as a person clicks: no waiting for the row to hold still. */
  async click(row: Row): Promise<void> {
    this.log(`click row ${row.index} "${row.label}" (${row.description})`);
    await this.page.mouse.click(row.x, row.y);
  }

  /** Clicks a collapsed row and waits until the tree shows it expanded. */
  async expand(label: string | RegExp, opts: { level?: number; after?: number; before?: number; timeoutMs?: number } = {}): Promise<Row> {
    const row = await this.waitForRow(label, opts);
    if (row.expanded !== true) {
      await this.click(row);
    }
    // Expanded, and its first child drawn (an empty node shows a message row): its listing has arrived.
    await this.waitFor(`"${row.label}" to expand and list its children`, async () => {
      const rows = await this.rows();
      const now = rows.find((r) => r.index === row.index && r.label === row.label);
      return now?.expanded && rows.some((r) => r.index === row.index + 1 && r.level === row.level + 1);
    }, opts.timeoutMs ?? 30_000);
    return row;
  }

  async scrollInfo(): Promise<ScrollInfo> {
    return this.page.evaluate((sel) => {
      const list = document.querySelector(sel);
      const rowsEl = list?.querySelector<HTMLElement>('.monaco-list-rows');
      if (!list || !rowsEl) {
        return { scrollTop: 0, viewport: 0, content: 0, atBottom: true };
      }
      const viewport = list.getBoundingClientRect().height;
      const scrollTop = Math.round(list.getBoundingClientRect().top - rowsEl.getBoundingClientRect().top);
      const content = parseFloat(rowsEl.style.height) || rowsEl.getBoundingClientRect().height;
      return { scrollTop, viewport, content, atBottom: scrollTop + viewport >= content - 3 };
    }, TREE);
  }

  /**
   * Drags the tree's scrollbar slider, as a hand does in a long list, so the list scrolls to about `scrollTop`. Where
   * sticky rows cover the slider, turns the mouse wheel instead (a notch scrolls 50 px).
   */
  async dragScrollbar(scrollTop: number): Promise<void> {
    const list = await this.page.locator(TREE).first().boundingBox();
    const info = await this.scrollInfo();
    if (!list || info.content <= info.viewport) {
      return; // everything fits: nothing to scroll
    }
    const mouse = this.page.mouse;
    await mouse.move(list.x + list.width - 40, list.y + list.height / 2); // the scrollbar shows on hover
    const bar = await this.page.evaluate((sel) => {
      const track = document.querySelector(`${sel} > .monaco-scrollable-element > .scrollbar.vertical`);
      const slider = track?.querySelector('.slider');
      if (!track || !slider) {
        return undefined;
      }
      const t = track.getBoundingClientRect();
      const b = slider.getBoundingClientRect();
      const x = b.x + b.width / 2;
      // the lowest point of the slider that a press reaches (sticky rows may cover its top)
      let grab: number | undefined;
      for (let y = b.bottom - 2; y > b.top; y -= 2) {
        const hit = document.elementFromPoint(x, y);
        if (hit && slider.contains(hit)) {
          grab = y;
          break;
        }
      }
      return { trackY: t.y, trackH: t.height, sliderH: b.height, x, grab };
    }, TREE);
    const delta = scrollTop - info.scrollTop;
    if (bar?.grab !== undefined && bar.sliderH > 0) {
      const ratio = (bar.trackH - bar.sliderH) / (info.content - info.viewport);
      await mouse.move(bar.x, bar.grab);
      await mouse.down();
      await mouse.move(bar.x, bar.grab + delta * ratio, { steps: 4 });
      await mouse.up();
    } else {
      for (let notch = 0; notch < Math.min(40, Math.ceil(Math.abs(delta) / 50)); notch++) {
        await mouse.wheel(0, Math.sign(delta) * 100);
      }
    }
    // then off the tree, so no hover card covers the rows
    await mouse.move(list.x + list.width + 300, list.y + 10);
  }

  /** Drags the scrollbar until the tree's end is in view. */
  async scrollToBottom(): Promise<void> {
    await this.waitFor('the tree to scroll to its end', async () => {
      const info = await this.scrollInfo();
      if (info.atBottom) {
        return true;
      }
      await this.dragScrollbar(info.content);
      return false;
    });
  }

  async scrollToTop(): Promise<void> {
    await this.waitFor('the tree to scroll to its top', async () => {
      if ((await this.scrollInfo()).scrollTop <= 0) {
        return true;
      }
      await this.dragScrollbar(0);
      return false;
    });
  }

  /** Scrolls from the top to the end, a screen at a time, and returns every row seen, in tree order. */
  async sweep(): Promise<Row[]> {
    await this.scrollToTop();
    const seen = new Map<number, Row>();
    for (let i = 0; i < 500; i++) {
      for (const r of await this.rows()) {
        seen.set(r.index, r);
      }
      const info = await this.scrollInfo();
      if (info.atBottom) {
        const rows = [...seen.values()].sort((a, b) => a.index - b.index);
        const gap = rows.findIndex((r, i) => r.index !== i);
        if (gap >= 0) {
          throw new Error(`the sweep skipped tree row ${gap}`);
        }
        return rows;
      }
      // a screen at a time (rows overlap), the last step all the way to the end
      const step = info.viewport * 0.7;
      await this.dragScrollbar(info.content - info.scrollTop - info.viewport <= step ? info.content : info.scrollTop + step);
      await this.waitFor('the tree to scroll', async () => (await this.scrollInfo()).scrollTop > info.scrollTop, 5_000, 30);
    }
    throw new Error('the tree did not reach its end in 500 screens');
  }

  /** The text of each row the Chroma Results view draws (empty when that view does not exist). */
  resultRows(): Promise<string[]> {
    return this.page.evaluate(
      (sel) => Array.from(document.querySelectorAll<HTMLElement>(`${sel} .monaco-list-rows > .monaco-list-row`)).map((r) => r.textContent ?? ''),
      pane('Results'),
    );
  }
}
