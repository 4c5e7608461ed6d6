/**
 * The workbench around the Chroma view, driven as a person drives it: an empty window (no folder open, as VS Code
 * starts for a newcomer), the buttons of a view's welcome content, the title actions of the Chroma Explorer view.
 */
import type { ClickWindow } from './window';

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
