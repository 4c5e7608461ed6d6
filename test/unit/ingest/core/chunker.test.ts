import * as assert from 'node:assert/strict';
import { chunkText, isSafeCut, lineOf, lineStarts, modeFor } from '../../../../src/ingest/core/chunker';
import type { Chunk, ChunkMode } from '../../../../src/ingest/core/chunker';

/** Deterministic random text with everything that breaks naive chunkers. */
function randomText(seed: number, length: number): string {
  let s = seed;
  const rand = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  const pieces = ['word', 'chroma', ' ', ' ', ' ', '\n', '\r\n', '\n\n', '# Heading\n', '## Sub\n', '```\ncode\n```\n', '😀', '𝔘', 'é', '\t', 'x'.repeat(50), 'y'.repeat(700)];
  let out = '';
  while (out.length < length) {
    out += pieces[Math.floor(rand() * pieces.length)];
  }
  return out;
}

function checkChunks(text: string, chunks: Chunk[], size: number, overlap: number): void {
  const starts = lineStarts(text);
  // Concatenating the chunks minus their overlaps gives the text back.
  assert.equal(chunks.map((c) => text.slice(c.coreStart, c.end)).join(''), text);
  assert.equal(chunks[0].coreStart, 0);
  chunks.forEach((c, i) => {
    assert.equal(c.index, i);
    assert.equal(c.text, text.slice(c.start, c.end));
    if (i > 0) {
      assert.equal(c.coreStart, chunks[i - 1].end, 'cores are contiguous');
      assert.ok(c.coreStart - c.start <= overlap, `chunk ${i}: overlap ${c.coreStart - c.start} > ${overlap}`);
    }
    assert.ok(c.end - c.coreStart <= Math.max(size - overlap, 2) || text.slice(c.coreStart, c.end).trim() === '' || /^\s*$/.test(text.slice(c.coreStart + (size - overlap), c.end)),
      `chunk ${i}: core of ${c.end - c.coreStart} chars over ${size - overlap}`);
    // never inside a surrogate pair or a CRLF
    assert.ok(isSafeCut(text, c.start) && isSafeCut(text, c.end) && isSafeCut(text, c.coreStart), `chunk ${i} cuts a pair`);
    // exact 1-based line ranges
    assert.equal(c.startLine, lineOf(starts, c.start));
    assert.equal(c.endLine, lineOf(starts, c.end - 1));
    assert.equal(c.startLine, text.slice(0, c.start).split('\n').length);
    assert.equal(c.endLine, text.slice(0, c.end - 1).split('\n').length);
  });
}

describe('chunker (pure, properties over random text)', () => {
  for (const mode of ['markdown', 'code', 'text'] as ChunkMode[]) {
    for (const [size, overlap] of [
      [200, 0],
      [500, 50],
      [1000, 100],
      [64, 16],
    ]) {
      it(`${mode}, size ${size}, overlap ${overlap}: partition, overlap, safe cuts, exact lines (30 texts)`, () => {
        for (let seed = 1; seed <= 30; seed++) {
          const text = randomText(seed * 7919 + size, 500 + seed * 300);
          checkChunks(text, chunkText(text, { size, overlap, mode }), size, overlap);
        }
      });
    }
  }

  it('markdown splits at headings (not inside code fences)', () => {
    const text = '# One\nalpha\n\n## Two\nbeta\n```\n# not a heading\n```\n## Three\ngamma\n';
    const chunks = chunkText(text, { size: 40, overlap: 0, mode: 'markdown' });
    assert.deepEqual(chunks.map((c) => c.text.split('\n')[0]), ['# One', '## Two', '## Three']);
    assert.ok(chunks[1].text.includes('# not a heading'));
    assert.deepEqual(chunks.map((c) => [c.startLine, c.endLine]), [[1, 3], [4, 8], [9, 10]]);
    // a section too big for one chunk starts a chunk of its own, then splits at lines
    const big = chunkText(`# One\nalpha\n\n## Two\n${'line of text\n'.repeat(6)}`, { size: 40, overlap: 0, mode: 'markdown' });
    assert.equal(big[0].text, '# One\nalpha\n\n');
    assert.ok(big[1].text.startsWith('## Two\n'));
  });

  it('code splits at blank-line blocks, then lines', () => {
    const fn = (n: string) => `function ${n}() {\n  return 1;\n}\n`;
    const text = [fn('a'), fn('b'), fn('c')].join('\n');
    const chunks = chunkText(text, { size: 40, overlap: 0, mode: 'code' });
    assert.deepEqual(chunks.map((c) => c.text.trim().split('\n')[0]), ['function a() {', 'function b() {', 'function c() {']);
  });

  it('never splits a CRLF or a surrogate pair, even in one long line', () => {
    const text = `${'😀'.repeat(300)}\r\n${'a\r\n'.repeat(100)}`;
    const chunks = chunkText(text, { size: 33, overlap: 5, mode: 'text' });
    checkChunks(text, chunks, 33, 5);
  });

  it('counts in tokens when given a measure', () => {
    const text = 'one two three four five six seven eight nine ten\n'.repeat(20);
    const words = (s: string) => (s.match(/\S+/g) ?? []).length;
    const chunks = chunkText(text, { size: 25, overlap: 5, mode: 'text', measure: words });
    assert.ok(chunks.length > 1);
    chunks.forEach((c) => assert.ok(words(c.text) <= 25 + 10, `${words(c.text)} words`));
  });

  it('an empty text has no chunks; the language picks the mode', () => {
    assert.deepEqual(chunkText('', { size: 10, overlap: 0, mode: 'text' }), []);
    assert.equal(modeFor('markdown'), 'markdown');
    assert.equal(modeFor('typescript'), 'code');
    assert.equal(modeFor('plaintext'), 'text');
  });
});
