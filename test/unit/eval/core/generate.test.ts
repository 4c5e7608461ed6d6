import * as assert from 'node:assert/strict';
import type { ChromaClient, Collection } from '../../../../src/chroma';
import { runSet } from '../../../../src/eval/core/evaluate';
import { generateSet, samplePlaces } from '../../../../src/eval/core/generate';
import { parseEvalSet } from '../../../../src/eval/core/parse';
import { queryFromText, sentences } from '../../../../src/eval/core/querySpan';
import type { Embed } from '../../../../src/eval/core/runner';
import type { EvalSet } from '../../../../src/eval/core/types';
import type { SetFile } from '../../../../src/eval/core/writeSet';
import { formatSet } from '../../../../src/eval/core/writeSet';
import { seededRandom } from '../../../../src/util/random';
import { clientFor, uniqueName, useChromaServer } from '../../../support/fixtures';
import { demoEmbedding } from '../../../support/sampleData';

const words = (t: string) => t.split(/\s+/).filter(Boolean);
const flat = (t: string) => words(t).join(' ');

describe('evaluation sets: a query from a record\'s text (pure)', () => {
  it('several sentences: one of them (with 4 words or more), never the whole text', () => {
    const text = 'Intro.\nChroma stores embeddings next to documents. A where filter narrows a query by metadata!\nShort one.';
    const seen = new Set<string>();
    const random = seededRandom(3);
    for (let i = 0; i < 40; i++) {
      seen.add(queryFromText(text, random) ?? '');
    }
    assert.deepEqual([...seen].sort(), ['A where filter narrows a query by metadata!', 'Chroma stores embeddings next to documents.']);
    assert.deepEqual(sentences('One. Two!\n\nThree?  Four'), ['One.', 'Two!', 'Three?', 'Four']);
  });

  it('one sentence: a span of 8–20 words from its middle, shorter than the text; too short a text gives none', () => {
    const ws = Array.from({ length: 40 }, (_, i) => `w${i}`);
    const random = seededRandom(5);
    for (let i = 0; i < 50; i++) {
      const q = queryFromText(ws.join(' '), random) ?? '';
      const got = words(q);
      assert.ok(got.length >= 8 && got.length <= 20, q);
      const start = ws.indexOf(got[0]);
      assert.deepEqual(got, ws.slice(start, start + got.length), 'a contiguous span');
      const centre = (40 - got.length) / 2;
      assert.ok(Math.abs(start - centre) <= 2.5, `from the middle: starts at ${start} for ${got.length} words`);
    }
    assert.equal(words(queryFromText('a b c d e f g h', seededRandom(1)) ?? '').length, 6, 'eight words: a span of six');
    assert.equal(queryFromText('just five words here now', seededRandom(1)), undefined);
    assert.equal(queryFromText('   ', seededRandom(1)), undefined);
    const long = `${Array.from({ length: 45 }, (_, i) => `x${i}`).join(' ')}. Another sentence with enough words.`;
    const picks = new Set(Array.from({ length: 30 }, (_, i) => queryFromText(long, seededRandom(i)) ?? ''));
    assert.ok([...picks].every((q) => words(q).length <= 20), 'a long sentence is cut to a span');
  });

  it('the places sampled: one per equal stretch of the records, the same for a seed', () => {
    const places = samplePlaces(100, 10, seededRandom(9));
    assert.deepEqual(places.map((p) => Math.floor(p / 10)), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.deepEqual(samplePlaces(100, 10, seededRandom(9)), places);
    assert.notDeepEqual(samplePlaces(100, 10, seededRandom(10)), places);
    assert.deepEqual(samplePlaces(3, 10, seededRandom(1)), [0, 1, 2]);
  });
});

/**
 * A collection whose embeddings are a hashed bag of words of the text (test/support's demo embedding): text embeds
 * near the records that share its words. Each record's words are its own (made from its number) but for a few
 * common ones every record has, so a sentence of a record lands on that record, and a sentence of another lands
 * elsewhere. 120 records: most of three sentences, every fifth of one long sentence, and every 17th without text
 * (null or blank).
 */
const COMMON = ['the', 'chroma', 'collection', 'with', 'records'];
function documentOf(i: number): string | null {
  if (i % 17 === 5) {
    return i % 2 ? null : '   ';
  }
  const random = seededRandom(1000 + i);
  const own = Array.from({ length: 14 }, (_, k) => `${String.fromCharCode(97 + (i % 26))}${i}${String.fromCharCode(97 + k)}${Math.floor(random() * 1000)}`);
  const sentence = (n: number) => Array.from({ length: n }, (_, w) => (w % 3 === 2 ? COMMON[(i + w) % COMMON.length] : own[(w * 5 + n) % own.length])).join(' ');
  return i % 5 === 0 ? `${sentence(26)}.` : `${sentence(9)}. ${sentence(7)}. ${sentence(11)}.`;
}
const wordEmbed: Embed = (texts) => Promise.resolve(texts.map((t) => demoEmbedding(t, 384)));

describe('evaluation sets: generation (real server)', () => {
  const ctx = useChromaServer();
  let client: ChromaClient;
  let collection: Collection;
  const COUNT = 120;
  const docs = Array.from({ length: COUNT }, (_, i) => documentOf(i));
  const ids = docs.map((_, i) => `rec-${String(i).padStart(3, '0')}`);

  before(async () => {
    client = clientFor(ctx.server.url);
    collection = await client.createCollection({ name: uniqueName('gen') });
    // a record without text has an embedding of its own (an image's, say): not a zero vector (seven equal zero
    // vectors were seen to make Chroma's HNSW miss a record's own sentence entirely)
    await client.add(collection, { ids, documents: docs, embeddings: docs.map((d, i) => demoEmbedding(d?.trim() ? d : `image ${i}`, 384)) });
  });

  const target = () => ({ connection: 'local', collection: collection.name, k: 1 });
  const asSet = (file: SetFile): EvalSet => {
    const parsed = parseEvalSet(formatSet(file, 'jsonl'), 'jsonl');
    assert.deepEqual(parsed.problems, [], 'a generated set reads without a problem');
    return parsed.set as EvalSet;
  };
  const run = (set: EvalSet) => runSet(set, { connect: () => Promise.resolve({ client, embedderFor: () => Promise.resolve(wordEmbed) }) });

  it('the same seed gives the same set; records sampled evenly; texts a record lacks are skipped', async () => {
    const a = await generateSet({ client, collection, target: target(), size: 24, seed: 7 });
    const b = await generateSet({ client, collection, target: target(), size: 24, seed: 7 });
    assert.equal(formatSet(a.set, 'json'), formatSet(b.set, 'json'));
    const c = await generateSet({ client, collection, target: target(), size: 24, seed: 8 });
    assert.notDeepEqual(c.set.cases.map((x) => x.query), a.set.cases.map((x) => x.query));
    assert.equal(a.sampled, 24);
    assert.equal(a.cases, 24, 'a place on a record without text takes the next record');
    const picked = a.set.cases.map((x) => ids.indexOf(x.expect.ids?.[0] ?? ''));
    assert.ok(picked.every((i) => docs[i]?.trim()), 'only records with text');
    assert.deepEqual(picked, [...picked].sort((x, y) => x - y), 'in collection order');
    assert.equal(new Set(picked).size, 24);
    // one in each stretch of 5 records, or the record after when the one sampled has no text
    const places = samplePlaces(COUNT, 24, seededRandom(7));
    const textless = places.filter((p) => !docs[p]?.trim());
    assert.ok(textless.length > 0, 'the seed samples a record without text');
    assert.deepEqual(picked, places.map((p) => (docs[p]?.trim() ? p : p + 1)));
    assert.equal(a.set.description, `Generated from "${collection.name}": 24 records sampled evenly (seed 7); each case's query is a sentence or span of each record's text, and the record is the expected hit.`);
    assert.deepEqual(a.set.target, target());
  });

  it('each query is a part of its record\'s text, never the whole; and every generated case passes against its own collection at k = 1', async () => {
    const { set: file } = await generateSet({ client, collection, target: target(), size: 60, seed: 11 });
    for (const c of file.cases) {
      const doc = flat(docs[ids.indexOf(c.expect.ids?.[0] ?? '')] ?? '');
      const q = flat(typeof c.query === 'string' ? c.query : '');
      assert.ok(q && doc.includes(q) && q !== doc, `${q} ⊂ ${doc}`);
    }
    const result = await run(asSet(file));
    const r = result.runs[0];
    assert.deepEqual(r.metrics.counts, { cases: file.cases.length, passed: file.cases.length, failed: 0, errors: 0, expected: file.cases.length, found: file.cases.length, hits: file.cases.length });
    assert.deepEqual(r.metrics.values, { recall: 1, precision: 1, mrr: 1, ndcg: 1, hitRate: 1 });
  });

  it('the check can fail: the same queries expecting the next sampled record fail', async () => {
    const { set: file } = await generateSet({ client, collection, target: target(), size: 20, seed: 11 });
    const expected = file.cases.map((c) => c.expect.ids?.[0] ?? '');
    const shifted: SetFile = { ...file, cases: file.cases.map((c, i) => ({ ...c, expect: { ids: [expected[(i + 1) % expected.length]] } })) };
    const r = (await run(asSet(shifted))).runs[0];
    assert.equal(r.metrics.counts.passed, 0);
    assert.equal(r.metrics.counts.failed, 20);
  });

  it('a language model\'s question is used where it gives one, and named; the span where it gives none; fewer records than asked', async () => {
    const small = await client.createCollection({ name: uniqueName('gen-small') });
    await client.add(small, { ids: ['a', 'b', 'c'], documents: [docs[1], docs[2], docs[3]], embeddings: [docs[1], docs[2], docs[3]].map((d) => demoEmbedding(d ?? '', 384)) });
    const asked: string[] = [];
    const out = await generateSet({
      client,
      collection: small,
      target: { connection: 'local', collection: small.name },
      size: 50,
      seed: 1,
      phrase: (doc) => (asked.push(doc), Promise.resolve(asked.length === 2 ? undefined : `What does record ${asked.length} say?`)),
      phraser: 'copilot/gpt-test',
    });
    assert.equal(out.sampled, 3);
    assert.deepEqual(asked, [docs[1], docs[2], docs[3]]);
    assert.deepEqual(out.set.cases.map((c) => c.query), ['What does record 1 say?', out.set.cases[1].query, 'What does record 3 say?']);
    assert.ok(flat(docs[2] ?? '').includes(flat(String(out.set.cases[1].query))), 'the span where the model gave none');
    assert.match(out.set.description ?? '', /questions written by copilot\/gpt-test \(a span of the text where it gave none\)/);
  });
});
