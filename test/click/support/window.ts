/**
 * One workbench window driven as a person drives it: mouse clicks where a row is drawn, the scrollbar dragged, keys.
 * Results are read from the DOM only. Every wait polls the page and fails at once, with the message, when an error
 * notification has appeared.
 */
import { TreeWindow } from './tree';

export type { Toast } from './notifications';
export { TOAST_RECORDER } from './notifications';
export type { Row, ScrollInfo } from './tree';

const QUICK_INPUT = '.quick-input-widget';

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
 * The whole window as the click tests drive it: notifications and waits (notifications.ts), the Chroma tree
 * (tree.ts), and here the palette, quick picks and input boxes, editors and the status bar.
 */
export class ClickWindow extends TreeWindow {
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
