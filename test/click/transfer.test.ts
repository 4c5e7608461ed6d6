/**
 * Export, import and copy through their dialogs, as a person runs them (issue 24 §1): Export Collection… from a
 * collection's context menu, the web workbench's file dialog typed into; Import Records… from the database's context
 * menu, the exported file typed into the open dialog, a new collection named; Copy Collection To… the same database
 * under the name it proposes. Each outcome is checked where a person sees it (the tree, the notification) and where
 * it lands (the file written, the records on the server).
 */
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { demoEmbedding } from '../support/sampleData';
import { DIM } from './support/data';
import { answerFileDialog } from './support/dialogs';
import { clickTest } from './support/hooks';
import { contextMenu } from './support/menus';

const DB = 'click-transfer';
const SOURCE = 'source';
const DOCS = ['Export writes one JSON line per record.', 'Import reads them back.', 'Copy streams records between collections.'];
const IDS = DOCS.map((_, i) => `t-${i}`);

describe('click: export, import and copy through their dialogs', () => {
  it(
    'Export Collection… to a file typed into the save dialog, Import Records… of it into a new collection, Copy Collection To… "source-copy"',
    clickTest(
      (s) => s.connections(1),
      async (win, s) => {
        const scope = await s.client.scope();
        const at = { scope: { tenant: scope.tenant, database: DB } };
        await s.client.createDatabase(DB, { tenant: scope.tenant });
        try {
          const src = await s.client.createCollection({ name: SOURCE, metadata: { owner: 'click' } }, at);
          await s.client.add(src, { ids: IDS, embeddings: DOCS.map((d) => demoEmbedding(d, DIM)), documents: DOCS });
          const stored = await s.client.get(src, { ids: IDS, include: ['documents', 'embeddings'] });

          await win.openChromaView();
          await win.expand('acceptance', { level: 1 });
          await win.expand(DB, { level: 2 });

          // Export Collection…: the save dialog proposes <workspace>/source.jsonl; a name of the person's typed instead
          const file = join(s.folder, 'exported.jsonl');
          // its count shown: the row is drawn for good (a row drawn again while its menu is open loses the click)
          const sourceRow = () => win.waitFor('the source row with its count', async () => {
            const row = await win.findRow(SOURCE, { level: 3 });
            return row && /^3 records/.test(row.description) ? row : undefined;
          });
          await contextMenu(win, await sourceRow(), 'Export Collection…');
          await answerFileDialog(win, `Export the whole collection of "${SOURCE}"`, join(s.folder, `${SOURCE}.jsonl`), 'exported.jsonl');
          await win.waitForToast('the export reported', new RegExp(`^Exported 3 of 3 records of "${SOURCE}" to exported\\.jsonl`), 60_000);
          assert.ok(existsSync(file), 'the file is written');
          const lines = readFileSync(file, 'utf8').trim().split('\n');
          assert.equal((JSON.parse(lines[0]) as { collection: { name: string } }).collection.name, SOURCE);
          assert.deepEqual(lines.slice(1).map((l) => (JSON.parse(l) as { id: string }).id).sort(), IDS);

          // Import Records… on the database: the open dialog typed into, then a new collection named
          await contextMenu(win, await win.waitForRow(DB, { level: 2 }), 'Import Records…');
          await answerFileDialog(win, 'Import records from a Chroma Explorer export', `${s.folder}/`, 'exported.jsonl');
          await win.waitForQuickInput('the collection step', (q) => q.title === 'Import exported.jsonl' && q.focused === 'New collection…');
          await win.press('Enter');
          await win.waitForQuickInput('the new name', (q) => q.title === 'Import exported.jsonl' && q.items.length === 0 && q.value === SOURCE);
          await win.press('Control+A');
          await win.type('imported');
          await win.press('Enter');
          await win.waitForToast('the import reported', /^Imported 3 of 3 records from exported\.jsonl into new collection "imported"/, 60_000);
          await win.waitForRow('imported', { level: 3 });
          const imported = await s.client.getCollection('imported', at);
          assert.deepEqual(imported.metadata, { owner: 'click' });
          assert.deepEqual(await s.client.get(imported, { ids: IDS, include: ['documents', 'embeddings'] }), stored);

          // Copy Collection To…: the database picked by typing, Enter on New collection… and on the name proposed
          await contextMenu(win, await sourceRow(), 'Copy Collection To…');
          const title = `Copy "${SOURCE}" to…`;
          await win.waitForQuickInput('the database step', (q) => q.title.startsWith(title) && q.items.includes(DB));
          await win.choose(DB);
          await win.waitForQuickInput('the collection step', (q) => q.title.startsWith(title) && q.focused === 'New collection…' && q.items.includes('imported'));
          await win.press('Enter');
          await win.waitForQuickInput('the new name', (q) => q.title.startsWith(title) && q.items.length === 0 && q.value === `${SOURCE}-copy`);
          await win.press('Enter');
          await win.waitForToast('the copy reported', new RegExp(`^Copied 3 of 3 records of "${SOURCE}" to new collection "${SOURCE}-copy" on acceptance/${DB}`), 60_000);
          await win.waitForRow(`${SOURCE}-copy`, { level: 3 });
          const copy = await s.client.getCollection(`${SOURCE}-copy`, at);
          assert.deepEqual(await s.client.get(copy, { ids: IDS, include: ['documents', 'embeddings'] }), stored);
        } finally {
          await s.client.deleteDatabase(DB, { tenant: scope.tenant }).catch(() => undefined);
        }
      },
    ),
  );
});
