/**
 * Connections managed as a person manages them (issue 24 §1): the status-bar item's menu switching the active
 * connection (Switch Connection), Rename Connection… and Remove Connection… from a connection's context menu (the
 * removal confirmed by clicking the modal's button), and Show Log showing what was done.
 */
import * as assert from 'node:assert/strict';
import { clickTest } from './support/hooks';
import { answerDialog, contextMenu, statusMenu } from './support/menus';
import type { ClickWindow } from './support/window';

const SWITCH = 'Switch active connection…';

/** Opens the status menu and reads its title (which names the active connection), then closes it. */
async function statusMenuTitle(win: ClickWindow): Promise<string> {
  await win.page.locator('.statusbar-item[id$=".chroma.status"]').first().click();
  const q = await win.waitForQuickInput('the Chroma status menu', (s) => s.items.includes(SWITCH));
  await win.press('Escape');
  await win.waitFor('the status menu to close', async () => !(await win.quickInput()), 10_000);
  return q.title;
}

describe('click: connections', () => {
  it(
    'the status-bar item → Switch active connection… → the second connection: the status menu then names it',
    clickTest(
      (s) => s.connections(2),
      async (win, s) => {
        await win.openChromaView();
        await win.waitFor('the status bar to show the server healthy', async () => /^Chroma 1\.x · \d+ ms$/.test((await win.statusItem('chroma.status')) ?? ''), 60_000);
        assert.equal(await statusMenuTitle(win), 'Chroma: acceptance');
        await statusMenu(win, SWITCH);
        const pick = await win.waitForQuickInput('the connection picker', (q) => q.title === 'Switch active connection' && q.items.includes('second'));
        assert.deepEqual(pick.items, s.connections(2).map((c) => c.name));
        await win.choose('second');
        await win.waitFor('the status menu to name the second connection', async () => (await statusMenuTitle(win)) === 'Chroma: second');
        await win.waitFor('the status bar to show the server healthy', async () => /^Chroma 1\.x · \d+ ms$/.test((await win.statusItem('chroma.status')) ?? ''));
      },
    ),
  );

  it(
    'Rename Connection… and Remove Connection… from the context menu (the modal clicked), then Show Log tells of it',
    clickTest(
      (s) => s.connections(2),
      async (win, s) => {
        await win.openChromaView();
        await contextMenu(win, await win.waitForRow('second', { level: 1 }), 'Rename Connection…');
        await win.waitForQuickInput('the new name', (q) => q.title === 'Rename "second"' && q.value === 'second');
        await win.press('Control+A');
        await win.type('spare');
        await win.press('Enter');
        const spare = await win.waitForRow('spare', { level: 1 });
        assert.equal(await win.findRow('second', { level: 1 }), undefined, 'the old name is gone');

        await contextMenu(win, spare, 'Remove Connection…');
        const asked = await answerDialog(win, new RegExp(`^Remove the connection "spare" \\(${s.connections(2)[1].url.replace(/[.]/g, '\\.')}\\)\\?$`), 'Remove');
        assert.equal(asked.detail, 'Its stored token is deleted too. Nothing on the server changes.');
        await win.waitFor('the connection row to go', async () => !(await win.findRow('spare', { level: 1 })));
        assert.deepEqual((await win.rows()).filter((r) => r.level === 1).map((r) => r.label), ['acceptance'], 'the one connection left (no Local data node: the workspace has no data folder)');

        await win.runCommand('Chroma: Show Log');
        await win.waitFor('the log to tell of the removal', async () => {
          const text = await win.page.locator('.part.panel .monaco-editor .view-lines').first().innerText().catch(() => '');
          return text.replace(/\u00a0/g, ' ').includes('[connections] removed "spare"');
        });
      },
    ),
  );
});
