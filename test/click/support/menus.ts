/**
 * Menus, dialogs and multi-selection, driven as a person drives them: a right-click on a tree row and a click on an
 * item of the context menu drawn, a click on a modal dialog's button, a click on the Chroma status-bar item and a
 * choice typed into the menu it opens, Ctrl+clicks on several rows. Playwright's locators reach into the shadow root
 * VS Code draws its context menus in.
 */
import type { Locator } from 'playwright-core';
import type { ClickWindow, QuickInputState, Row } from './window';

const CONTEXT_MENU = '.context-view .monaco-menu';
const DIALOG = '.monaco-dialog-box';

/** A modal dialog as drawn: its message, its detail, its buttons' labels. */
export interface Dialog {
  message: string;
  detail: string;
  buttons: string[];
}

/** The labels of the context menu's items drawn now (empty when no context menu shows). */
export async function contextMenuItems(win: ClickWindow): Promise<string[]> {
  const labels = await win.page.locator(`${CONTEXT_MENU} .action-item .action-label`).allTextContents();
  return labels.map((l) => l.trim()).filter((l) => l.length > 0);
}

/**
 * Right-clicks the row where it is drawn, waits for its context menu to offer `item` (the title, exactly), and
 * clicks that item.
 */
export async function contextMenu(win: ClickWindow, row: Row, item: string): Promise<void> {
  const menuItem = win.page.locator(`${CONTEXT_MENU} .action-item:not(.disabled) .action-label`).filter({ hasText: new RegExp(`^\\s*${escapeRegExp(item)}\\s*$`) });
  const menu = win.page.locator(CONTEXT_MENU);
  // closed, or covered by the modal dialog or quick input its item opened (the menu's element may stay a while)
  const done = async () =>
    (await menu.count()) === 0 || !(await menu.first().isVisible().catch(() => false)) || (await dialog(win)) !== undefined || (await win.quickInput()) !== undefined;
  for (let attempt = 1; ; attempt++) {
    await win.page.mouse.click(row.x, row.y, { button: 'right' });
    try {
      await win.waitFor(`the context menu of "${row.label}" to offer "${item}"`, async () => (await menuItem.count()) > 0, 10_000);
      // the menu is drawn again when the row's context keys change while it is open (counts arriving): a click on
      // the old drawing is lost and the menu stays open, so the whole gesture is retried
      await chooseMenuItem(win, menuItem, `the context menu of "${row.label}" to close after "${item}"`, done);
      return;
    } catch (e) {
      if (attempt === 3) {
        throw new Error(`${e instanceof Error ? e.message : String(e)}; it offered: ${(await contextMenuItems(win)).join(', ') || 'no menu'}`);
      }
      if (!(await done())) {
        await win.press('Escape');
      }
    }
  }
}

/**
 * Clicks an item of an open menu and waits (`done`) for the menu to close or give way. When it stays open (the click
 * met a menu drawn again under it, or was not taken), the item is chosen as a keyboard user does: pointed at (the
 * menu focuses the item under the pointer) and Enter pressed.
 */
export async function chooseMenuItem(win: ClickWindow, menuItem: Locator, what: string, done: () => Promise<boolean>): Promise<void> {
  await menuItem.first().click({ timeout: 5_000 });
  try {
    await poll(what, done, 3_000);
  } catch {
    await menuItem.first().hover({ timeout: 5_000 });
    await win.press('Enter');
    await poll(`${what} (chosen with Enter)`, done, 10_000);
  }
}

/** The modal dialog drawn now, or undefined. */
export async function dialog(win: ClickWindow): Promise<Dialog | undefined> {
  const box = win.page.locator(DIALOG).first();
  if ((await box.count()) === 0 || !(await box.isVisible())) {
    return undefined;
  }
  const text = async (sel: string) => ((await box.locator(sel).first().textContent().catch(() => '')) ?? '').trim();
  const buttons = (await box.locator('.dialog-buttons .monaco-button').allTextContents()).map((b) => b.trim());
  return { message: await text('.dialog-message-text'), detail: await text('.dialog-message-detail'), buttons };
}

/** Waits for a modal dialog whose message matches `message`, and returns it as drawn. */
export async function waitForDialog(win: ClickWindow, message: RegExp, timeoutMs = 30_000): Promise<Dialog> {
  let seen: Dialog | undefined;
  try {
    return await win.waitFor(`a modal dialog saying ${String(message)}`, async () => {
      seen = (await dialog(win)) ?? seen;
      return seen && message.test(seen.message) ? seen : undefined;
    }, timeoutMs);
  } catch (e) {
    // what the window showed instead, so that a failure says which way the gesture went
    const q = await win.quickInput();
    const selected = (await win.rows()).filter((r) => r.selected).map((r) => r.label);
    const instead = seen ? `the dialog "${seen.message}" (${seen.detail})` : q ? `the quick input ${JSON.stringify(q)}` : 'no dialog or quick input';
    throw new Error(`${e instanceof Error ? e.message : String(e)}; seen instead: ${instead}; rows selected: ${selected.join(', ') || 'none'}`);
  }
}

/**
 * Waits for a modal dialog whose message matches `message`, clicks its button labelled `button` (exactly), waits for
 * the dialog to close, and returns the dialog as it was drawn.
 */
