/**
 * Connections made as a person makes them (issue 24 §1): a newcomer's empty window shows the Chroma view's welcome
 * content, whose Add Connection button opens the wizard as rendered (the URL typed first, Enter through the
 * defaults); Edit Connection… from the connection's context menu renames it in the same wizard. A server behind a
 * token check answers 401: the tree's error row is clicked (Set Token), the wizard asks how to authenticate and the
 * token is typed; the tree opens, and again after a reload. Remove Connection… (its modal clicked) deletes the token
 * too: the same connection written into settings.json again meets the 401 again after a reload.
 */
import * as assert from 'node:assert/strict';
import { requireHeader, TestProxy } from '../support/proxy';
import { clickTest, session } from './support/hooks';
import { answerDialog, contextMenu } from './support/menus';
import { clickWelcomeButton, reloadWindow, reopenAsEmptyWindow, showChromaView } from './support/workbench';
import type { ClickWindow } from './support/window';

const TOKEN = 'tok-click-5e1f';
const NEEDS_TOKEN = /needs credentials \(401\)/;

/** The wizard's URL step: the prefilled URL replaced by `url` typed, Enter once it offers to connect there. */
async function typeUrl(win: ClickWindow, title: string, url: string): Promise<void> {
  await win.waitForQuickInput('the URL step', (q) => q.title.startsWith(title) && /server URL/.test(q.placeholder));
  await win.press('Control+A');
  await win.type(url);
  await win.waitForQuickInput(`the URL step to offer ${url}`, (q) => q.focused === `Connect to ${url}`);
  await win.press('Enter');
}

/** The database step after a successful check: Enter keeps default_database (the suite's server has two). */
async function enterDefaultDatabase(win: ClickWindow, title: string): Promise<void> {
  const q = await win.waitForQuickInput('the database step', (s) => s.title.startsWith(`${title}: database`) && s.focused === 'default_database', 60_000);
  assert.ok(q.items.includes('paging'), `the step lists the server's databases: ${q.items.join(', ')}`);
  await win.press('Enter');
}

describe('click: adding and authenticating connections', () => {
  it(
    'an empty window, no connections: the welcome view\'s Add Connection → URL typed, Enter through the defaults; then Edit Connection… renames it',
    clickTest(
      () => [],
      async (win, s) => {
        const url = s.connections(1)[0].url;
        const name = new URL(url).host;
        await reopenAsEmptyWindow(win);
        await showChromaView(win);
        await clickWelcomeButton(win, 'Add Connection');

        await typeUrl(win, 'Add Chroma Connection', url);
        const named = await win.waitForQuickInput('the name step', (q) => q.title.startsWith('Add Chroma Connection') && q.items.length === 0 && q.value === name);
        assert.match(named.message || named.placeholder, /name for this connection/i);
        await win.press('Enter');
        await win.waitForQuickInput('the authentication step', (q) => q.title.startsWith('Add Chroma Connection') && q.focused === 'No authentication');
        await win.press('Enter');
        await enterDefaultDatabase(win, 'Add Chroma Connection');
        await win.expand(name, { level: 1, timeoutMs: 60_000 });
        await win.waitForRow('default_database', { level: 2 });
        await win.waitForRow('paging', { level: 2 });

        await contextMenu(win, await win.waitForRow(name, { level: 1 }), 'Edit Connection…');
        const title = `Edit Chroma Connection "${name}"`;
        await typeUrl(win, title, url);
        await win.waitForQuickInput('the name step', (q) => q.title.startsWith(title) && q.items.length === 0 && q.value === name);
        await win.press('Control+A');
        await win.type('edited');
        await win.press('Enter');
        await win.waitForQuickInput('the authentication step', (q) => q.title.startsWith(title) && q.focused === 'No authentication');
        await win.press('Enter');
        await enterDefaultDatabase(win, title);
        await win.expand('edited', { level: 1, timeoutMs: 60_000 });
        await win.waitForRow('default_database', { level: 2 });
        assert.equal(await win.findRow(name, { level: 1 }), undefined, 'the old name is gone');
      },
    ),
  );

  describe('a server behind a token check', () => {
    let guard: TestProxy;
    before(async () => {
      guard = await TestProxy.start(session().chroma.url);
      guard.decide = requireHeader('x-chroma-token', TOKEN);
    });
    after(async () => {
      await guard?.stop();
    });

    it(
      'answers 401: the error row clicked (Set Token) → x-chroma-token chosen, the token typed → the tree opens; Remove Connection… deletes the token too',
      clickTest(
        () => [{ name: 'guarded', url: guard.url }],
        async (win, s) => {
          await win.openChromaView();
          await win.expand('guarded', { level: 1 });
          // the connection sends no token: Set Token asks how the server checks requests, in the edit wizard
          await win.click(await win.waitForRow(NEEDS_TOKEN, { level: 2 }));
          const title = 'Edit Chroma Connection "guarded"';
          await typeUrl(win, title, guard.url);
          await win.waitForQuickInput('the name step', (q) => q.title.startsWith(title) && q.items.length === 0 && q.value === 'guarded');
          await win.press('Enter');
          await win.waitForQuickInput('the authentication step', (q) => q.title.startsWith(title) && q.items.includes('x-chroma-token header'));
          await win.choose('x-chroma', 'x-chroma-token header');
          const asked = await win.waitForQuickInput('the token step', (q) => q.title.startsWith(title) && q.items.length === 0 && /token/.test(q.message || q.placeholder));
          assert.match(asked.message || asked.placeholder, /secret storage, never in settings/);
          await win.type(TOKEN);
          await win.press('Enter');
          await enterDefaultDatabase(win, title);
          await win.waitForRow('default_database', { level: 2, timeoutMs: 60_000 });
          assert.equal(await win.findRow(NEEDS_TOKEN), undefined, 'the 401 row is gone');
          const sent = guard.seen.filter((r) => r.headers['x-chroma-token'] === TOKEN).length;
          assert.ok(sent > 0, 'the token went to the server');

          // the token outlives a reload of the window (secret storage keeps it): what the removal must delete
          await reloadWindow(win);
          await win.expand('guarded', { level: 1, timeoutMs: 60_000 });
          await win.waitForRow('default_database', { level: 2, timeoutMs: 60_000 });

          await contextMenu(win, await win.waitForRow('guarded', { level: 1 }), 'Remove Connection…');
          await answerDialog(win, /^Remove the connection "guarded"/, 'Remove');
          await win.waitFor('the connection row to go', async () => !(await win.findRow('guarded', { level: 1 })));

          // The same connection (name, URL, header) written into settings.json again and the window reloaded: a
          // token left in secret storage would open it; none is sent, and the server answers 401 again.
          const before = guard.seen.length;
          s.rewriteSettings([{ name: 'guarded', url: guard.url, authHeader: 'x-chroma-token' }]);
          await reloadWindow(win);
          await win.expand('guarded', { level: 1, timeoutMs: 60_000 });
          await win.waitForRow(NEEDS_TOKEN, { level: 2 });
          const after = guard.seen.slice(before);
          assert.ok(after.length > 0, 'the connection asked the server again');
          assert.ok(after.every((r) => r.headers['x-chroma-token'] === undefined), 'no token was sent after the removal');
        },
      ),
    );
  });
});
