import * as assert from 'node:assert/strict';
import { ChromaInvalidArgumentError, isChromaCloud, recordLimitsFor } from '../../../src/chroma';
import { DEFAULT_RECORD_LIMITS } from '../../../src/chroma/limits';
import {
  collectionNameProblem,
  validateCollectionMetadata,
  validateEmbeddings,
  validateIds,
  validateMetadata,
  validateRecordSet,
  validateUpdateRecordSet,
} from '../../../src/chroma/validate';

describe('validate (pure)', () => {
  describe('collection names (Chroma rule)', () => {
    for (const ok of ['abc', 'my-docs', 'a.b_c-1', 'X'.repeat(512), '1.2.3', '0a0']) {
      it(`accepts ${ok.length > 20 ? `${ok.length} chars` : JSON.stringify(ok)}`, () => {
        assert.equal(collectionNameProblem(ok), undefined);
      });
    }
    const bad: Array<[string, RegExp]> = [
      ['ab', /3–512/],
      ['x'.repeat(513), /3–512/],
      ['has space', /may only contain.*" "/],
      ['-abc', /start and end/],
      ['abc_', /start and end/],
      ['a..b', /"\.\."/],
      ['192.168.1.1', /IPv4/],
      ['docs/notes', /may only contain/],
      ['héllo', /may only contain/],
    ];
    for (const [name, why] of bad) {
      it(`rejects ${JSON.stringify(name.length > 20 ? `${name.length} chars` : name)}`, () => {
        assert.match(collectionNameProblem(name) ?? '', why);
      });
    }
    it('999.1.1.1 is not an IPv4 address, so it passes the IPv4 rule', () => {
      assert.equal(collectionNameProblem('999.1.1.1'), undefined);
    });
  });

  it('ids: non-empty and unique within a call', () => {
    validateIds(['a', 'b']);
    assert.throws(() => validateIds([]), /No ids/);
    assert.throws(() => validateIds(['a', '']), /Record 1 has an empty id/);
    assert.throws(() => validateIds(['a', 'b', 'a']), /"a" appears more than once/);
  });

  it('metadata values: string, number, boolean, or a list of one of those; finite numbers; null only in updates', () => {
    validateMetadata('r', { s: 'x', n: 1.5, i: 3, b: false });
    validateMetadata('r', { a: [1, 2.5], s: ['x'], b: [true, false] } as never);
    assert.throws(() => validateMetadata('r', { a: [1, 'x'] } as never), /"a" mixes numbers and strings \(a string at \[1\]\): a list holds one type/);
    assert.throws(() => validateMetadata('r', { a: [] } as never), /"a" is an empty list, which Chroma does not store/);
    assert.throws(() => validateMetadata('r', { a: ['x', null] } as never), /"a" holds null at \[1\]: list items must be strings, numbers or booleans/);
    assert.throws(() => validateMetadata('r', { a: [1, Infinity] } as never), /holds Infinity at \[1\]: numbers must be finite/);
    assert.throws(
      () => validateMetadata('r', { a: ['x'] } as never, false, { ...DEFAULT_RECORD_LIMITS, listsRefusedBy: 'Chroma 0.6' }),
      /^ChromaInvalidArgumentError: Record "r": metadata "a" is a list; this server \(Chroma 0\.6\) is too old for list metadata values: they need Chroma 1\.5 or later\./,
    );
    assert.throws(() => validateMetadata('r', { o: { x: 1 } } as never), /"o" is an object/);
    assert.throws(() => validateMetadata('r', { n: Number.NaN }), /NaN; numbers must be finite/);
    assert.throws(() => validateMetadata('r', { n: Infinity }), /finite/);
    assert.throws(() => validateMetadata('r', { z: null } as never), /"z" is null/);
    validateMetadata('r', { z: null }, true);
    assert.throws(() => validateMetadata('r', { 'chroma:document': 'x' }), /reserved/);
    assert.throws(() => validateMetadata('r', { '': 1 }), /key is empty/);
  });

  it('embeddings: present, finite, one dimension, and the collection\'s when known', () => {
    assert.equal(validateEmbeddings(['a', 'b'], [[1, 2], new Float32Array([3, 4])]), 2);
    assert.throws(() => validateEmbeddings(['a', 'b'], [[1, 2]]), /2 ids but 1 embeddings/);
    assert.throws(() => validateEmbeddings(['a', 'b'], [[1, 2], [1, 2, 3]]), /"b" has an embedding of dimension 3, but the first record has 2/);
    assert.throws(() => validateEmbeddings(['a'], [[1, 2]], 3), /dimension 2, but the collection expects 3/);
    assert.throws(() => validateEmbeddings(['a'], [[1, Number.NaN]]), /value 1 is NaN/);
    assert.throws(() => validateEmbeddings(['a'], [[]]), /empty embedding/);
  });

  it('refuses documents without embeddings, with a message that says why', () => {
    const err = (() => {
      try {
        validateRecordSet({ ids: ['a'], documents: ['hello'] });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    assert.ok(err instanceof ChromaInvalidArgumentError);
    assert.match(err.message, /without embeddings/);
    assert.match(err.message, /Embed the documents first/);
  });

  it('refuses an update that changes documents without new embeddings', () => {
    assert.throws(() => validateUpdateRecordSet({ ids: ['a'], documents: ['new text'] }), /without new embeddings/);
    validateUpdateRecordSet({ ids: ['a'], metadatas: [{ k: null }] });
  });

  it('checks that per-record arrays have one entry per id', () => {
    assert.throws(
      () => validateRecordSet({ ids: ['a', 'b'], embeddings: [[1], [2]], documents: ['x'] }),
      /2 ids but 1 documents/,
    );
  });

  describe('limits that keep Chroma healthy', () => {
    const keys = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]));
    const local = recordLimitsFor('http://localhost:8000');
    const cloud = recordLimitsFor('https://api.trychroma.com');

    it('Chroma Cloud is told by its host name, and only by it', () => {
      assert.ok(isChromaCloud('https://api.trychroma.com'));
      assert.ok(isChromaCloud('https://europe-west1.gcp.trychroma.com/'));
      assert.ok(!isChromaCloud('https://trychroma.com.evil.example'));
      assert.ok(!isChromaCloud('http://localhost:8000'));
      assert.deepEqual(cloud, {
        maxMetadataKeys: 32,
        maxDocumentBytes: 16 * 1024,
        maxRecordsPerWrite: 300,
        maxRecordsPerRead: 300,
        maxDimension: 4096,
        cloud: true,
      });
      assert.deepEqual(local, { maxMetadataKeys: 4096, maxDocumentBytes: undefined, cloud: false });
      assert.equal(recordLimitsFor('http://localhost:8000', { maxMetadataKeys: 100 }).maxMetadataKeys, 100);
      assert.equal(recordLimitsFor('https://api.trychroma.com', { maxMetadataKeys: 0 }).maxMetadataKeys, 32, '0 means the default');
    });

    it('metadata keys per record: 4,096 by default (5,462 break a Chroma 1.0 collection), naming record, count, limit and setting', () => {
      validateMetadata('r', keys(4096), false, local);
      assert.throws(
        () => validateRecordSet({ ids: ['a', 'wide'], embeddings: [[1], [2]], metadatas: [null, keys(4097)] }, null, local),
        (e: unknown) =>
          e instanceof ChromaInvalidArgumentError &&
          e.message ===
            'Record "wide" has 4,097 metadata keys, over the limit of 4,096 (setting chroma.limits.maxMetadataKeys): ' +
              '5,462 or more in one record break a Chroma 1.0 collection for good. Keep fewer keys, e.g. fold some into one JSON string.',
      );
      assert.throws(() => validateUpdateRecordSet({ ids: ['u'], metadatas: [keys(5000)] }, null, local), /Record "u" has 5,000 metadata keys/);
    });

    it('metadata keys per record on Chroma Cloud: 32', () => {
      validateMetadata('r', keys(32), false, cloud);
      assert.throws(() => validateMetadata('r', keys(33), false, cloud), /Record "r" has 33 metadata keys; Chroma Cloud allows 32 \(setting chroma\.limits\.maxMetadataKeys\)\./);
    });

    it('document size: 16 KB on Chroma Cloud, counted in UTF-8 bytes; no limit elsewhere', () => {
      const rs = (doc: string) => ({ ids: ['d'], embeddings: [[1]], documents: [doc] });
      validateRecordSet(rs('x'.repeat(16 * 1024)), null, cloud);
      assert.throws(() => validateRecordSet(rs('x'.repeat(16 * 1024 + 1)), null, cloud), /Record "d": its document is 16,385 bytes \(16 KB\); Chroma Cloud takes at most 16,384 bytes \(16 KB\) per document\. Split it into smaller chunks\.$/);
      assert.throws(() => validateRecordSet(rs('é'.repeat(9000)), null, cloud), /its document is 18,000 bytes \(17\.6 KB\)/);
      validateRecordSet(rs('x'.repeat(1024 * 1024)), null, local);
      assert.throws(() => validateUpdateRecordSet({ ids: ['d'], embeddings: [[1]], documents: ['é'.repeat(9000)] }, null, cloud), /Chroma Cloud takes at most 16,384 bytes/);
    });

    it('collection metadata is checked as records\' metadata is', () => {
      validateCollectionMetadata({ 'hnsw:space': 'cosine', n: 1, ok: true });
      validateCollectionMetadata(undefined);
      assert.throws(() => validateCollectionMetadata({ nested: { a: 1 } }), /The collection: metadata "nested" is an object; values must be a string, number or boolean\.$/);
      assert.throws(() => validateCollectionMetadata({ list: [1] }), /"list" is a list; a collection's metadata takes only strings, numbers and booleans \(list values are for records\)\.$/);
      assert.throws(() => validateCollectionMetadata({ gone: null }), /"gone" is null/);
      assert.throws(() => validateCollectionMetadata('text'), /metadata must be an object/);
      assert.throws(() => validateCollectionMetadata(keys(33), cloud), /The collection has 33 metadata keys; Chroma Cloud allows 32/);
    });

    it('ids in messages are quoted and cut: a 1 MB id makes a one-line message', () => {
      const id = `${'i'.repeat(1024 * 1024)}\n`;
      assert.throws(
        () => validateIds([id, id]),
        (e: unknown) => e instanceof ChromaInvalidArgumentError && e.message.length < 200 && /^The id "i+…" appears more than once/.test(e.message),
      );
    });
  });
});

