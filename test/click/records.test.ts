/**
 * Records handled as a person handles them (issue 24 §1): Add Record… from a collection's context menu (the draft's
 * JSON pasted in, Ctrl+S), Delete Records… on rows selected with Ctrl+click (the modal's Delete clicked), a record
 * edited in its editor and saved with Ctrl+S, and a save that meets the server's newer version answered with
 * Compare; the names a record's editor shows (its tab, its breadcrumb: issue 25 §2). Each test works in a database of
 * its own, checked on the server.
 */
import * as assert from 'node:assert/strict';
import type { ChromaClient, Collection } from '../../src/chroma';
import { demoEmbedding } from '../support/sampleData';
import { DEFAULT_EF, DIM } from './support/data';
import { clickTest } from './support/hooks';
import { answerDialog, contextMenu, expectErrorToast, selectRows } from './support/menus';
import type { ClickWindow } from './support/window';

const COLLECTION = 'records-here';
const DOCS = ['The original wording of alpha.', 'Bravo keeps its text.', 'Charlie keeps its text.', 'Delta keeps its text.'];
const IDS = ['rec-a', 'rec-b', 'rec-c', 'rec-d'];
let made = 0;

/** A database of its own holding COLLECTION (default embedding function) with the four records. */
async function fresh(client: ChromaClient): Promise<{ database: string; collection: Collection }> {
  const { tenant } = await client.scope();
  const database = `click-records-${++made}-${Date.now().toString(36)}`;
  await client.createDatabase(database, { tenant });
  const scope = { tenant, database };
  const collection = await client.createCollection({ name: COLLECTION, configuration: DEFAULT_EF }, { scope });
  await client.upsert(collection, { ids: IDS, embeddings: DOCS.map((d) => demoEmbedding(d, DIM)), documents: DOCS });
  return { database, collection };
}

/** The Chroma view open on the collection's records. */
async function showRecords(win: ClickWindow, database: string): Promise<void> {
  await win.openChromaView();
  await win.expand('acceptance', { level: 1 });
  await win.expand(database, { level: 2 });
  // Its count shown first: a count that arrives later redraws the collection's rows, and a row clicked just then is
  // gone ("Actual command not found"), a race of VS Code's tree that a person rarely meets but a test would.
  await win.waitFor(`${COLLECTION} with its count`, async () => (await win.findRow(COLLECTION, { level: 3 }))?.description.startsWith(`${IDS.length} records`));
  await win.expand(COLLECTION, { level: 3 });
  await win.waitForRow(IDS[0], { level: 4 });
}

/** Clicks the record's row and waits for its JSON in the active editor. */
async function openRecord(win: ClickWindow, id: string): Promise<void> {
  await win.click(await win.waitForRow(id, { level: 4 }));
  await win.waitFor(`${id}.json in the active editor tab`, async () => (await win.activeTab()) === `${id}.json`);
  await win.waitFor(`the record's JSON to show its id`, async () => (await win.editorText()).includes(`"id": "${id}"`));
}

/** In the active editor: Ctrl+F finds `word` (and selects it), Escape, the replacement typed over it. */
async function replaceWord(win: ClickWindow, word: string, replacement: string): Promise<void> {
  await win.clickEditorArea();
  await win.press('Control+F');
  await win.waitFor('the find widget', () => win.page.locator('.editor-group-container.active .find-widget.visible').isVisible());
  await win.type(word);
  await win.waitFor(`the find widget to find "${word}"`, async () => /^1 of 1$/.test(((await win.page.locator('.editor-group-container.active .find-widget .matchesCount').textContent()) ?? '').trim()));
  await win.press('Escape');
  await win.type(replacement);
  await win.waitFor(`the editor to show "${replacement}"`, async () => (await win.editorText()).includes(replacement));
}

async function documentOf(client: ChromaClient, collection: Collection, id: string): Promise<string | null | undefined> {
  return (await client.get(collection, { ids: [id], include: ['documents'] })).documents?.[0];
}

/** The active editor's breadcrumb as drawn: the text of each item, in order. */
async function breadcrumb(win: ClickWindow): Promise<string[]> {
  const items = await win.page.locator('.editor-group-container.active .breadcrumbs-control .monaco-breadcrumb-item').allTextContents();
  return items.map((t) => t.trim()).filter((t) => t.length > 0);
}

