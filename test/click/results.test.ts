/**
 * The Chroma Results view clicked as a person clicks it (issue 24): a hit clicked (Go to Source, Open Record), Find
 * Similar Records from a hit's context menu, the view's title actions (Re-run Query, Query History…, Clear Results)
 * and its "More Actions…" menu (Number of Results…, Run Query in Another Collection…, Copy Results as JSON).
 * Queries start from the palette, their pickers answered by typing. Outcomes are read from the view, the editor,
 * the clipboard and the real server.
 */
import * as assert from 'node:assert/strict';
import { demoEmbedding } from '../support/sampleData';
import { DEFAULT_EF, DIM, NOTES, PAGED, PAGING_DB } from './support/data';
import { clickTest } from './support/hooks';
import type { ClickSession } from './support/session';
import { contextMenu } from './support/menus';
import { GUIDE } from './support/session';
import { allowClipboard, clickResultRow, clipboardText, resultHits, resultRows, resultsAction, resultsMoreAction, waitForResults } from './support/views';
import type { ClickWindow } from './support/window';

const NOTES_TARGET = { connection: 'acceptance', database: 'default_database', collection: NOTES };
const QUERY_PATH = /^\/api\/v2\/tenants\/[^/]+\/databases\/[^/]+\/collections\/[^/]+\/query(\?|$)/;

/** Query Collection… from the palette: the collection picked and the text typed, as a person does. */
async function queryFromPalette(win: ClickWindow, target: typeof NOTES_TARGET, text: string): Promise<void> {
  await win.runCommand('Chroma: Query Collection');
  await win.pickCollection(target);
  await win.waitForQuickInput('the query text box', (q) => q.items.length === 0 && /query|search/i.test(`${q.title} ${q.message} ${q.placeholder}`));
  await win.type(text);
  await win.press('Enter');
}

/** The query requests the server has been sent so far. */
function queriesSent(s: ClickSession): number {
  return s.proxy.seen.filter((r) => r.method === 'POST' && QUERY_PATH.test(r.path)).length;
}

async function noteIds(s: ClickSession): Promise<string[]> {
  return (await s.client.get(await s.client.getCollection(NOTES), {})).ids;
}

