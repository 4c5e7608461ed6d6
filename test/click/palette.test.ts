/**
 * Commands run from the palette by typing their titles, their pickers answered by typing names (issue 11): Find
 * Collection…, Add Active File to Collection…, Query Collection…. Results are read from the tree, the editor and
 * the real server. Any error notification fails the test.
 */
import * as assert from 'node:assert/strict';
import { NOTES } from './support/data';
import { clickTest } from './support/hooks';

const TARGET = { connection: 'acceptance', database: 'default_database', collection: NOTES };

describe('click: commands from the palette', () => {
  it(
    'Find Collection… reveals and selects notes in the tree',
    clickTest(
      (s) => s.connections(1),
      async (win) => {
        await win.openChromaView();
        await win.runCommand('Chroma: Find Collection');
        await win.pickCollection(TARGET);
        const row = await win.waitFor('notes selected in the tree', async () => (await win.rows()).find((r) => r.label === NOTES && r.selected && r.visible));
        assert.equal(row.level, 3, 'notes is revealed as a collection under its database');
      },
    ),
  );

  it(
    'Add Active File to Collection…: the file opened with Ctrl+P lands in notes, typed into the picker',
    clickTest(
      (s) => s.connections(1),
      async (win, s) => {
        await win.openFile('guide.md');
        await win.runCommand('Chroma: Add Active File to Collection');
        await win.pickCollection(TARGET);
        const message = await win.waitForToast('the notification of the added chunks', /^guide\.md: \d+ chunks/, 60_000);
        const chunks = Number(/^guide\.md: (\d+) chunks/.exec(message)?.[1]);
        assert.ok(chunks > 1, message);
        const notes = await s.client.getCollection(NOTES);
        const got = await s.client.get(notes, { include: ['documents', 'metadatas'] });
        const ids = got.ids.filter((id) => id.startsWith('guide.md#')).sort();
        assert.deepEqual(ids, Array.from({ length: chunks }, (_, i) => `guide.md#${i}`).sort());
        const first = got.ids.indexOf('guide.md#0');
        assert.equal(got.metadatas?.[first]?.source, 'guide.md');
        assert.match(String(got.documents?.[first]), /^## Step 1/);
      },
    ),
  );

  it(
    'Query Collection…: the results show a hit from notes',
    clickTest(
      (s) => s.connections(1),
      async (win, s) => {
        const text = 'where are embeddings stored';
        const notes = await s.client.getCollection(NOTES);
        const ids = (await s.client.get(notes, {})).ids;
        await win.runCommand('Chroma: Query Collection');
        await win.pickCollection(TARGET);
        await win.waitForQuickInput('the query text box', (q) => q.items.length === 0 && /query|search/i.test(`${q.title} ${q.message} ${q.placeholder}`));
        await win.type(text);
        await win.press('Enter');
        // The results come as a page in an editor, or in the Chroma Results view: either must show a record of notes.
        const shown = await win.waitFor('a hit from notes in the results', async () => {
          const page = await win.editorText();
          if (page.includes(`Query: ${text}`) && /## 1\. `[^`]+`/.test(page)) {
            return `results page: ${page.split('\n').find((l) => l.startsWith('## 1.'))}`;
          }
          const hit = (await win.resultRows()).find((r) => ids.some((id) => r.includes(id)));
          return hit && `results view: ${hit}`;
        }, 60_000);
        s.logLine(`query shown in the ${shown}`);
        assert.ok(ids.some((id) => shown.includes(id)), shown);
      },
    ),
  );
});
