/**
 * One workbench window driven as a person drives it: mouse clicks where a row is drawn, the scrollbar dragged, keys.
 * Results are read from the DOM only. Every wait polls the page and fails at once, with the message, when an error
 * notification has appeared.
 */
import type { Page } from 'playwright-core';

/** A view of the Chroma container by its name; its header is hidden while it is the only view, but still there. */
const pane = (view: string) => `[id="workbench.view.extension.chroma"] .pane:has(> .pane-header[aria-label^="${view}"])`;
const TREE = `${pane('Explorer')} .monaco-list`;
const QUICK_INPUT = '.quick-input-widget';

export interface Toast {
  severity: 'error' | 'warning' | 'info';
  message: string;
  at: number;
}

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

export interface QuickInputState {
  title: string;
  placeholder: string;
  value: string;
  message: string;
  /** Labels of the list rows drawn, and the focused one. */
  items: string[];
  focused?: string;
}

/**
 * Records every notification the page shows (toasts come and go; this keeps them), as window.__clickToasts.
 * Runs in the page before the workbench loads.
 */
export const TOAST_RECORDER = `(() => {
  const seen = new Set();
  const toasts = (window.__clickToasts = []);
  const scan = () => {
    for (const item of Array.from(document.querySelectorAll('.notification-list-item'))) {
      const message = (item.querySelector('.notification-list-item-message')?.textContent ?? '').trim();
      const icon = item.querySelector('.notification-list-item-icon');
      const severity = icon?.classList.contains('codicon-error') ? 'error' : icon?.classList.contains('codicon-warning') ? 'warning' : 'info';
      const key = severity + '|' + message;
      if (message && !seen.has(key)) {
        seen.add(key);
        toasts.push({ severity, message, at: Date.now() });
      }
    }
  };
  new MutationObserver(scan).observe(document, { subtree: true, childList: true, characterData: true });
  setInterval(scan, 100);
})();`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class ClickWindow {
  constructor(
    readonly page: Page,
    /** Where each step is written down, for reading a failure afterwards. */
    private readonly log: (text: string) => void = () => undefined,
  ) {}

  /**
   * Slows the page's CPU `rate` times (Chromium's CPU throttling, as DevTools does): the workbench of a busy
   * machine, whose rendering lags behind the extension host. 1 turns it off.
   */
  async throttleCpu(rate: number): Promise<void> {
    const cdp = await this.page.context().newCDPSession(this.page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate });
    await cdp.detach();
  }

  /** Closes the window: the page, and with it the workbench's extension host. */
  async close(): Promise<void> {
    await this.page.close().catch(() => undefined);
  }

  // --- notifications -------------------------------------------------------------------------------------------

  toasts(): Promise<Toast[]> {
    return this.page.evaluate(() => ((window as unknown as { __clickToasts?: Toast[] }).__clickToasts ?? []).slice());
  }

  /** Error notifications the test expects (an outcome it asserts), which fail no wait and not the test. */
  private readonly expectedErrors: RegExp[] = [];

  expectError(pattern: RegExp): void {
    this.expectedErrors.push(pattern);
  }

  /** The error notifications shown that the test did not expect. */
  async errorToasts(): Promise<string[]> {
    return (await this.toasts()).filter((t) => t.severity === 'error' && !this.expectedErrors.some((p) => p.test(t.message))).map((t) => t.message);
  }

  async assertNoErrorToasts(): Promise<void> {
    const errors = await this.errorToasts();
    if (errors.length > 0) {
      throw new Error(`error notification: ${errors.join(' | ')}`);
    }
  }

  /** Polls `probe` until it returns something truthy; fails on timeout or as soon as an error notification shows. */
  async waitFor<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 30_000, intervalMs = 100): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const errors = await this.errorToasts();
      if (errors.length > 0) {
        throw new Error(`while waiting for ${what}, an error notification appeared: ${errors.join(' | ')}`);
      }
      const value = await probe();
      if (value) {
        this.log(`seen: ${what}`);
        return value;
      }
      if (Date.now() > deadline) {
        this.log(`NOT seen: ${what}`);
        throw new Error(`${what}: not seen within ${Math.round(timeoutMs / 1000)} s`);
      }
      await sleep(intervalMs);
    }
  }

  /** Waits until a notification (any severity) whose text matches is shown, and returns its text. */
  async waitForToast(what: string, pattern: RegExp, timeoutMs = 30_000): Promise<string> {
    return this.waitFor(what, async () => (await this.toasts()).find((t) => pattern.test(t.message))?.message, timeoutMs);
  }

  // --- the Chroma view -------------------------------------------------------------------------------------------

  /** Clicks the Chroma icon in the activity bar and waits for the tree's first rows. */
  async openChromaView(): Promise<void> {
    const icon = this.page.locator('.activitybar [aria-label^="Chroma"]').first();
    await icon.waitFor({ timeout: 60_000 });
    await icon.click();
    await this.waitFor('the Chroma view to list its connections', async () => (await this.rows()).length > 0, 60_000);
  }

  /** The tree's rows as drawn (only those the virtual list renders), in tree order. */
  rows(): Promise<Row[]> {
    return this.page.evaluate((sel) => {
      const list = document.querySelector(sel);
      if (!list) {
        return [];
      }
      const box = list.getBoundingClientRect();
      // Sticky scroll pins ancestors' copies over the top rows: those rows are covered, the copies are not rows.
      const sticky = list.querySelector('.monaco-tree-sticky-container');
      const top = sticky && sticky.childElementCount > 0 ? Math.max(box.top, sticky.getBoundingClientRect().bottom) : box.top;
      return Array.from(list.querySelectorAll<HTMLElement>('.monaco-list-rows > .monaco-list-row'))
        .map((el) => {
          const r = el.getBoundingClientRect();
          const expanded = el.getAttribute('aria-expanded');
          const x = r.left + Math.min(r.width / 2, 120);
          const y = r.top + r.height / 2;
          // A click at (x, y) lands on this row: inside the list, under no sticky row, hover or widget.
          const hit = y >= top && y < box.bottom - 1 ? document.elementFromPoint(x, y) : null;
          return {
            index: Number(el.dataset.index),
            level: Number(el.getAttribute('aria-level')),
            label: (el.querySelector('.label-name')?.textContent ?? '').trim(),
            description: (el.querySelector('.label-description')?.textContent ?? '').trim(),
            expanded: expanded === null ? undefined : expanded === 'true',
            selected: el.classList.contains('selected'),
            visible: r.height > 0 && hit !== null && el.contains(hit),
            x,
            y,
          };
        })
        .sort((a, b) => a.index - b.index);
    }, TREE);
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

  // --- palette, quick picks and input boxes ------------------------------------------------------------------------

  async quickInput(): Promise<QuickInputState | undefined> {
    return this.page.evaluate((sel) => {
      const w = document.querySelector<HTMLElement>(sel);
      if (!w || w.style.display === 'none' || w.offsetParent === null) {
        return undefined;
      }
      const input = w.querySelector<HTMLInputElement>('.quick-input-box input');
      const rows = Array.from(w.querySelectorAll<HTMLElement>('.quick-input-list .monaco-list-row'));
      const text = (el: Element | null | undefined) => (el?.textContent ?? '').trim();
      const labelOf = (row: Element) => text(row.querySelector('.label-name'));
      const focused = rows.find((r) => r.classList.contains('focused'));
      const message = w.querySelector<HTMLElement>('.quick-input-message');
      return {
        title: text(w.querySelector('.quick-input-title')),
        placeholder: input?.getAttribute('placeholder') ?? input?.getAttribute('aria-label') ?? '',
        value: input?.value ?? '',
        message: message && message.offsetParent !== null ? text(message) : '',
        items: rows.map(labelOf),
        focused: focused ? labelOf(focused) : undefined,
      };
    }, QUICK_INPUT);
  }

  /** Waits for a quick input that `accept` recognises (a new step, not the one before). */
  async waitForQuickInput(what: string, accept: (q: QuickInputState) => boolean, timeoutMs = 30_000): Promise<QuickInputState> {
    return this.waitFor(what, async () => {
      const q = await this.quickInput();
      return q && accept(q) ? q : undefined;
    }, timeoutMs);
  }

  async type(text: string): Promise<void> {
    this.log(`type "${text}"`);
    await this.page.keyboard.type(text, { delay: 5 });
  }

  async press(key: string): Promise<void> {
    this.log(`press ${key}`);
    await this.page.keyboard.press(key);
  }

  /** F1, the command's title typed, Enter once the palette offers it. */
  async runCommand(title: string): Promise<void> {
    // While the workbench is still starting, the palette may not list the command yet: close it, open it again.
    for (let attempt = 1; ; attempt++) {
      await this.press('F1');
      await this.waitForQuickInput('the command palette', (q) => q.value.startsWith('>'));
      await this.type(title);
      try {
        await this.waitForQuickInput(`the palette to offer "${title}"`, (q) => (q.focused ?? '').startsWith(title), 10_000);
        break;
      } catch (e) {
        if (attempt === 3) {
          throw e;
        }
        await this.press('Escape');
        await this.waitFor('the palette to close', async () => !(await this.quickInput()), 10_000);
      }
    }
    await this.press('Enter');
    await this.waitFor('the palette to close', async () => !(await this.quickInput())?.value.startsWith('>'), 10_000);
  }

  /** Ctrl+P, the file's name typed, Enter: the file opens in an editor. */
  async openFile(name: string): Promise<void> {
    await this.press('Control+P');
    await this.waitForQuickInput('Go to File', (q) => !q.value.startsWith('>'));
    await this.type(name);
    await this.waitForQuickInput(`Go to File to offer ${name}`, (q) => q.focused === name, 60_000);
    await this.press('Enter');
    await this.waitFor(`${name} in the active editor tab`, async () => (await this.activeTab()) === name);
  }

  /** In the current pick step: types `text` and presses Enter once the focused item's label is `label`. */
  async choose(text: string, label = text): Promise<void> {
    await this.type(text);
    await this.waitForQuickInput(`the picker to focus "${label}"`, (q) => q.focused === label, 30_000);
    await this.press('Enter');
  }

  /**
   * Answers the collection picker (connection → database → collection, each step skipped when it has one choice)
   * by typing names, as a person would.
   */
  async pickCollection(target: { connection: string; database: string; collection: string }): Promise<void> {
    let last = '';
    for (let step = 0; step < 4; step++) {
      const q = await this.waitForQuickInput('the collection picker', (s) => !s.value.startsWith('>') && s.placeholder !== last && s.items.length > 0, 60_000);
      last = q.placeholder;
      if (/connection/i.test(q.placeholder) || q.items.includes(target.connection)) {
        await this.choose(target.connection);
      } else if (/^database/i.test(q.placeholder) || q.items.includes(target.database)) {
        await this.choose(target.database);
      } else {
        await this.choose(target.collection);
        return;
      }
    }
    throw new Error('the collection picker asked more than connection, database and collection');
  }

  // --- editors ---------------------------------------------------------------------------------------------------

  /** The active editor tab's title. */
  activeTab(): Promise<string | undefined> {
    return this.page.evaluate(() => {
      const tab = document.querySelector('.editor-group-container.active .tab.active .label-name');
      return tab?.textContent?.trim() || undefined;
    });
  }

  /** How many editor tabs are drawn, in all groups. */
  tabCount(): Promise<number> {
    return this.page.evaluate(() => document.querySelectorAll('.editor-group-container .tab').length);
  }

  /** A click in the middle of the active editor (into a webview, when the editor is one). */
  async clickEditorArea(): Promise<void> {
    const box = await this.page.locator('.editor-group-container.active .editor-container').boundingBox();
    if (!box) {
      throw new Error('no editor is drawn');
    }
    this.log('click in the active editor');
    await this.page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  }

  // --- status bar ------------------------------------------------------------------------------------------------

  /** The text a status-bar item draws (its icons are not text), by the item's id; undefined when it is not drawn. */
  statusItem(id: string): Promise<string | undefined> {
    return this.page.evaluate((suffix) => {
      const item = Array.from(document.querySelectorAll<HTMLElement>('.statusbar-item')).find((el) => el.id.endsWith(suffix));
      return item ? (item.querySelector('.statusbar-item-label')?.textContent ?? '').replace(/\s+/g, ' ').trim() : undefined;
    }, `.${id}`);
  }

  /** The lines the active editor draws, spaces normalised. */
  editorText(): Promise<string> {
    return this.page.evaluate(() => {
      const lines = document.querySelector<HTMLElement>('.editor-group-container.active .monaco-editor .view-lines');
      return (lines?.innerText ?? '').replace(/\u00a0/g, ' ');
    });
  }
}
