// The README's capability images beyond the walkthrough's (see images.mjs for the list), each taken by driving the
// demo workbench as a person would.
import { EVAL_SET_FILE } from './demoWorkspace.mjs';
import { EDITOR_CLIP, escape, showChroma, notification, openFile, palette, pickCollection, pickerShown, row, tidy } from './imageDriving.mjs';

/** edit.png: the record open from the tree (breadcrumb of names), with the hover of its `$embedding` line. */
export async function editShot(page, shot, dir) {
  const key = page.locator('.editor-instance .view-lines span', { hasText: '"$embedding"' }).first();
  await key.waitFor({ timeout: 30_000 });
  await key.hover();
  await page.locator('.monaco-hover:visible', { hasText: 'embedding function' }).first().waitFor({ timeout: 20_000 });
  await shot(dir, 'edit.png', { ...EDITOR_CLIP, height: 420 });
  await page.mouse.move(700, 700);
}

/**
 * evaluation.png: the demo's evaluation set run from the Test Explorer: its cases passed and failed in the tree and
 * beside their lines, and the failed case's message (where the expected record ranked, what came first).
 */
export async function evaluationShot(page, shot, dir) {
  await tidy(page);
  await openFile(page, EVAL_SET_FILE);
  await palette(page, 'Testing: Focus on Test Explorer View');
  const set = row(page, 'chroma-facts retrieval');
  await set.waitFor({ timeout: 60_000 });
  await palette(page, 'Test: Run All Tests');
  await page.getByText(/\d of \d+ passed/).first().waitFor({ timeout: 120_000 });
  await palette(page, 'View: Close Panel');
  if ((await set.getAttribute('aria-expanded')) === 'false') await set.locator('.monaco-tl-twistie').click();
  // The failed case clicked in the tree: the editor peeks at its message below its line.
  await row(page, 'in other words').click();
  const peek = page.locator('.peekview-widget').first();
  await peek.waitFor({ timeout: 10_000 }).catch(async () => {
    await palette(page, 'Test: Go to Next Test Failure');
    await peek.waitFor({ timeout: 10_000 }).catch(() => console.log('images: evaluation.png without the failure peek'));
  });
  await page.mouse.move(700, 760);
  await shot(dir, 'evaluation.png', { x: 0, y: 0, width: 1280, height: 520 }); // down to the peek, not the empty editor below
  await escape(page);
}

/** local.png: New Local Chroma… makes ./chroma and serves it; the Local data node shows it running, with its tooltip. */
export async function localShot(page, shot, dir) {
  await tidy(page);
  await showChroma(page);
  await palette(page, 'Chroma: New Local Chroma');
  await pickerShown(page);
  await page.waitForTimeout(500);
  await page.keyboard.press('Enter'); // the offered folder: chroma
  const folder = page.locator('.monaco-list-row', { hasText: /running on/ }).first();
  await folder.waitFor({ timeout: 120_000 });
  // The size is read when the folder is listed: again now that the server has written its database.
  await palette(page, 'Chroma: Refresh Local Data');
  await page.locator('.monaco-list-row', { hasText: /\d+(\.\d+)? [KM]i?B · running on/ }).first().waitFor({ timeout: 30_000 });
  await folder.hover();
  await page.locator('.monaco-hover:visible', { hasText: 'Served by' }).first().waitFor({ timeout: 20_000 });
  await shot(dir, 'local.png', { x: 0, y: 0, width: 740, height: 300 });
  await page.mouse.move(700, 700);
}

/** export.png: Export Collection… of chroma-facts into the workspace, its report, and the file it wrote. */
export async function exportShot(page, shot, dir) {
  await tidy(page);
  await palette(page, 'View: Show Explorer'); // the workspace's files, where the export lands
  await palette(page, 'Chroma: Export Collection');
  await pickCollection(page, 'chroma-facts');
  await pickerShown(page); // the save dialog, on the workspace's chroma-facts.jsonl
  await page.waitForTimeout(800);
  await page.keyboard.press('Enter');
  await notification(page, /Exported/);
  await openFile(page, 'chroma-facts.jsonl');
  const report = await notification(page, /Exported/, 5_000);
  // The whole report, not its first line.
  await report.hover();
  await report.locator('.codicon-notifications-expand').click({ timeout: 3_000 }).catch(() => console.log('images: export.png with the report on one line'));
  await page.mouse.move(700, 600);
  await shot(dir, 'export.png');
}

/** agents.png: Copy MCP Server Configuration asks which agent it is for. */
export async function agentsShot(page, shot, dir) {
  await tidy(page);
  await palette(page, 'Chroma: Copy MCP Server Configuration');
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Claude Code' }).first().waitFor({ timeout: 30_000 });
  await shot(dir, 'agents.png', { x: 330, y: 0, width: 620, height: 170 });
  await escape(page);
}
