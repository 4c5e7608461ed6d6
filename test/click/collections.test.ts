/**
 * Databases and collections managed from the tree's context menus, as a person does (issue 24 §1): Create Database…
 * on a connection, Create / Rename / Delete Collection… on the new database and its collection (the delete confirmed
 * by clicking the modal's button), Delete Database… confirmed by typing its name. Each step is checked in the tree
 * and on the server.
 */
import * as assert from 'node:assert/strict';
import { clickTest } from './support/hooks';
import { answerDialog, contextMenu } from './support/menus';

const DB = 'click-managed';
const COLLECTION = 'typed-collection';
const RENAMED = 'renamed-collection';

describe('click: databases and collections from the context menu', () => {
  it(
    'Create Database…, Create / Rename / Delete Collection… (the modal clicked) and Delete Database… from the tree',
    clickTest(
      (s) => s.connections(1),
      async (win, s) => {
        const scope = await s.client.scope();
        const at = { scope: { tenant: scope.tenant, database: DB } };
        await win.openChromaView();
        const conn = await win.expand('acceptance', { level: 1 });

        // Create Database… on the connection: its name typed into the input box.
        await contextMenu(win, conn, 'Create Database…');
        await win.waitForQuickInput('the new database\'s name', (q) => q.title === 'New database on acceptance');
        await win.type(DB);
        await win.press('Enter');
        const db = await win.waitForRow(DB, { level: 2 });
        assert.ok((await s.client.databaseNames({ tenant: scope.tenant })).names.includes(DB), 'the database is on the server');

        // Create Collection… on it: the name typed, Enter through the function and distance defaults.
        await contextMenu(win, db, 'Create Collection…');
        await win.waitForQuickInput('the collection\'s name', (q) => q.title.startsWith(`New collection in ${DB}`) && q.items.length === 0);
        await win.type(COLLECTION);
        await win.press('Enter');
        await win.waitForQuickInput('the embedding function step', (q) => /^Embedding function/.test(q.placeholder) && q.focused === 'default');
        await win.press('Enter');
        await win.waitForQuickInput('the distance step', (q) => /^Distance/.test(q.placeholder) && q.focused === 'l2');
        await win.press('Enter');
        await win.expand(DB, { level: 2 });
        let row = await win.waitForRow(COLLECTION, { level: 3 });
        const created = await s.client.getCollection(COLLECTION, at);
        assert.equal(created.configuration_json?.embedding_function?.name, 'default');
        assert.equal(created.configuration_json?.hnsw?.space, 'l2');

        // Rename Collection…: the old name selected, the new one typed over it.
        await contextMenu(win, row, 'Rename Collection…');
        await win.waitForQuickInput('the new name', (q) => q.title === `Rename "${COLLECTION}"` && q.value === COLLECTION);
        await win.press('Control+A');
        await win.type(RENAMED);
        await win.press('Enter');
        // its count shown, as the modal names what is lost by it (a count still on its way is "all its records")
        row = await win.waitFor(`${RENAMED} with its count`, async () => {
          const r = await win.findRow(RENAMED, { level: 3 });
          return r && r.description.startsWith('0 records') ? r : undefined;
        });
        assert.deepEqual((await s.client.listCollections(at)).map((c) => c.name), [RENAMED]);

        // Delete Collection…: the modal says what is lost, its Delete button clicked.
        await contextMenu(win, row, 'Delete Collection…');
        const asked = await answerDialog(win, new RegExp(`^Delete the collection "${RENAMED}"\\?$`), 'Delete');
        assert.equal(asked.detail, `It and 0 records are deleted from ${scope.tenant}/${DB} on acceptance. This cannot be undone.`);
        await win.waitFor('the collection row to go', async () => !(await win.findRow(RENAMED, { level: 3 })));
        assert.deepEqual(await s.client.listCollections(at), []);

        // Delete Database…: confirmed by typing its name.
        await contextMenu(win, await win.waitForRow(DB, { level: 2 }), 'Delete Database…');
        await win.waitForQuickInput('the name to confirm', (q) => q.title === `Delete the database "${DB}" on acceptance`);
        await win.type(DB);
        await win.press('Enter');
        await win.waitForToast('the deletion reported', new RegExp(`^Deleted the database "${DB}" and 0 collections from acceptance\\.$`));
        await win.waitFor('the database row to go', async () => !(await win.findRow(DB, { level: 2 })));
        assert.ok(!(await s.client.databaseNames({ tenant: scope.tenant })).names.includes(DB), 'the database is gone from the server');
      },
    ),
  );
});
