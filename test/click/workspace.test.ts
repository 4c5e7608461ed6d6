/**
 * Flows that start from the workspace's files (issue 24 §1): a query playground (*.chroma.json) opened with Ctrl+P,
 * its Run Query CodeLens clicked, the hit shown in the Results view; Add Files to Collection… from VS Code's Explorer
 * context menu on a Markdown file, the collection picked by typing, its chunks on the server.
 */
import * as assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { demoEmbedding } from '../support/sampleData';
import { DEFAULT_EF, DIM } from './support/data';
import { clickTest } from './support/hooks';
import { contextMenu } from './support/menus';
import type { ClickSession } from './support/session';
import { resultHits, waitForResults } from './support/views';
import { clickCodeLens, fileExplorerRow } from './support/workbench';

const DB = 'click-workspace';
const COLLECTION = 'play';
const DOCS = ['alpha: the first record', 'beta: the second record', 'gamma: the third record'];
const KINDS = ['a', 'b', 'c'];

/** A database of its own with `play` (the default function, 16-d like the tiny model): dropped afterwards. */
async function withDatabase(s: ClickSession, body: () => Promise<void>): Promise<void> {
  const { tenant } = await s.client.scope();
  await s.client.createDatabase(DB, { tenant });
  try {
    const col = await s.client.createCollection({ name: COLLECTION, configuration: DEFAULT_EF }, { scope: { tenant, database: DB } });
    await s.client.add(col, {
      ids: DOCS.map((_, i) => `p-${i}`),
      embeddings: DOCS.map((d) => demoEmbedding(d, DIM)),
      documents: DOCS,
      metadatas: KINDS.map((kind) => ({ kind })),
    });
    await body();
  } finally {
    await s.client.deleteDatabase(DB, { tenant }).catch(() => undefined);
  }
}

const PLAYGROUND = JSON.stringify(
  { connection: 'acceptance', database: DB, collection: COLLECTION, nResults: 3, queries: [{ query: 'the second one', where: { kind: 'b' } }] },
  null,
  2,
);

describe('click: from the workspace\'s files', () => {
  it(
    'a playground opened with Ctrl+P: its Run Query CodeLens clicked, the filtered hit p-1 in the Results view',
    clickTest(
      (s) => s.connections(1),
      async (win, s) =>
        withDatabase(s, async () => {
          await win.openFile('search.chroma.json');
          await clickCodeLens(win, 'Run Query');
          const hits = await waitForResults(win, 'the playground query\'s hits', /the second one/, (h) => h.length > 0);
          assert.deepEqual(hits, ['p-1'], 'only the record the filter lets through');
          assert.deepEqual(await resultHits(win), ['p-1']);
        }),
      {},
      async (workspace) => writeFile(join(workspace, 'search.chroma.json'), PLAYGROUND),
    ),
  );

  it(
    'Add Files to Collection… on guide.md in the Explorer\'s context menu: its chunks land in play, typed into the picker',
    clickTest(
      (s) => s.connections(1),
      async (win, s) =>
        withDatabase(s, async () => {
          await contextMenu(win, await fileExplorerRow(win, 'guide.md'), 'Add Files to Collection…');
          await win.pickCollection({ connection: 'acceptance', database: DB, collection: COLLECTION });
          const message = await win.waitForToast('the notification of the added file', /guide\.md/, 60_000);
          const { tenant } = await s.client.scope();
          const col = await s.client.getCollection(COLLECTION, { scope: { tenant, database: DB } });
          const got = await s.client.get(col, { include: ['documents', 'metadatas'] });
          const chunks = got.ids.filter((id) => id.startsWith('guide.md#')).sort();
          assert.ok(chunks.length > 1, `guide.md is added in chunks: ${got.ids.join(', ')} (${message})`);
          assert.deepEqual(chunks, Array.from({ length: chunks.length }, (_, i) => `guide.md#${i}`).sort());
          const first = got.ids.indexOf('guide.md#0');
          assert.equal(got.metadatas?.[first]?.source, 'guide.md');
          assert.match(String(got.documents?.[first]), /^## Step 1/);
          assert.equal(await s.client.count(col), DOCS.length + chunks.length, 'the records there before are kept');
        }),
    ),
  );
});