describe('click: records from the tree and their editors', () => {
  it(
    'a record opened from the tree reads as names: its tab rec-b.json, its breadcrumb acceptance › database › records-here › rec-b.json',
    clickTest(
      (s) => s.connections(1),
      async (win, s) => {
        const { database, collection } = await fresh(s.client);
        await showRecords(win, database);
        await openRecord(win, IDS[1]);
        // the path up to the file; the JSON outline's symbols (or its "…") follow it once the language server answers
        const crumbs = await win.waitFor('the breadcrumb of the record', async () => {
          const now = await breadcrumb(win);
          const file = now.indexOf(`${IDS[1]}.json`);
          return file >= 0 ? now.slice(0, file + 1) : undefined;
        });
        assert.deepEqual(crumbs, ['acceptance', database, COLLECTION, `${IDS[1]}.json`]);
        assert.ok(!crumbs.some((c) => c.includes(collection.id) || c.includes('%')), `no id, nothing URL-encoded: ${crumbs.join(' › ')}`);
        assert.equal(await win.activeTab(), `${IDS[1]}.json`);
      },
    ),
  );

  it(
    'Add Record… from the context menu: the draft filled in and saved with Ctrl+S adds the record',
    clickTest(
      (s) => s.connections(1),
      async (win, s) => {
        const { database, collection } = await fresh(s.client);
        await showRecords(win, database);
        await contextMenu(win, await win.waitForRow(COLLECTION, { level: 3 }), 'Add Record…');
        await win.waitFor('the draft in the active editor tab', async () => /^New record \d+\.json$/.test((await win.activeTab()) ?? ''));
        await win.waitFor('the draft\'s JSON', async () => (await win.editorText()).includes('"document"'));
        await win.clickEditorArea();
        await win.press('Control+A');
        await win.press('Backspace');
        await win.waitFor('the draft emptied', async () => (await win.editorText()).trim() === '');
        // pasted on one line, as a person pastes a record written elsewhere; what the editor closes after it (the
        // brace of its own auto-closing) is deleted to the end, as a person deletes it
        await win.page.keyboard.insertText(JSON.stringify({ id: 'typed', document: 'A record typed in the editor.', metadata: { source: 'typed' }, uri: null }));
        await win.press('Shift+Control+End');
        await win.press('Delete');
        await win.waitFor('the pasted record in the editor', async () => (await win.editorText()).trim().endsWith('"uri":null}'));
        await win.press('Control+S');
        await win.waitFor('the added record\'s own tab', async () => (await win.activeTab()) === 'typed.json');
        const got = await s.client.get(collection, { ids: ['typed'], include: ['documents', 'metadatas'] });
        assert.deepEqual([got.documents?.[0], got.metadatas?.[0]], ['A record typed in the editor.', { source: 'typed' }]);
        await win.waitForRow('typed', { level: 4 });
      },
    ),
  );

  it(
    'Delete Records… on two rows selected with Ctrl+click: one modal, Delete clicked, both gone',
    clickTest(
      (s) => s.connections(1),
      async (win, s) => {
        const { database, collection } = await fresh(s.client);
        await showRecords(win, database);
        const b = await win.waitForRow(IDS[1], { level: 4 });
        const c = await win.waitForRow(IDS[2], { level: 4 });
        await selectRows(win, [b, c]);
        // the first click opened rec-b, as a click on a record does; the editor taking focus as it opens closes a
        // context menu opened before it, so the menu is opened once it is there, as a person sees it first
        await win.waitFor(`${IDS[1]}.json in the active editor tab`, async () => (await win.activeTab()) === `${IDS[1]}.json`);
        await contextMenu(win, c, 'Delete Records…');
        const asked = await answerDialog(win, /^Delete 2 records\?$/, 'Delete');
        assert.match(asked.detail, new RegExp(`${IDS[1]}.*${IDS[2]}|${IDS[2]}.*${IDS[1]}`), `the dialog names both records: ${asked.detail}`);
        await win.waitFor('both rows to go', async () => !(await win.findRow(IDS[1], { level: 4 })) && !(await win.findRow(IDS[2], { level: 4 })));
        assert.deepEqual((await s.client.get(collection, {})).ids.sort(), [IDS[0], IDS[3]]);
      },
    ),
  );

  it(
    'a record edited in its editor and saved with Ctrl+S is updated on the server',
    clickTest(
      (s) => s.connections(1),
      async (win, s) => {
        const { database, collection } = await fresh(s.client);
        await showRecords(win, database);
        await openRecord(win, IDS[0]);
        await replaceWord(win, 'original', 'edited');
        await win.press('Control+S');
        await win.waitFor('the server to hold the edit', async () => (await documentOf(s.client, collection, IDS[0])) === 'The edited wording of alpha.');
        await win.waitFor('the tab to show no unsaved change', () => win.page.evaluate(() => !document.querySelector('.editor-group-container.active .tab.active.dirty')));
      },
    ),
  );

  it(
    'a save that meets a newer server version asks, and Compare shows both side by side without writing',
    clickTest(
      (s) => s.connections(1),
      async (win, s) => {
        const { database, collection } = await fresh(s.client);
        await showRecords(win, database);
        await openRecord(win, IDS[0]);
        // meanwhile, someone else changes the record on the server
        const theirs = 'Someone else rewrote alpha.';
        await s.client.update(collection, { ids: [IDS[0]], documents: [theirs], embeddings: [demoEmbedding(theirs, DIM)] });
        await replaceWord(win, 'original', 'edited');
        await win.press('Control+S');
        const asked = await answerDialog(win, new RegExp(`^"${IDS[0]}" changed on the server since you opened it\\.$`), 'Compare');
        assert.deepEqual(asked.buttons.filter((b) => b !== 'Cancel').sort(), ['Compare', 'Overwrite']);
        const refused = await expectErrorToast(win, 'the save refused', /Compare the two versions, then save again and choose Overwrite/);
        assert.match(refused, /changed on the server/);
        await win.waitFor('the diff of the two versions', async () => (await win.activeTab()) === `${IDS[0]}: server ↔ yours`);
        await win.waitFor('the diff to show the server\'s text', async () => (await win.editorText()).includes(theirs));
        assert.equal(await documentOf(s.client, collection, IDS[0]), theirs, 'nothing was written');
      },
    ),
  );
});
