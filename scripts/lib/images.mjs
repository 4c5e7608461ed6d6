// The README's and the walkthrough's images, taken by driving the demo workbench in headless chromium as a person
// would (`npm run images`, which is `scripts/demo.mjs --images`). Each image shows the step it is named after:
//
//   media/walkthrough/connect.png    Add Connection's first step
//   media/walkthrough/browse.png     the tree down to a record, and the record open (also the README's top image)
//   media/walkthrough/add.png        Add Active File to Collection, choosing the collection
//   media/walkthrough/query.png      a query run: the Results view with the ranked hits and their distances
//   media/walkthrough/telemetry.png  the Server Telemetry page
//   media/readme/overview.png        Collection Overview of paging-demo: its UMAP map coloured by `topic`
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export const IMAGE_VIEWPORT = { width: 1280, height: 800 };

const row = (page, text) => page.locator('.monaco-list-row', { hasText: text }).first();

/** Opens the Chroma view and expands connection → database → collection → a record, as a user would. */
export async function openTree(page, connection) {
  await page.locator('.activitybar [aria-label^="Chroma"]').first().click();
  for (const text of [connection, 'default_database', 'chroma-facts']) {
    await row(page, text).waitFor({ timeout: 30_000 });
    await row(page, text).click();
    await page.waitForTimeout(1200);
  }
  await row(page, 'fact-0003').click();
  await page.locator('.editor-instance .view-lines', { hasText: 'fact-0003' }).first().waitFor({ timeout: 30_000 }).catch(() => undefined);
  await page.waitForTimeout(2000);
}

/** Runs a command from the palette by typing its title, as a user does. */
async function palette(page, title) {
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

const pickerShown = (page) => page.waitForSelector('.quick-input-widget', { state: 'visible' });

/** In a picker that is open: the database, then a collection typed by name (as the commands ask for them). */
async function pickCollection(page, name) {
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

async function escape(page) {
  await page.keyboard.press('Escape');
  await page.waitForTimeout(300);
}

/** The webview frame that holds `selector` (the overview page sits in nested iframes). */
async function frameWith(page, selector, timeout = 60_000) {
  const end = Date.now() + timeout;
  while (Date.now() < end) {
    for (const frame of page.frames()) {
      if (await frame.$(selector).catch(() => null)) return frame;
    }
    await page.waitForTimeout(250);
  }
  throw new Error(`images: no frame shows ${selector}`);
}

/** Takes every image into `mediaDir` (media/). */
export async function takeImages(page, { connection, mediaDir }) {
  const walkthrough = join(mediaDir, 'walkthrough');
  const readme = join(mediaDir, 'readme');
  mkdirSync(walkthrough, { recursive: true });
  mkdirSync(readme, { recursive: true });
  const shot = async (file) => {
    await page.waitForTimeout(1200);
    await page.screenshot({ path: file });
    console.log(`images: ${file}`);
  };

  // The extension is up once its status item shows.
  await page.locator('.statusbar-item', { hasText: 'Chroma' }).first().waitFor({ timeout: 60_000 });
  await palette(page, 'Chroma: Add Connection');
  await pickerShown(page);
  await shot(join(walkthrough, 'connect.png'));
  await escape(page);

  await openTree(page, connection);
  await shot(join(walkthrough, 'browse.png'));

  // Add the workspace's notes.md: the collection picker, as the command shows it (database, then collection).
  await page.keyboard.press('Control+P');
  await page.keyboard.type('notes.md', { delay: 10 });
  await page.waitForTimeout(600);
  await page.keyboard.press('Enter');
  await page.waitForTimeout(1500);
  await palette(page, 'Chroma: Add Active File to Collection');
  await pickCollection(page);
  await shot(join(walkthrough, 'add.png'));
  await escape(page);

  // Query: pick the collection, type the question, run it, and show the Results view's ranked hits.
  await palette(page, 'Chroma: Query Collection');
  await pickCollection(page, 'chroma-facts');
  await page.keyboard.type('where are embeddings stored?', { delay: 10 });
  await page.keyboard.press('Enter');
  const results = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Results' }) });
  await results.locator('.monaco-list-row', { hasText: 'fact-' }).first().waitFor({ timeout: 60_000 });
  await shot(join(walkthrough, 'query.png'));

  await palette(page, 'Chroma: Server Telemetry');
  await page.waitForTimeout(2500);
  await shot(join(walkthrough, 'telemetry.png'));

  // The overview of paging-demo, whose records group by topic, coloured by it on the UMAP map.
  await page.keyboard.press('Control+K');
  await page.keyboard.press('Control+W'); // close all editors
  await page.waitForTimeout(800);
  await palette(page, 'Chroma: Collection Overview');
  await pickCollection(page, 'paging-demo');
  const frame = await frameWith(page, '#colorBy option:text("topic")');
  await frame.selectOption('#colorBy', { label: 'topic' });
  await frame.click('#umap');
  await frame.waitForFunction(() => /UMAP map of [\d,]+ points/.test(document.body.innerText), undefined, { timeout: 120_000 });
  // The map scrolled up under the page's count of records read.
  await frame.evaluate(() => document.getElementById('mapHead').scrollIntoView());
  await page.waitForTimeout(3000);
  // The editor area only: the page, not the tree beside it.
  await page.screenshot({ path: join(readme, 'overview.png'), clip: { x: 348, y: 34, width: IMAGE_VIEWPORT.width - 348, height: IMAGE_VIEWPORT.height - 56 } });
  console.log(`images: ${join(readme, 'overview.png')}`);
}
