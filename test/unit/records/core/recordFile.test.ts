import * as assert from 'node:assert/strict';
import { DEFAULT_RECORD_LIMITS } from '../../../../src/chroma/limits';
import type { RecordLimits } from '../../../../src/chroma/limits';
import { EDIT_LIMITS, embeddingHoverText, embeddingNote, lineColumn, parseRecordFile, recordHash, renderNewRecordFile, renderRecordFile, safeJson } from '../../../../src/records/core/recordFile';
import type { ParseOptions, RecordState } from '../../../../src/records/core/recordFile';
import { metadataChecks, planUpdate, RecordRefusedError } from '../../../../src/records/core/save';

const ctx = { collectionName: 'notes', functionLabel: 'default' };
const record: RecordState = { id: 'r1', document: 'hello\nworld', metadata: { source: 'a.md', line: 3, ok: true }, uri: null, embedding: [0.6, 0.8, 0] };

function opts(o: Partial<ParseOptions> = {}, limits: RecordLimits = DEFAULT_RECORD_LIMITS): ParseOptions {
  return { mode: 'edit', id: 'r1', ...metadataChecks(limits), ...o };
}

/** The file of `record` with its JSON changed by `edit`. */
function edited(edit: (j: Record<string, unknown>) => void, r: RecordState = record): string {
  const j = JSON.parse(renderRecordFile(r, ctx).text) as Record<string, unknown>;
  edit(j);
  return JSON.stringify(j, null, 2);
}

function problems(text: string, o: Partial<ParseOptions> = {}): string[] {
  return parseRecordFile(text, opts(o)).problems.map((p) => p.message);
}

