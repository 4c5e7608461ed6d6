/**
 * Filter Records… through the builder and Clear Filter, clicked as a person does (issue 24): the command typed into
 * the palette, the collection picked, the builder's steps (key, operator, value, Done) answered by typing; the
 * filter's inline Clear Filter button clicked on the collection's row. Outcomes are read from the tree and checked
 * against the real server.
 */
import * as assert from 'node:assert/strict';
import { demoEmbedding } from '../support/sampleData';
import { DEFAULT_EF, DIM } from './support/data';
import { clickTest } from './support/hooks';
import { buildEqualsFilter } from './support/menus';
import { treeRowAction } from './support/views';
import type { ClickWindow, Row } from './support/window';

/** The record rows listed under the collection's row (level 4, until the next collection). */
async function recordsUnder(win: ClickWindow, collection: Row): Promise<string[]> {
  const rows = await win.rows();
  const out: string[] = [];
  for (const r of rows.filter((x) => x.index > collection.index)) {
    if (r.level <= collection.level) {
      break;
    }
    if (r.level === collection.level + 1) {
      out.push(r.label);
    }
  }
  return out;
}


describe('click: filtering a collection\'s records', () => {
  it(
    'Filter Records… built as kind = a lists only those records; Clear Filter lists them all again',
    clickTest(
      (s) => s.connections(1),
      async (win, s) => {
        const name = `filtered-${Date.now()}`;
        const col = await s.client.createCollection({ name, configuration: DEFAULT_EF });
        const ids = ['item-0', 'item-1', 'item-2', 'item-3'];
        await s.client.upsert(col, {
          ids,
          embeddings: ids.map((id) => demoEmbedding(id, DIM)),
          documents: ids.map((id) => `document of ${id}`),
          metadatas: ids.map((_, i) => ({ kind: i % 2 === 0 ? 'a' : 'b' })),
        });
        const kindA = (await s.client.get(col, { where: { kind: 'a' } })).ids.sort();
        assert.deepEqual(kindA, ['item-0', 'item-2']);

        await win.openChromaView();
        await win.runCommand('Chroma: Filter Records');
        await win.pickCollection({ connection: 'acceptance', database: 'default_database', collection: name });
        await buildEqualsFilter(win, 'kind', 'a');

        const row = await win.waitFor(`${name} shown filtered`, async () => (await win.rows()).find((r) => r.label === name && /filtered:/.test(r.description) && r.visible));
        assert.match(row.description, /kind/, `the description names the filter: ${row.description}`);
        // the revealed collection is the database's last: its records are drawn below it, at the tree's end
        await win.scrollToBottom();
        await win.waitFor('only the records of kind a under the collection', async () => {
          const listed = (await recordsUnder(win, row)).sort();
          return listed.length === kindA.length && listed.every((id, i) => id === kindA[i]);
        });

        await treeRowAction(win, await win.waitForRow(name), 'Clear Filter');
        const cleared = await win.waitFor(`${name} shown without a filter`, async () => (await win.rows()).find((r) => r.label === name && !/filtered/.test(r.description)));
        await win.waitFor('every record under the collection again', async () => (await recordsUnder(win, cleared)).sort().join() === ids.join());
        // the suite's server is shared: other tests count default_database's collections
        await s.client.deleteCollection(name);
      },
    ),
  );
});
