/**
 * The Chroma Results view driven as a person drives it: its rows read where they are drawn and clicked, its title
 * actions clicked (the header is hovered first, as the workbench shows them only then), the "More Actions…" menu
 * of its title opened and an item clicked. Playwright's locators reach into the shadow root VS Code draws menus in.
 */
import type { ClickWindow, Row } from './window';
import { chooseMenuItem } from './menus';
import { listRows, pane } from './tree';

const RESULTS = pane('Results');
const EXPLORER = pane('Explorer');
const MENU = '.context-view .monaco-menu';

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The Results view's rows as drawn, in order (the same shape as the Chroma tree's rows). */
export function resultRows(win: ClickWindow): Promise<Row[]> {
  return listRows(win.page, `${RESULTS} .monaco-list`);
}

/** The hits the Results view draws ("1. note-3", …), as record ids in rank order. */
export async function resultHits(win: ClickWindow): Promise<string[]> {
  return (await resultRows(win)).map((r) => /^\d+\. (.+)$/.exec(r.label)?.[1]).filter((id): id is string => id !== undefined);
}

/** Waits until the Results view draws a header matching `header` and hits that `accept` recognises; returns the hits. */
export async function waitForResults(win: ClickWindow, what: string, header: RegExp, accept: (hits: string[]) => boolean, timeoutMs = 60_000): Promise<string[]> {
  return win.waitFor(what, async () => {
    const rows = await resultRows(win);
    const hits = await resultHits(win);
    return rows.some((r) => header.test(r.label)) && accept(hits) ? hits : undefined;
  }, timeoutMs);
}

/** Waits for the row with this label to be drawn where a click lands, and clicks it. */
export async function clickResultRow(win: ClickWindow, label: string): Promise<Row> {
  const row = await win.waitFor(`the result row "${label}"`, async () => (await resultRows(win)).find((r) => r.label === label && r.visible));
  await win.click(row);
  return row;
}

/** Hovers the Results view's header (its actions show only then) and clicks the title action named `title`. */
export async function resultsAction(win: ClickWindow, title: string): Promise<void> {
  const header = win.page.locator(`${RESULTS} > .pane-header`);
  const action = header.locator(`.actions .action-label[aria-label^="${title}"]`).first();
  await win.waitFor(`the Results view's "${title}" action`, async () => {
    await header.hover();
    return action.isVisible();
  });
  await action.click();
}

/** Opens the "More Actions…" menu of the Results view's title and clicks its item `item` (exactly). */
export async function resultsMoreAction(win: ClickWindow, item: string): Promise<void> {
  const menuItem = win.page.locator(`${MENU} .action-item:not(.disabled) .action-label`).filter({ hasText: new RegExp(`^\\s*${escapeRegExp(item)}\\s*$`) });
  await resultsAction(win, 'More Actions');
  await win.waitFor(`the Results view's "More Actions…" menu to offer "${item}"`, async () => (await menuItem.count()) > 0, 10_000);
  const menu = win.page.locator(MENU).first();
  await chooseMenuItem(win, menuItem, `the "More Actions…" menu to close after "${item}"`, async () => !(await menu.isVisible().catch(() => false)) || (await win.quickInput()) !== undefined);
}

/** What the clipboard holds (the browser's clipboard, which the web workbench writes to). */
export async function clipboardText(win: ClickWindow): Promise<string> {
  await win.page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  return win.page.evaluate(() => navigator.clipboard.readText());
}

/** Allows the page to write the clipboard (before a command copies). */
export async function allowClipboard(win: ClickWindow): Promise<void> {
  await win.page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
}


/** Hovers a row of the Chroma tree (its inline actions show only then) and clicks its inline action `title`. */
export async function treeRowAction(win: ClickWindow, row: Row, title: string): Promise<void> {
  const el = win.page.locator(`${EXPLORER} .monaco-list-row[data-index="${row.index}"]`).first();
  const action = el.locator(`.actions .action-label[aria-label^="${title}"]`).first();
  await win.waitFor(`the inline action "${title}" of "${row.label}"`, async () => {
    await win.page.mouse.move(row.x, row.y);
    return action.isVisible();
  });
  await action.click();
}