export async function answerDialog(win: ClickWindow, message: RegExp, button: string, timeoutMs = 30_000): Promise<Dialog> {
  const d = await waitForDialog(win, message, timeoutMs);
  if (!d.buttons.includes(button)) {
    throw new Error(`the dialog "${d.message}" has no button "${button}": it has ${d.buttons.join(', ')}`);
  }
  await win.page.locator(`${DIALOG} .dialog-buttons .monaco-button`).filter({ hasText: new RegExp(`^\\s*${escapeRegExp(button)}\\s*$`) }).first().click();
  // not win.waitFor: the answer may well show an error the test expects (a save refused), which is its to check
  await poll(`the dialog "${d.message}" to close`, async () => !(await dialog(win)), 10_000);
  return d;
}

/** Clicks the Chroma status-bar item, waits for its menu, and chooses the item labelled `item` by typing it. */
export async function statusMenu(win: ClickWindow, item: string): Promise<void> {
  const el = win.page.locator('.statusbar-item[id$=".chroma.status"]').first();
  await el.waitFor({ timeout: 30_000 });
  const shown = (q: { title: string; items: string[] }) => q.title.startsWith('Chroma') && q.items.includes(item);
  // a click the item does not take yet (the window still starting) is clicked again, as a person would
  for (let attempt = 1; ; attempt++) {
    await el.click();
    try {
      await win.waitForQuickInput('the Chroma status menu', shown, attempt === 3 ? 30_000 : 8_000);
      break;
    } catch (e) {
      if (attempt === 3) {
        throw e;
      }
    }
  }
  await win.choose(item);
}

/** Clicks the first row, then Ctrl+clicks each other row: all are selected, as a person selects several. */
export async function selectRows(win: ClickWindow, rows: Row[]): Promise<void> {
  const [first, ...rest] = rows;
  await win.click(first);
  await win.page.keyboard.down('Control');
  try {
    for (const r of rest) {
      await win.click(r);
    }
  } finally {
    await win.page.keyboard.up('Control');
  }
  const wanted = new Set(rows.map((r) => r.index));
  await win.waitFor(`${rows.length} rows selected`, async () => {
    const selected = (await win.rows()).filter((r) => r.selected).map((r) => r.index);
    return selected.length === wanted.size && selected.every((i) => wanted.has(i));
  }, 10_000);
}

async function poll(what: string, probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) {
      throw new Error(`${what}: not seen within ${Math.round(timeoutMs / 1000)} s`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Waits for an error notification that matches `pattern` (one the test expects, e.g. a save refused), returns its
 * text, and takes it off the recorder's list so the test's other waits (which fail on any error) go on.
 */
export async function expectErrorToast(win: ClickWindow, what: string, pattern: RegExp, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const toasts = await win.toasts();
    const hit = toasts.find((t) => t.severity === 'error' && pattern.test(t.message));
    if (hit) {
      await win.page.evaluate((message) => {
        const list = (window as unknown as { __clickToasts: Array<{ severity: string; message: string }> }).__clickToasts;
        list.splice(list.findIndex((t) => t.severity === 'error' && t.message === message), 1);
      }, hit.message);
      return hit.message;
    }
    const others = toasts.filter((t) => t.severity === 'error').map((t) => t.message);
    if (others.length > 0 || Date.now() > deadline) {
      throw new Error(`${what}: not seen${others.length > 0 ? `; other errors: ${others.join(' | ')}` : ` within ${Math.round(timeoutMs / 1000)} s`}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Waits for the quick-input step `accept` recognises; on failure says what the quick input showed instead. */
export async function quickInputStep(win: ClickWindow, what: string, accept: (q: QuickInputState) => boolean): Promise<void> {
  try {
    await win.waitForQuickInput(what, accept);
  } catch (e) {
    throw new Error(`${e instanceof Error ? e.message : String(e)}; the quick input showed ${JSON.stringify(await win.quickInput())}`);
  }
}

/**
 * With the filter's first question open ("How to filter"), builds `key = value` as a person does: Build a filter…,
 * Add a metadata condition…, the key, "= equals", the value typed, then Done, each picked by typing.
 */
export async function buildEqualsFilter(win: ClickWindow, key: string, value: string): Promise<void> {
  await quickInputStep(win, 'how to filter', (q) => q.placeholder === 'How to filter');
  await win.choose('Build', 'Build a filter…');
  await quickInputStep(win, 'the list of conditions', (q) => q.items.includes('Add a metadata condition…'));
  await win.choose('metadata condition', 'Add a metadata condition…');
  await quickInputStep(win, 'the metadata keys', (q) => q.items.includes(key));
  await win.choose(key);
  await quickInputStep(win, 'the operators', (q) => q.placeholder === 'Operator');
  await win.choose('equals', '= equals');
  await quickInputStep(win, 'the value box', (q) => q.title.includes(`${key} $eq`) && q.items.length === 0);
  await win.type(value);
  await win.press('Enter');
  await quickInputStep(win, `the conditions with ${key} = ${value}`, (q) => q.items.includes('Done') && q.items.some((i) => i.includes(key)));
  await win.choose('Done');
}
