// What the image script does with the workbench, as a person would: click a tree row, run a command from the
// palette by typing its title, answer a picker, open a file by name, wait for a notification. Used by images.mjs and
// imageShots.mjs.
import { join } from 'node:path';

export const IMAGE_VIEWPORT = { width: 1280, height: 800 };

/** The editor area (tabs down to the status bar), to the right of a side bar of the default width. */
export const EDITOR_CLIP = { x: 348, y: 34, width: IMAGE_VIEWPORT.width - 348, height: IMAGE_VIEWPORT.height - 56 };

export const row = (page, text) => page.locator('.monaco-list-row', { hasText: text }).first();

/** Shows the Chroma view (its activity-bar icon hides the side bar when the view is already shown). */
export async function showChroma(page) {
  const icon = page.locator('.activitybar .action-item', { has: page.locator('[aria-label^="Chroma"]') }).first();
  if (!/\bchecked\b/.test((await icon.getAttribute('class')) ?? '')) await icon.click();
  await page.waitForTimeout(800);
}

/** Runs a command from the palette by typing its title, as a user does. */
export async function palette(page, title) {
  // A workbench that is still starting can swallow the key: press it again until the palette shows.
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('F1');
    try {
      await page.waitForSelector('.quick-input-widget', { state: 'visible', timeout: 5_000 });
      break;
    } catch (e) {
      if (attempt === 6) throw e;
    }
  }
  await page.keyboard.type(title, { delay: 10 });
  await page.waitForTimeout(600);
  await page.keyboard.press('Enter');
}

export const pickerShown = (page) => page.waitForSelector('.quick-input-widget', { state: 'visible' });

/** In a picker that is open: the database, then a collection typed by name (as the commands ask for them). */
export async function pickCollection(page, name) {
  await pickerShown(page);
  await page.waitForTimeout(800);
  await page.keyboard.press('Enter'); // default_database
  await page.waitForTimeout(1200);
  if (name) {
    await page.keyboard.type(name, { delay: 10 });
    await page.waitForTimeout(500);
    await page.keyboard.press('Enter');
    await page.waitForTimeout(1000);
  }
}

export async function escape(page) {
  await page.keyboard.press('Escape');
  await page.waitForTimeout(300);
}

/** Quick Open (Ctrl+P): a workspace file by name. */
export async function openFile(page, name) {
  await page.keyboard.press('Control+P');
  await pickerShown(page);
  await page.keyboard.type(name, { delay: 10 });
  await page.waitForTimeout(800);
  await page.keyboard.press('Enter');
  await page.locator('.tab.active', { hasText: name }).first().waitFor({ timeout: 30_000 });
  await page.waitForTimeout(800);
}

/** Closes every editor, the panel and the notifications, so that the next image starts from a tidy window. */
export async function tidy(page) {
  await escape(page);
  await page.keyboard.press('Control+K');
  await page.keyboard.press('Control+W'); // close all editors
  await page.waitForTimeout(500);
  if (await page.locator('.part.panel').isVisible()) {
    await palette(page, 'View: Close Panel');
    await page.locator('.part.panel').waitFor({ state: 'hidden', timeout: 10_000 });
  }
  await palette(page, 'Notifications: Clear All Notifications');
  await page.waitForTimeout(500);
}

/** A notification toast whose text matches `text` (a string or RegExp), once shown. */
export async function notification(page, text, timeout = 60_000) {
  const toast = page.locator('.notification-toast', { hasText: text }).first();
  await toast.waitFor({ timeout });
  return toast;
}

/** The webview frame that holds `selector` (the overview page sits in nested iframes). */
export async function frameWith(page, selector, timeout = 60_000) {
  const end = Date.now() + timeout;
  while (Date.now() < end) {
    for (const frame of page.frames()) {
      if (await frame.$(selector).catch(() => null)) return frame;
    }
    await page.waitForTimeout(250);
  }
  throw new Error(`images: no frame shows ${selector}`);
}

/** shot(dir, name, clip?): a screenshot after the workbench has settled, the file's path logged. */
export function shooter(page) {
  return async (dir, name, clip) => {
    const file = join(dir, name);
    await page.waitForTimeout(1200);
    await page.screenshot({ path: file, clip });
    console.log(`images: ${file}`);
  };
}