describe('click: the Chroma Results view', () => {
  it(
    'a hit with a source clicked goes to its lines in guide.md; a hit without one opens the record; Find Similar Records from its context menu',
    clickTest(
      (s) => s.connections(1),
      async (win, s) => {
        // A collection whose records name guide.md and its lines, as Add Files writes them.
        const name = `sources-${Date.now()}`;
        const col = await s.client.createCollection({ name, configuration: DEFAULT_EF });
        const lines = GUIDE.split('\n');
        const line = lines.findIndex((l) => l.startsWith('Chroma keeps')) + 1;
        await s.client.upsert(col, {
          ids: ['guide-chunk'],
          embeddings: [demoEmbedding(lines[line - 1], DIM)],
          documents: [lines[line - 1]],
          metadatas: [{ source: 'guide.md', startLine: line, endLine: line }],
        });
        await queryFromPalette(win, { ...NOTES_TARGET, collection: name }, 'where are the notes kept');
        await waitForResults(win, 'the hit from guide.md', /where are the notes kept/, (hits) => hits.includes('guide-chunk'));
        await clickResultRow(win, '1. guide-chunk');
        await win.waitFor('guide.md in the active editor tab', async () => (await win.activeTab()) === 'guide.md');
        const selection = await win.waitFor('the chunk\'s line selected', async () => {
          const text = await win.page.evaluate(() => document.getElementById('status.editor.selection')?.textContent?.trim());
          return text && new RegExp(`^Ln ${line}, Col \\d+ \\(\\d+ selected\\)`).test(text) ? text : undefined;
        });
        s.logLine(`Go to Source selected: ${selection}`);

        // A hit of notes names no file: clicking it opens the record.
        await queryFromPalette(win, NOTES_TARGET, 'embeddings next to documents');
        // (other tests of the suite may have added files to notes: the first hit that is one of its own notes is taken)
        const hits = await waitForResults(win, 'hits from notes', /embeddings next to documents/, (h) => h.some((id) => id.startsWith('note-')));
        const note = hits.find((id) => id.startsWith('note-'))!;
        const label = `${hits.indexOf(note) + 1}. ${note}`;
        await clickResultRow(win, label);
        await win.waitFor(`the record ${note} in the active editor tab`, async () => (await win.activeTab()) === `${note}.json`);
        await win.waitFor('the record\'s JSON to show its id', async () => (await win.editorText()).includes(`"id": ${JSON.stringify(note)},`));

        // Find Similar Records from the hit's context menu: a query by that record's vector, shown in the view.
        const hitRow = await win.waitFor(`the result row of ${note}`, async () => (await resultRows(win)).find((r) => r.label === label && r.visible));
        await contextMenu(win, hitRow, 'Find Similar Records');
        const similar = await waitForResults(win, `records similar to ${note}`, new RegExp(`^similar to ${note}$`), (h) => h.length > 0);
        assert.ok(!similar.includes(note), `the record itself is left out: ${similar.join(', ')}`);
        const inNotes = await noteIds(s);
        assert.ok(similar.every((id) => inNotes.includes(id)), `the similar records are records of notes: ${similar.join(', ')}`);
        // the suite's server is shared: other tests count default_database's collections
        await s.client.deleteCollection(name);
      },
    ),
  );

  it(
    'Number of Results…, Re-run Query, Copy Results as JSON and Clear Results from the view\'s title',
    clickTest(
      (s) => s.connections(1),
      async (win, s) => {
        const ids = await noteIds(s);
        await queryFromPalette(win, NOTES_TARGET, 'nearest records');
        const header = /nearest records/;
        const first = await waitForResults(win, 'hits from notes', header, (h) => h.length === Math.min(ids.length, 10));

        // Number of Results…: the input box typed into, Enter; the view shows that many.
        await resultsMoreAction(win, 'Number of Results…');
        await win.waitForQuickInput('the number of results box', (q) => q.title === 'Number of results' && /^\d+$/.test(q.value));
        await win.press('Control+A');
        await win.type('2');
        await win.press('Enter');
        const two = await waitForResults(win, 'two hits', header, (h) => h.length === 2);
        // ties (chunks of one file at one distance) may come in either order: the two are among the nearest of before
        assert.ok(two.every((id) => first.includes(id)), `the two nearest are hits of before: ${two.join(', ')}`);

        // Re-run Query: the query goes to the server again and the view shows the same hits.
        const sent = queriesSent(s);
        await resultsAction(win, 'Re-run Query');
        await win.waitFor('the query sent again', async () => queriesSent(s) > sent);
        assert.deepEqual(await waitForResults(win, 'the re-run hits', header, (h) => h.length === 2), two);

        // Copy Results as JSON: the clipboard holds the hits shown.
        await allowClipboard(win);
        await resultsMoreAction(win, 'Copy Results as JSON');
        const json = await win.waitFor('the results on the clipboard', async () => {
          const text = await clipboardText(win).catch(() => '');
          return two.every((id) => text.includes(JSON.stringify(id))) ? text : undefined;
        });
        assert.ok(JSON.parse(json), 'the clipboard holds JSON');

        // Clear Results: the view shows no hit any more.
        await resultsAction(win, 'Clear Results');
        await win.waitFor('the Results view to show no hit', async () => (await resultHits(win)).length === 0);
        assert.ok(!(await resultRows(win)).some((r) => header.test(r.label)), 'the cleared query\'s header is gone');
      },
    ),
  );

  it(
    'Run Query in Another Collection… and Query History… from the view\'s title',
    clickTest(
      (s) => s.connections(1),
      async (win, s) => {
        const ids = await noteIds(s);
        const text = 'approximate nearest neighbours';
        await queryFromPalette(win, NOTES_TARGET, text);
        const header = new RegExp(text);
        await waitForResults(win, 'hits from notes', header, (h) => h.length === Math.min(ids.length, 10));

        await resultsMoreAction(win, 'Run Query in Another Collection…');
        await win.pickCollection({ connection: 'acceptance', database: PAGING_DB, collection: PAGED });
        const paged = await waitForResults(win, `hits from ${PAGED}`, header, (h) => h.length > 0 && h.every((id) => id.startsWith('rec-')));
        const scope = { tenant: 'default_tenant', database: PAGING_DB };
        const all = (await s.client.get(await s.client.getCollection(PAGED, { scope }), { ids: paged })).ids;
        assert.equal(all.length, paged.length, `every hit shown is a record of ${PAGED}`);

        // Query History…: the notes query is listed (with its collection) and runs again when chosen.
        await resultsAction(win, 'Query History…');
        const q = await win.waitForQuickInput('the query history', (s2) => s2.title === 'Query history' && s2.items.length >= 2);
        assert.equal(q.items.filter((i) => i === `“${text}”`).length, 2, `both runs are in the history: ${q.items.join(' | ')}`);
        const notesRow = await win.page
          .locator('.quick-input-widget .quick-input-list .monaco-list-row')
          .filter({ hasText: `${NOTES} · acceptance` })
          .first();
        await notesRow.click();
        await waitForResults(win, 'hits from notes again', header, (h) => h.length === Math.min(ids.length, 10) && h.every((id) => ids.includes(id)));
      },
    ),
  );
});
