/**
 * The workbench around the Chroma view, driven as a person drives it: an empty window (no folder open, as VS Code
 * starts for a newcomer), the buttons of a view's welcome content, the title actions of the Chroma Explorer view.
 */
import type { ClickWindow, Row } from './window';

const EXPLORER = `[id="workbench.view.extension.chroma"] .pane:has(> .pane-header[aria-label^="Explorer"])`;

/** Loads the same workbench again as an empty window (no folder), as `code` started with no folder opens. */
export async function reopenAsEmptyWindow(win: ClickWindow): Promise<void> {
  const url = new URL(win.page.url());
  url.searchParams.delete('folder');
  url.searchParams.set('ew', 'true');
  await win.page.goto(url.toString());
  await win.page.waitForSelector('.monaco-workbench', { timeout: 90_000 });
}

/** Clicks the Chroma icon in the activity bar (the view may be empty: no row is waited for). */
export async function showChromaView(win: ClickWindow): Promise<void> {
  const icon = win.page.locator('.activitybar [aria-label^="Chroma"]').first();
  await icon.waitFor({ timeout: 60_000 });
  await icon.click();
  await win.page.locator(EXPLORER).first().waitFor({ timeout: 30_000 });
}

/** The buttons the Chroma Explorer's welcome content draws now (empty when the view shows its tree). */
export async function welcomeButtons(win: ClickWindow): Promise<string[]> {
  const labels = await win.page.locator(`${EXPLORER} .welcome-view-content .monaco-button`).allTextContents();
  return labels.map((l) => l.trim()).filter((l) => l.length > 0);
}

/** Waits for the welcome content to offer the button `label`, and clicks it. */
export async function clickWelcomeButton(win: ClickWindow, label: string): Promise<void> {
  await win.waitFor(`the welcome view's "${label}" button`, async () => (await welcomeButtons(win)).includes(label), 60_000);
  await win.page.locator(`${EXPLORER} .welcome-view-content .monaco-button`).filter({ hasText: label }).first().click();
}

/** Reloads the page, as a person reloads the browser tab of the web workbench; waits for the Chroma view again. */
export async function reloadWindow(win: ClickWindow): Promise<void> {
  await win.page.reload();
  await win.page.waitForSelector('.monaco-workbench', { timeout: 90_000 });
  await win.openChromaView();
}

/** Opens VS Code's Explorer (Ctrl+Shift+E) and returns the row of `name` as drawn, for a click or a right-click. */
export async function fileExplorerRow(win: ClickWindow, name: string): Promise<Row> {
  await win.press('Control+Shift+E');
  return win.waitFor(`the Explorer's row "${name}"`, () =>
    win.page.evaluate((label) => {
      const rows = Array.from(document.querySelectorAll<HTMLElement>('[id="workbench.view.explorer"] .monaco-list-row'));
      const row = rows.find((r) => (r.querySelector('.label-name')?.textContent ?? '').trim() === label);
      const box = row?.getBoundingClientRect();
      return box && box.height > 0
        ? { index: Number(row!.dataset.index), level: Number(row!.getAttribute('aria-level')), label, description: '', selected: false, visible: true, x: box.x + Math.min(box.width / 2, 80), y: box.y + box.height / 2 }
        : undefined;
    }, name),
  );
}

/** Waits for the active editor to draw a CodeLens titled `title` (its start), and clicks the first such. */
export async function clickCodeLens(win: ClickWindow, title: string): Promise<void> {
  const lens = win.page.locator('.editor-group-container.active .monaco-editor .codelens-decoration a').filter({ hasText: title }).first();
  await win.waitFor(`the CodeLens "${title}"`, async () => lens.isVisible().catch(() => false), 60_000);
  await lens.click();
}
