import * as assert from 'node:assert/strict';
import { ChromaInvalidArgumentError } from '../../../src/chroma';
import {
  collectionNameProblem,
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

  it('metadata values: string, number, boolean only; finite numbers; null only in updates', () => {
    validateMetadata('r', { s: 'x', n: 1.5, i: 3, b: false });
    assert.throws(() => validateMetadata('r', { a: [1, 2] } as never), /"a" is an array/);
    assert.throws(() => validateMetadata('r', { o: { x: 1 } } as never), /"o" is object/);
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
});
