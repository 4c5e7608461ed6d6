/**
 * Local Chroma as a person uses it (issue 21): a workspace with a Chroma data folder (./data, one collection) and its
 * own Chroma (node_modules/.bin/chroma, the npm chromadb the tests pin). Open Chroma Data Folder… typed into the
 * palette and the found folder picked by typing; its collections listed in the tree; Stop from the folder's context
 * menu. Any error notification fails the test.
 */
import * as assert from 'node:assert/strict';
import { mkdirSync, realpathSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../support/chromaServer';
import { writeDataFolder } from './support/data';
import { clickTest } from './support/hooks';
import { contextMenu } from './support/menus';
import { processesOf } from '../support/processes';

const COLLECTION = 'local-notes';

/** A data folder written by the pinned Chroma, with one collection, and the workspace's own Chroma. */
async function prepare(workspace: string): Promise<void> {
  await writeDataFolder(workspace, COLLECTION);
  mkdirSync(join(workspace, 'node_modules', '.bin'), { recursive: true });
  symlinkSync(join(PROJECT_ROOT, 'node_modules', '.bin', 'chroma'), join(workspace, 'node_modules', '.bin', 'chroma'));
}


describe('click: local Chroma', () => {
  let workspace = '';
  it(
    'Open Chroma Data Folder… from the palette, ./data picked by typing: its collections in the tree; Stop from its context menu',
    clickTest(
      (s) => s.connections(1),
      async (win) => {
        const data = realpathSync(join(workspace, 'data'));
        await win.openChromaView();
        await win.waitForRow('Local data', { level: 1 });
        await win.runCommand('Chroma: Open Chroma Data Folder');
        const pick = await win.waitForQuickInput('the data folder step', (q) => q.title === 'Open Chroma Data Folder' && q.items.includes('Browse…'));
        assert.deepEqual(pick.items, ['./data', 'Browse…'], 'the found folder, then Browse…');
        await win.choose('data', './data');

        // Its server's connection, with the collection written before.
        await win.expand('Local ./data', { level: 1, timeoutMs: 90_000 });
        await win.expand('default_database', { level: 2 });
        await win.waitForRow(COLLECTION, { level: 3 });
        const folder = await win.waitForRow('./data', { level: 2 });
        assert.match(folder.description, /running on :\d+$/);
        assert.ok(processesOf(data).length > 0, 'a server runs on the folder');

        // Stop, from the folder's context menu.
        await contextMenu(win, folder, 'Stop Local Chroma');
        await win.waitFor('./data to show "not running"', async () => ((await win.findRow('./data', { level: 2 }))?.description ?? '').endsWith('not running'), 30_000);
        await win.waitFor('its connection to leave the tree', async () => !(await win.findRow('Local ./data', { level: 1 })), 30_000);
        assert.deepEqual(processesOf(data), [], 'no process of the folder is left');
      },
      {},
      async (dir) => {
        workspace = dir;
        await prepare(dir);
      },
    ),
  );
});