describe('record files (pure)', () => {
  it('a record opens as pretty JSON: id, document, metadata (sorted), uri, then notes; reads back to the same fields', () => {
    const { text, hidden } = renderRecordFile(record, ctx);
    assert.deepEqual(hidden, []);
    assert.equal(
      text,
      [
        '{',
        '  "id": "r1",',
        '  "document": "hello\\nworld",',
        '  "metadata": {',
        '    "line": 3,',
        '    "ok": true,',
        '    "source": "a.md"',
        '  },',
        '  "uri": null,',
        '  "$embedding": "3-d · default function",',
        '  "$collection": "notes"',
        '}',
        '',
      ].join('\n'),
    );
    const parsed = parseRecordFile(text, opts());
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual(parsed.edit, { id: 'r1', document: 'hello\nworld', metadata: { line: 3, ok: true, source: 'a.md' }, uri: null });
    // the same record, with metadata keys in another order, opens as the same text
    assert.equal(renderRecordFile({ ...record, metadata: { ok: true, source: 'a.md', line: 3 } }, ctx).text, text);
  });

  it('the $embedding note is one short line; what makes the embedding and when is its hover', () => {
    assert.equal(embeddingNote(new Array(384).fill(0), ctx), '384-d · default function');
    assert.equal(embeddingNote(null, { ...ctx, functionLabel: 'openai' }), 'none stored · openai function');
    assert.equal(embeddingNote([1, 2], { ...ctx, functionLabel: 'none stored (legacy)' }), '2-d · no function stored (legacy)');
    assert.equal(embeddingNote([1], { ...ctx, functionLabel: 'x\u202e\n'.repeat(100) }).length <= 80, true);
    assert.equal(
      embeddingHoverText('default'),
      'The embedding is made by the collection\'s embedding function (default) when the document changes, and kept when only metadata or uri change. Notes starting with "$" are not saved.',
    );
  });

  it('bidi, zero-width, C1 and line-separator characters are escapes in the file, and read back exactly', () => {
    const sneaky = 'invoice\u202Etxt.exe \u2066x\u2069 \u200b \u0085 \u2028 \u2029 \ufeff \u00ad \u0007 \ud800';
    const r: RecordState = { ...record, id: sneaky, document: sneaky, metadata: { [sneaky]: sneaky }, uri: sneaky };
    const { text } = renderRecordFile(r, ctx);
    assert.ok(!/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ud800-\udfff]/.test(text), JSON.stringify(text));
    assert.match(text, /invoice\\u202etxt\.exe/);
    const back = JSON.parse(text) as Record<string, unknown>;
    assert.deepEqual([back.id, back.document, back.metadata, back.uri], [sneaky, sneaky, { [sneaky]: sneaky }, sneaky]);
    // the check can fail: plain JSON.stringify leaves the override raw
    assert.match(JSON.stringify(sneaky), /\u202e/);
    assert.equal(safeJson('\u2028'), '"\\u2028"');
  });

  it('a 10 MB document, huge metadata and a 1 MB id are left out of the file, each with a note and its start', () => {
    const big: RecordState = { id: 'i'.repeat(1_000_000), document: 'line of text\n'.repeat(806_600), metadata: { a: 'x'.repeat(200_000) }, uri: 'u', embedding: [1] };
    const { text, hidden } = renderRecordFile(big, ctx);
    assert.deepEqual(hidden, ['id', 'document', 'metadata']);
    assert.ok(text.length < 20_000, `${text.length} characters`);
    const j = JSON.parse(text) as Record<string, string>;
    assert.equal(j.document, undefined);
    assert.match(j.$document, /^Too large to edit here \(10,485,800 characters; this editor takes up to 100,000 characters of JSON\): left out of this file, and kept as it is when you save\.$/);
    assert.equal(j.$documentStart, 'line of text\n'.repeat(77).slice(0, 1_000));
    assert.equal(j.uri, 'u');
    // a document whose escapes make it too long is left out too: never cut
    const controls = renderRecordFile({ ...record, document: '\u0001'.repeat(EDIT_LIMITS.document - 10) }, ctx);
    assert.deepEqual(controls.hidden, ['document']);
    // and the file with them left out saves the rest: the hidden fields are kept
    const parsed = parseRecordFile(text, opts({ id: big.id, base: { hidden, id: big.id } }));
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual(parsed.edit, { uri: 'u' });
  });

  it('refuses to take a field left out of the file back in (it would replace the whole value with what was typed)', () => {
    const big: RecordState = { ...record, document: 'y'.repeat(200_000) };
    const { text, hidden } = renderRecordFile(big, ctx);
    const withDoc = text.replace('"metadata"', '"document": "short",\n  "metadata"');
    assert.match(problems(withDoc, { base: { id: 'r1', hidden } })[0], /^This record's document is too large to edit here, so it is not in this file and is kept as it is: remove the "document" key\.$/);
    // even when the editor's base is not known (a reload): the note says the field was left out
    assert.equal(problems(withDoc).length, 1);
  });

  it('JSON syntax errors name the line and column', () => {
    const text = renderRecordFile(record, ctx).text.replace('"line": 3,', '"line": 3');
    assert.deepEqual(problems(text), ['The record is not valid JSON: CommaExpected at line 6, column 5.']);
    assert.deepEqual(problems('{"id": "r1", // no comments\n}'), ['The record is not valid JSON: InvalidCommentToken at line 1, column 14.']);
    assert.match(problems('')[0], /^The record is not valid JSON/);
    assert.deepEqual(problems('[1]'), ['The record must be a JSON object with "id", "document", "metadata", "uri".']);
    assert.deepEqual(lineColumn('a\nbc\nd', 4), { line: 2, column: 3 });
  });

  it('metadata: values must be strings, numbers or booleans; keys non-empty and not chroma:; the problem is marked where it is', () => {
    const nested = edited((j) => ((j.metadata as Record<string, unknown>).tags = ['a', ['b']]));
    const p = parseRecordFile(nested, opts({ base: { id: 'r1', hidden: [], metadata: record.metadata } })).problems;
    assert.deepEqual(p.map((x) => x.message), ['Record "r1": metadata "tags" holds a list at [1]: lists cannot be nested.']);
    assert.equal(nested.slice(p[0].offset, p[0].offset + p[0].length).replace(/\s+/g, ''), '"tags":["a",["b"]]');
    assert.deepEqual(problems(edited((j) => ((j.metadata as Record<string, unknown>).tags = ['a', 'b']))), []);
    const or = ', or a list of one of those.';
    assert.deepEqual(problems(edited((j) => ((j.metadata as Record<string, unknown>).o = { x: 1 }))), [`Record "r1": metadata "o" is an object; values must be a string, number or boolean${or}`]);
    assert.deepEqual(problems(edited((j) => ((j.metadata as Record<string, unknown>).n = null))), [`Record "r1": metadata "n" is null; values must be a string, number or boolean${or}`]);
    assert.deepEqual(problems(edited((j) => ((j.metadata as Record<string, unknown>)[''] = 1))), ['Record "r1": a metadata key is empty.']);
    assert.deepEqual(problems(edited((j) => ((j.metadata as Record<string, unknown>)['chroma:document'] = 'x'))), ['Record "r1": metadata key "chroma:document" is reserved by Chroma.']);
    assert.deepEqual(problems(edited((j) => (j.metadata = 'x'))), ['The metadata must be an object of keys and values ({} for none), not a string.']);
    assert.deepEqual(problems('{"id":"r1","document":"d","metadata":{"a":1,"a":2},"uri":null}'), ['The metadata key "a" appears twice: keep one.']);
    // a value the server already holds is not checked again (newer servers have array values)
    const held: RecordState = { ...record, metadata: { tags: ['a'] as unknown as string } };
    assert.deepEqual(parseRecordFile(renderRecordFile(held, ctx).text, opts({ base: { id: 'r1', hidden: [], metadata: held.metadata } })).problems, []);
  });

  it('metadata key count: over the limit is refused, naming the limit and the setting', () => {
    const many = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, i]));
    const text = edited((j) => (j.metadata = many));
    const cloud = parseRecordFile(text, opts({}, { ...DEFAULT_RECORD_LIMITS, maxMetadataKeys: 32, cloud: true })).problems.map((p) => p.message);
    assert.deepEqual(cloud, ['Record "r1" has 40 metadata keys; Chroma Cloud allows 32 (setting chroma.limits.maxMetadataKeys). Keep fewer keys, e.g. fold some into one JSON string.']);
    assert.deepEqual(problems(text), []);
  });

  it('the id cannot change, must be a string, and fields must have their types and be there', () => {
    assert.deepEqual(problems(edited((j) => (j.id = 'other'))), ['The id cannot change: it is how Chroma knows the record. Put back "r1"; to make a copy under another id, use Add Record….']);
    assert.deepEqual(problems(edited((j) => (j.id = 7))), ['The id must be a string, not a number.']);
    assert.deepEqual(problems(edited((j) => (j.document = 7))), ['The document must be a string or null, not a number.']);
    assert.deepEqual(problems(edited((j) => (j.uri = {}))), ['The uri must be a string or null, not an object.']);
    assert.deepEqual(problems(edited((j) => delete j.metadata)), ['The "metadata" key is missing: put it back ({} for none).']);
    assert.deepEqual(problems(edited((j) => delete j.document)), ['The "document" key is missing: put it back (null for none).']);
    assert.deepEqual(problems(edited((j) => (j.embedding = [1, 2]))), ['Unknown key "embedding": a record has "id", "document", "metadata", "uri" (keys starting with "$" are notes and are ignored).']);
    assert.deepEqual(problems('{"id":"r1","id":"r1","document":"d","metadata":{},"uri":null}'), ['The key "id" appears twice: keep one.']);
    // notes are ignored, whatever they say
    assert.deepEqual(problems(edited((j) => (j.$embedding = 'changed'))), []);
  });

  it('a new record: the id is to fill in (non-empty, no lone surrogate), and it needs a document to embed', () => {
    const text = renderNewRecordFile('5b0c…', ctx);
    const j = JSON.parse(text) as Record<string, unknown>;
    assert.deepEqual([j.id, j.document, j.metadata, j.uri], ['5b0c…', '', {}, null]);
    assert.match(String(j.$new), /^Fill in the record and save to add it to "notes"\. Its embedding is made from the document by the collection's embedding function \(default\)\.$/);
    const parse = (t: string) => parseRecordFile(t, opts({ mode: 'new', id: undefined }));
    assert.deepEqual(parse(text).edit, { id: '5b0c…', document: '', metadata: {}, uri: null });
    assert.deepEqual(parse(text.replace('"5b0c…"', '""')).problems.map((p) => p.message), ['Fill in the id: every record needs a non-empty id.']);
    assert.deepEqual(parse(text.replace('"5b0c…"', '"a\\ud800"')).problems.map((p) => p.message), ['The id has a lone surrogate (\\uD800–\\uDFFF without its pair): Chroma cannot store it. Remove it.']);
    assert.deepEqual(parse(text.replace('"document": ""', '"document": null')).problems.map((p) => p.message), ['A new record needs a document ("" for an empty one): its embedding is made from it.']);
  });

  it('the fingerprint changes with document, metadata, uri and embedding, not with metadata key order', () => {
    const h = recordHash(record);
    assert.equal(recordHash({ ...record, metadata: { ok: true, line: 3, source: 'a.md' } }), h);
    for (const changed of [{ document: 'hello' }, { metadata: { ...record.metadata, line: 4 } }, { uri: 'u' }, { embedding: [0.6, 0.8, 0.0001] }, { metadata: null }]) {
      assert.notEqual(recordHash({ ...record, ...changed }), h, JSON.stringify(changed));
    }
  });

  it('an update sends only what changed: removed metadata keys as null, a changed document to re-embed', () => {
    assert.deepEqual(planUpdate(record, { id: 'r1', document: record.document, metadata: { ...record.metadata }, uri: null }), {});
    assert.deepEqual(planUpdate(record, { id: 'r1', document: record.document, metadata: { source: 'a.md', line: 4, added: 'x' }, uri: 'u' }), {
      metadata: { ok: null, line: 4, added: 'x' },
      uri: 'u',
    });
    assert.deepEqual(planUpdate(record, { id: 'r1', document: 'new text', metadata: record.metadata, uri: null }), { document: 'new text' });
    assert.deepEqual(planUpdate(record, { id: 'r1', document: record.document, metadata: null, uri: null }), { metadata: { source: null, line: null, ok: null } });
    // hidden fields (undefined) are kept
    assert.deepEqual(planUpdate(record, { id: 'r1', uri: 'u' }), { uri: 'u' });
    // a type change of the same-looking value is a change
    assert.deepEqual(planUpdate(record, { metadata: { ...record.metadata, line: '3' } }), { metadata: { line: '3' } });
  });

  it('an update cannot remove a document or a uri: refused with what to do instead', () => {
    assert.throws(() => planUpdate(record, { document: null }), (e: unknown) => e instanceof RecordRefusedError && /use "" for an empty document/.test(e.message));
    assert.throws(() => planUpdate({ ...record, uri: 'u' }, { uri: null }), /Chroma cannot remove a uri with an update: use "" for none\./);
    assert.deepEqual(planUpdate({ ...record, document: null }, { document: null }), {});
  });
});
