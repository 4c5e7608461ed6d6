import * as assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { ChromaClient } from '../../src/chroma';
import type { Collection } from '../../src/chroma';
import { askFilter } from '../../src/filter/input';
import type { Filter } from '../../src/filter/core/filter';
import { useChromaServer, vectors } from '../support/fixtures';
import { QuickInputDriver, enterRefused, enterValue } from './quickInputDriver';


/** Whether a promise has settled yet, without waiting for it. */
function watch<T>(p: Promise<T>): { settled: boolean } {
  const state = { settled: false };
  void p.then(
    () => (state.settled = true),
    () => (state.settled = true),
  );
  return state;
}


describe('filters: asking for a filter in real VS Code', () => {
  const ctx = useChromaServer();
  let client: ChromaClient;
  let col: Collection;
  let driver: QuickInputDriver;

  before(async () => {
    client = new ChromaClient({ url: ctx.server.url });
    col = await client.createCollection({ name: 'filtered' });
    await client.add(col, {
      ids: ['a', 'b', 'c', 'd'],
      embeddings: vectors(4, 3, 5),
      documents: ['alpha report', 'beta notes', 'gamma report', 'delta'],
      metadatas: [
        { year: 2019, kind: 'pdf' },
        { year: 2020, kind: 'md' },
        { year: 2021, kind: 'pdf' },
        { year: 2022, kind: 'txt' },
      ],
    });
  });
  beforeEach(() => {
    driver = new QuickInputDriver();
  });
  afterEach(() => driver.dispose());

  async function matching(filter: Filter): Promise<string[]> {
    const got = await client.get(col, { ...filter, include: [] });
    return [...got.ids].sort();
  }

  it('the quick builder, typed: key → operator → value, twice, combined with $or, plus a document condition', async () => {
    const done = askFilter(client, col);
    await driver.pick({ label: /Build a filter/ });
    await driver.pick({ label: /Add a metadata condition/ });
    const keys = await driver.pick({ value: 'year', label: /^year$/ });
    assert.deepEqual(keys.labels.slice(0, 2).sort(), ['kind', 'year']);
    assert.match(keys.placeholder ?? '', /first 4 records/);
    const ops = await driver.pick({ value: 'at least', label: /at least/ });
    assert.ok(ops.labels.some((l) => /greater than/.test(l)), 'a number key offers $gt');
    await driver.input('2021');
    await driver.pick({ label: /Add a metadata condition/ });
    await driver.pick({ value: 'kind', label: /^kind$/ });
    const stringOps = await driver.pick({ label: /^= equals/ });
    assert.ok(!stringOps.labels.some((l) => /greater than/.test(l)), 'a string key offers no $gt');
    await driver.input('pdf');
    const list = await driver.pick({ label: /Match all/ });
    assert.ok(list.labels.some((l) => l.includes('year ≥ 2021')), list.labels.join(' | '));
    await driver.pick({ label: /Add a document text condition/ });
    await driver.pick({ label: /^contains text/ });
    await driver.input('report');
    const last = await driver.pick({ label: /Done/ });
    assert.equal(last.placeholder, '(year ≥ 2021 or kind = "pdf") and text contains "report"');
    const filter = await done;
    assert.deepEqual(filter, {
      where: { $or: [{ year: { $gte: 2021 } }, { kind: { $eq: 'pdf' } }] },
      whereDocument: { $contains: 'report' },
    });
    assert.deepEqual(await matching(filter!), ['a', 'c']);
  });

  it('a value that does not fit the key shows why, and is not taken', async () => {
    const done = askFilter(client, col);
    const state = watch(done);
    await driver.pick({ label: /Build a filter/ });
    await driver.pick({ label: /Add a metadata condition/ });
    await driver.pick({ value: 'year', label: /^year$/ });
    await driver.pick({ label: /in a list/ });
    const box = (await driver.next()) as vscode.InputBox;
    assert.equal(await enterRefused(box, '2020, twenty'), '"twenty" is not a number: "year" is compared as a number, e.g. 2020 or 0.5');
    assert.equal(state.settled, false);
    await enterValue(box, '2020, 2022');
    await driver.pick({ label: /Done/ });
    const filter = await done;
    assert.deepEqual(filter, { where: { year: { $in: [2020, 2022] } } });
    assert.deepEqual(await matching(filter!), ['b', 'd']);
  });

  it('Back goes from the value to the operator, from the key to the conditions, and from there to the start', async () => {
    const done = askFilter(client, col);
    await driver.pick({ label: /Build a filter/ });
    await driver.pick({ label: /Add a metadata condition/ });
    await driver.pick({ value: 'kind', label: /^kind$/ });
    await driver.pick({ label: /^= equals/ });
    const value = await driver.back(); // value → operator
    assert.match(value.title ?? '', /kind \$eq/);
    await driver.back(); // operator → key
    await driver.back(); // key → conditions
    const conditions = await driver.back(); // conditions → how
    assert.match(conditions.title ?? '', /conditions/);
    const how = await driver.pick({ label: /No filter/ });
    assert.deepEqual(how.labels.map((l) => l.replace(/^\$\([\w-]+\) /, '')), ['Build a filter…', 'Type or paste JSON…', 'No filter']);
    assert.deepEqual(await done, {});
  });

  it('a bad JSON filter shows its message in the input and is not taken; a good one is', async () => {
    const done = askFilter(client, col);
    const state = watch(done);
    await driver.pick({ label: /Type or paste JSON/ });
    const box = (await driver.next()) as vscode.InputBox;
    assert.equal(await enterRefused(box, '{"year": {"$gt": "2020"}}'), 'where.year.$gt: needs a number, got "2020"');
    assert.equal(state.settled, false);
    assert.match(await enterRefused(box, '{"year": 2020, "kind": "md"}'), /^where: holds more than one condition/);
    assert.match(await enterRefused(box, '{"year": '), /^Not valid JSON: /);
    assert.equal(state.settled, false);
    await enterValue(box, '{"where": {"year": {"$gt": 2020}}, "where_document": {"$contains": "report"}}');
    const filter = await done;
    assert.deepEqual(filter, { where: { year: { $gt: 2020 } }, whereDocument: { $contains: 'report' } });
    assert.deepEqual(await matching(filter!), ['c']);
  });

  it('with a current filter: Keep it, Clear it, or edit it as JSON', async () => {
    const initial: Filter = { where: { kind: { $eq: 'pdf' } } };
    const kept = askFilter(client, col, initial);
    const how = await driver.pick();
    assert.ok(how.labels.some((l) => /Keep the current filter/.test(l)), how.labels.join(' | '));
    assert.deepEqual(await kept, initial);

    const cleared = askFilter(client, col, initial);
    await driver.pick({ label: /Clear the filter/ });
    assert.deepEqual(await cleared, {});

    const edited = askFilter(client, col, initial);
    await driver.pick({ label: /Type or paste JSON/ });
    const seen = await driver.input();
    assert.equal(seen.value, '{"kind":{"$eq":"pdf"}}');
    assert.deepEqual(await edited, initial);

    const cancelled = askFilter(client, col, initial);
    const box = await driver.next();
    box.hide();
    assert.equal(await cancelled, undefined);
  });
});
