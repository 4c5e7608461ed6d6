/**
 * A collection that stores no embedding function, as many made by other tools are (issue 24 §1): Choose Embedding
 * Function… from its context menu, "default" typed into the picker; a Query Collection… then asks nothing more and
 * shows its hits; Filter Results… clicked in the Results view's title, the filter built as kind = b, leaves the one
 * hit of that kind.
 */
import * as assert from 'node:assert/strict';
import { demoEmbedding } from '../support/sampleData';
import { DIM } from './support/data';
import { clickTest } from './support/hooks';
import { buildEqualsFilter, contextMenu, quickInputStep } from './support/menus';
import { resultsAction, waitForResults } from './support/views';

const DB = 'click-choose';
const COLLECTION = 'no-function';
const IDS = ['f-0', 'f-1', 'f-2'];
const KINDS = ['a', 'b', 'c'];


describe('click: choosing a collection\'s embedding function, filtering its results', () => {
  it(
    'Choose Embedding Function… → default; Query Collection… asks nothing more and shows the hits; Filter Results… kind = b leaves f-1',
    clickTest(
      (s) => s.connections(1),
      async (win, s) => {
        const { tenant } = await s.client.scope();
        const at = { scope: { tenant, database: DB } };
        await s.client.createDatabase(DB, { tenant });
        try {
          const col = await s.client.createCollection({ name: COLLECTION }, at);
          assert.equal(col.configuration_json?.embedding_function?.name, undefined, 'the collection stores no function');
          await s.client.add(col, {
            ids: IDS,
            embeddings: IDS.map((id) => demoEmbedding(`record ${id}`, DIM)),
            documents: IDS.map((id) => `record ${id}`),
            metadatas: KINDS.map((kind) => ({ kind })),
          });

          await win.openChromaView();
          await win.expand('acceptance', { level: 1 });
          await win.expand(DB, { level: 2 });
          const row = await win.waitFor('the collection row with its count', async () => {
            const r = await win.findRow(COLLECTION, { level: 3 });
            return r && /^3 records/.test(r.description) ? r : undefined;
          });
          await contextMenu(win, row, 'Choose Embedding Function…');
          await quickInputStep(win, 'the function picker', (q) => q.title === `Embedding function for "${COLLECTION}"` && q.items.includes('default'));
          await win.choose('default');
          await win.waitFor('the picker to close', async () => !(await win.quickInput()), 10_000);

          await win.runCommand('Chroma: Query Collection');
          await win.pickCollection({ connection: 'acceptance', database: DB, collection: COLLECTION });
          await quickInputStep(win, 'the query text box', (q) => q.items.length === 0 && /query|search/i.test(`${q.title} ${q.message} ${q.placeholder}`));
          await win.type('a record');
          await win.press('Enter');
          const hits = await win.waitFor('the hits, with no question on the way', async () => {
            const q = await win.quickInput();
            if (q?.title.startsWith('Embedding function for')) {
              throw new Error('the function chosen was asked for again');
            }
            const shown = await waitForResults(win, 'the hits', /a record/, (h) => h.length > 0, 1_000).catch(() => undefined);
            return shown && shown.length === IDS.length ? shown : undefined;
          }, 60_000);
          assert.deepEqual([...hits].sort(), IDS);

          await resultsAction(win, 'Filter Results');
          await buildEqualsFilter(win, 'kind', 'b');
          const filtered = await waitForResults(win, 'the filtered hits', /a record/, (h) => h.length === 1, 60_000);
          assert.deepEqual(filtered, ['f-1']);
        } finally {
          await s.client.deleteDatabase(DB, { tenant }).catch(() => undefined);
        }
      },
    ),
  );
});
