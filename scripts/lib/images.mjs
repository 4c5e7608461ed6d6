// The README's and the walkthrough's images, taken by driving the demo workbench in headless chromium as a person
// would (`npm run images`, which is `scripts/demo.mjs --images`). Each image shows the step it is named after:
//
//   media/walkthrough/connect.png    Add Connection's first step
//   media/walkthrough/browse.png     the tree down to a record, and the record open (also the README's top image)
//   media/walkthrough/add.png        Add Active File to Collection, choosing the collection
//   media/walkthrough/query.png      a query run: the Results view with the ranked hits and their distances
//   media/walkthrough/telemetry.png  the Server Telemetry page
//   media/readme/edit.png            a record open as JSON: its breadcrumb, and the hover of its embedding
//   media/readme/overview.png        Collection Overview of paging-demo: its UMAP map coloured by `topic`
//   media/readme/evaluation.png      the demo's evaluation set run in the Test Explorer, passed and failed cases
//   media/readme/local.png           New Local Chroma…: ./chroma in Local data, its size and its running server
//   media/readme/export.png          Export Collection…: the report and the JSONL file it wrote
//   media/readme/agents.png          Copy MCP Server Configuration: the agents it configures
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { EDITOR_CLIP, escape, frameWith, openFile, palette, pickCollection, pickerShown, row, shooter, showChroma, tidy } from './imageDriving.mjs';
import { agentsShot, editShot, evaluationShot, exportShot, localShot } from './imageShots.mjs';

export { IMAGE_VIEWPORT } from './imageDriving.mjs';

/** Opens the Chroma view and expands connection → database → collection → a record, as a user would. */
export async function openTree(page, connection) {
  await showChroma(page);
  for (const text of [connection, 'default_database', 'chroma-facts']) {
    await row(page, text).waitFor({ timeout: 30_000 });
    await row(page, text).click();
    await page.waitForTimeout(1200);
  }
  await row(page, 'fact-0003').click();
  await page.locator('.editor-instance .view-lines', { hasText: 'fact-0003' }).first().waitFor({ timeout: 30_000 }).catch(() => undefined);
  await page.waitForTimeout(2000);
}

/** Query: pick the collection, type the question, run it, and wait for the Results view's ranked hits. */
async function runQuery(page) {
  await palette(page, 'Chroma: Query Collection');
  await pickCollection(page, 'chroma-facts');
  await page.keyboard.type('where are embeddings stored?', { delay: 10 });
  await page.keyboard.press('Enter');
  const results = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Results' }) });
  await results.locator('.monaco-list-row', { hasText: 'fact-' }).first().waitFor({ timeout: 60_000 });
}

/** The overview of paging-demo, whose records group by topic, coloured by it on the UMAP map: the editor area only. */
async function overviewShot(page, shot, dir) {
  await tidy(page);
  await palette(page, 'Chroma: Collection Overview');
  await pickCollection(page, 'paging-demo');
  const frame = await frameWith(page, '#colorBy option:text("topic")');
  await frame.selectOption('#colorBy', { label: 'topic' });
  await frame.click('#umap');
  await frame.waitForFunction(() => /UMAP map of [\d,]+ points/.test(document.body.innerText), undefined, { timeout: 120_000 });
  // The map scrolled up under the page's count of records read.
  await frame.evaluate(() => document.getElementById('mapHead').scrollIntoView());
  await page.waitForTimeout(1800);
  await shot(dir, 'overview.png', EDITOR_CLIP);
}

/** Takes every image into `mediaDir` (media/). */
export async function takeImages(page, { connection, mediaDir }) {
  const walkthrough = join(mediaDir, 'walkthrough');
  const readme = join(mediaDir, 'readme');
  mkdirSync(walkthrough, { recursive: true });
  mkdirSync(readme, { recursive: true });
  const shot = shooter(page);

  // The extension is up once its status item shows.
  await page.locator('.statusbar-item', { hasText: 'Chroma' }).first().waitFor({ timeout: 60_000 });
  await palette(page, 'Chroma: Add Connection');
  await pickerShown(page);
  await shot(walkthrough, 'connect.png');
  await escape(page);

  await openTree(page, connection);
  await shot(walkthrough, 'browse.png');
  await editShot(page, shot, readme);

  // Add the workspace's notes.md: the collection picker, as the command shows it (database, then collection).
  await openFile(page, 'notes.md');
  await palette(page, 'Chroma: Add Active File to Collection');
  await pickCollection(page);
  await shot(walkthrough, 'add.png');
  await escape(page);

  await runQuery(page);
  await shot(walkthrough, 'query.png');

  await palette(page, 'Chroma: Server Telemetry');
  await page.waitForTimeout(2500);
  await shot(walkthrough, 'telemetry.png');

  await overviewShot(page, shot, readme);
  await evaluationShot(page, shot, readme);
  await exportShot(page, shot, readme);
  await agentsShot(page, shot, readme);
  await localShot(page, shot, readme);
}
