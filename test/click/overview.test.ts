/**
 * The Collection Overview as a person meets it: opened from the palette by typing its title and the collection's
 * name, then, a minute later, the window reloaded (F5 in the browser): the overview comes back showing the same
 * collection.
 * The page's text is read from the webview's frame; any error notification fails the test.
 */
import * as assert from 'node:assert/strict';
import type { Frame } from 'playwright-core';
import { NOTES } from './support/data';
import { clickTest } from './support/hooks';
import type { ClickWindow } from './support/window';

const TARGET = { connection: 'acceptance', database: 'default_database', collection: NOTES };

/** The overview page's title and its line about what was read, from whichever webview frame holds the page. */
async function overviewPage(win: ClickWindow): Promise<{ title: string; sample: string } | undefined> {
  for (const frame of win.page.frames() as Frame[]) {
    const found = await frame
      .evaluate(() => {
        const title = document.getElementById('title')?.textContent ?? '';
        const sample = document.getElementById('sample')?.textContent ?? '';
        return document.getElementById('canvas') && title ? { title, sample } : undefined;
      })
      .catch(() => undefined);
    if (found) {
      return found;
    }
  }
  return undefined;
}

describe('click: the collection overview', () => {
  it(
    'Collection Overview from the palette shows notes, and is there again after the window reloads',
    clickTest(
      (s) => s.connections(1),
      async (win) => {
        await win.openChromaView();
        await win.runCommand('Chroma: Collection Overview');
        await win.pickCollection(TARGET);
        const before = await win.waitFor('the overview of notes, its records read', async () => {
          const p = await overviewPage(win);
          return p && p.title === NOTES && /records read/.test(p.sample) ? p : undefined;
        }, 60_000);
        // A browser's workbench stores its open editors when idle, at most a minute apart, and cannot wait for a
        // store while the page unloads: a person reloading a minute later gets them back, so this waits as long.
        await new Promise((r) => setTimeout(r, 65_000));
        await win.page.reload();
        const after = await win.waitFor('the overview of notes again after the reload', async () => {
          const p = await overviewPage(win);
          return p && p.title === NOTES && /records read/.test(p.sample) ? p : undefined;
        }, 90_000);
        assert.equal(after.sample, before.sample);
      },
    ),
  );
});
