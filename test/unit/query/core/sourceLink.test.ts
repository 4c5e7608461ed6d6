import * as assert from 'node:assert/strict';
import { documentRecords } from '../../../../src/ingest/core/run';
import type { ChunkConfig, IngestDocument } from '../../../../src/ingest/core/run';
import { sha256 } from '../../../../src/ingest/core/records';
import type { IngestRecord } from '../../../../src/ingest/core/records';
import { candidatesFor, checkFreshness, describeLink, linesToShow, sourceLinkOf } from '../../../../src/query/core/sourceLink';
import type { FolderRef, SourceLink } from '../../../../src/query/core/sourceLink';

const CONFIG: ChunkConfig = { chunkSize: 300, chunkOverlap: 60, chunkSizeTokens: 64, chunkOverlapTokens: 8, sizeUnit: 'characters', idStrategy: 'path' };

/** The records ingest makes of a file: the real chunker, the real metadata. */
function ingest(text: string, languageId = 'markdown', config: Partial<ChunkConfig> = {}, selection?: { startLine: number; endLine: number }): IngestRecord[] {
  const doc: IngestDocument = {
    name: 'notes.md',
    text,
    info: { source: 'docs/notes.md', uri: 'file:///ws/docs/notes.md', languageId, idBase: 'docs/notes.md' },
    config: { ...CONFIG, ...config },
    selection,
  };
  return documentRecords(doc, undefined, '2026-01-01T00:00:00.000Z');
}

function link(r: IngestRecord): SourceLink {
  const l = sourceLinkOf(r.metadata);
  assert.ok(l, `no link in ${JSON.stringify(r.metadata)}`);
  return l;
}

/** Prose in long lines (a Markdown paragraph is one line) right before the next heading: overlaps start inside a line. */
function prose(paragraphs: number, eol = '\n'): string {
  return Array.from(
    { length: paragraphs },
    (_, i) => `## Part ${i}${eol}Paragraph ${i} says that chroma keeps embeddings next to their documents, and that a where filter narrows a query by metadata. It goes on for a while ${i}.${eol}`,
  ).join('');
}

const code = Array.from({ length: 40 }, (_, i) => `function f${i}(x) {\n  return x * ${i};\n}\n${i % 3 === 0 ? '\n' : ''}`).join('');

describe('sourceLink (pure): from hit metadata to a workspace file and lines', () => {
  describe('sourceLinkOf', () => {
    it('reads what ingest writes on every chunk', () => {
      const [r] = ingest(prose(1));
      assert.deepEqual(sourceLinkOf(r.metadata), { source: 'docs/notes.md', uri: 'file:///ws/docs/notes.md', startLine: 1, endLine: r.metadata.endLine, sha256: sha256(r.document) });
    });

    it('has no link without lines or without a file, and ignores a sha256 that is not one', () => {
      assert.equal(sourceLinkOf({ source: 'a.md' }), undefined);
      assert.equal(sourceLinkOf({ startLine: 1, endLine: 2 }), undefined);
      assert.equal(sourceLinkOf({ source: 'a.md', startLine: 0, endLine: 2 }), undefined);
      assert.equal(sourceLinkOf({ source: 'a.md', startLine: 3, endLine: 2 }), undefined);
      assert.equal(sourceLinkOf({ source: 'a.md', startLine: 1.5, endLine: 2 }), undefined);
      assert.equal(sourceLinkOf({ source: 'a.md', startLine: '1' as unknown as number, endLine: 2 }), undefined);
      assert.equal(sourceLinkOf(null), undefined);
      assert.deepEqual(sourceLinkOf({ source: 'a.md', startLine: 1, endLine: 2, sha256: 'not a hash' }), { source: 'a.md', uri: undefined, startLine: 1, endLine: 2, sha256: undefined });
      assert.equal(describeLink({ source: 'a.md', startLine: 4, endLine: 9 }), 'a.md:4–9');
      assert.equal(describeLink({ uri: 'file:///x/b.ts', startLine: 3, endLine: 3 }), 'b.ts:3');
    });
  });

  describe('candidatesFor: only files inside the workspace folders', () => {
    const ws: FolderRef = { scheme: 'file', authority: '', path: '/home/me/ws', name: 'ws' };
    const other: FolderRef = { scheme: 'file', authority: '', path: '/home/me/lib', name: 'lib' };
    const at = (source?: string, uri?: string) => ({ source, uri, startLine: 1, endLine: 1 });

    it('the uri when it lies in a folder (percent-decoded), then source under each folder', () => {
      assert.deepEqual(candidatesFor(at('docs/a b.md', 'file:///home/me/ws/docs/a%20b.md'), [ws, other]), [
        { folder: 0, segments: ['docs', 'a b.md'] },
        { folder: 1, segments: ['docs', 'a b.md'] },
      ]);
      // added on another machine: the uri points elsewhere, source still finds the file here
      assert.deepEqual(candidatesFor(at('src/x.ts', 'file:///Users/else/proj/src/x.ts'), [ws]), [{ folder: 0, segments: ['src', 'x.ts'] }]);
      // a multi-root path written with the folder's name first
      assert.deepEqual(candidatesFor(at('lib/y.ts'), [ws, other]), [
        { folder: 0, segments: ['lib', 'y.ts'] },
        { folder: 1, segments: ['lib', 'y.ts'] },
        { folder: 1, segments: ['y.ts'] },
      ]);
    });

    it('never leaves the workspace: .., absolute paths, backslashes, other schemes and hosts, a folder-name prefix', () => {
      for (const source of ['../secret.txt', 'docs/../../x', '/etc/passwd', 'C:/Windows/win.ini', '..\\x', './', '']) {
        assert.deepEqual(candidatesFor(at(source), [ws]), [], source);
      }
      for (const uri of ['file:///etc/passwd', 'file:///home/me/ws2/a.md', 'file:///home/me/ws/../x', 'https://evil.example/home/me/ws/a.md', 'vscode-remote://other/home/me/ws/a.md', 'command:workbench.action.terminal.new', 'file:///home/me/ws/%2e%2e/x', 'file:///home/me/ws/%E0%A4%A']) {
        assert.deepEqual(candidatesFor(at(undefined, uri), [ws]), [], uri);
      }
      assert.deepEqual(candidatesFor(at(undefined, 'file:///home/me/ws'), [ws]), [], 'the folder itself is no file');
    });

    it('Windows drive letters in either case', () => {
      const win: FolderRef = { scheme: 'file', authority: '', path: '/c:/Users/me/ws', name: 'ws' };
      assert.deepEqual(candidatesFor(at(undefined, 'file:///C%3A/Users/me/ws/a.md'), [win]), [{ folder: 0, segments: ['a.md'] }]);
    });
  });

  describe('checkFreshness: recomputed from the file the way the chunker cut it', () => {
    const cases: Array<[string, string, string, Partial<ChunkConfig>]> = [
      ['Markdown prose, overlaps starting inside long lines', prose(12), 'markdown', {}],
      ['the same with CRLF line ends', prose(12, '\r\n'), 'markdown', {}],
      ['code cut at blank lines and lines', code, 'javascript', { chunkSize: 200, chunkOverlap: 40 }],
      ['one very long line cut at characters', `${'word '.repeat(400)}\nlast line\n`, 'plaintext', { chunkSize: 150, chunkOverlap: 30 }],
      ['no overlap, no final newline', prose(5).trimEnd(), 'markdown', { chunkOverlap: 0 }],
    ];
    for (const [what, text, lang, config] of cases) {
      it(`every chunk of the unchanged file is fresh: ${what}`, () => {
        const records = ingest(text, lang, config);
        assert.ok(records.length > 3, `${records.length} chunks`);
        for (const r of records) {
          assert.deepEqual(checkFreshness(link(r), text, r.document), { state: 'fresh' }, r.id);
        }
      });
    }

    it('without the document: whole-line chunks and chunks whose overlap starts inside their first line are still checked', () => {
      const text = prose(12);
      const records = ingest(text);
      const midLine = records.filter((r) => text.indexOf(r.document) > 0 && !text.slice(0, text.indexOf(r.document)).endsWith('\n'));
      assert.ok(midLine.length > 0, 'the sample has chunks that start inside a line');
      for (const r of records) {
        assert.deepEqual(checkFreshness(link(r), text, null), { state: 'fresh' }, r.id);
      }
    });

    it('a selection (starting and ending inside lines) is fresh with its document', () => {
      const text = 'alpha beta\ngamma delta\nepsilon zeta\n';
      const [r] = ingest('beta\ngamma delta\nepsilon', 'plaintext', {}, { startLine: 1, endLine: 3 });
      assert.deepEqual(checkFreshness(link(r), text, r.document), { state: 'fresh' });
      assert.equal(checkFreshness(link(r), text.replace('gamma', 'GAMMA'), r.document).state, 'stale');
    });

    it('an edited line makes its chunk stale and leaves the chunks before it fresh', () => {
      const text = prose(12);
      const records = ingest(text);
      const edited = text.replace('Paragraph 6 says', 'Paragraph 6 now claims');
      const state = (r: IngestRecord) => checkFreshness(link(r), edited, r.document).state;
      const changed = records.filter((r) => r.document.includes('Paragraph 6 says'));
      assert.ok(changed.length >= 1);
      for (const r of changed) {
        assert.equal(state(r), 'stale', r.id);
      }
      const before = records.filter((r) => Number(r.metadata.endLine) < Number(changed[0].metadata.startLine));
      assert.ok(before.length > 0);
      for (const r of before) {
        assert.equal(state(r), 'fresh', r.id);
      }
      const f = checkFreshness(link(changed[0]), edited, changed[0].document);
      assert.equal(f.state === 'stale' && f.reason, `lines ${changed[0].metadata.startLine}–${changed[0].metadata.endLine} changed since the record was added`);
    });

    it('lines added above: the chunk moved, and where to (it is found by its document)', () => {
      const text = prose(8);
      const records = ingest(text);
      const moved = `# A new title\n\nTwo new lines.\n${text}`;
      for (const r of records) {
        const f = checkFreshness(link(r), moved, r.document);
        assert.deepEqual(f, { state: 'moved', startLine: Number(r.metadata.startLine) + 3, endLine: Number(r.metadata.endLine) + 3 }, r.id);
        assert.deepEqual(linesToShow(link(r), f, 1_000), { startLine: Number(r.metadata.startLine) + 3, endLine: Number(r.metadata.endLine) + 3 });
      }
      // without a document there is nothing to find: the lines changed
      assert.equal(checkFreshness(link(records[1]), moved, null).state, 'stale');
      // a document that is not the chunk (its sha256 differs) is not trusted to find it
      assert.equal(checkFreshness(link(records[1]), moved, `${records[1].document}x`).state, 'stale');
    });

    it('a file that got shorter says how long it is now; Go to Source stays within it', () => {
      const text = prose(8);
      const records = ingest(text);
      const last = records[records.length - 1];
      const short = 'just one line\n';
      const f = checkFreshness(link(last), short, last.document);
      assert.equal(f.state, 'stale');
      assert.match(f.state === 'stale' ? f.reason : '', /^the file has 2 lines now, and the record names lines \d+–\d+$/);
      assert.deepEqual(linesToShow(link(last), f, 2), { startLine: 2, endLine: 2 });
    });

    it('a byte-order mark that only one side has does not count (an editor strips it, a file read keeps it)', () => {
      const text = `\ufeff${prose(4)}`;
      const records = ingest(text);
      for (const r of records) {
        assert.equal(checkFreshness(link(r), text.slice(1), r.document).state, 'fresh', `${r.id}, BOM only when added`);
        assert.equal(checkFreshness(link(r), text.slice(1), null).state, 'fresh', `${r.id}, BOM only when added, no document`);
      }
      const plain = prose(4);
      for (const r of ingest(plain)) {
        assert.equal(checkFreshness(link(r), `\ufeff${plain}`, r.document).state, 'fresh', `${r.id}, BOM only now`);
      }
    });

    it('a record without sha256 is not checked', () => {
      assert.deepEqual(checkFreshness({ source: 'a.md', startLine: 1, endLine: 1 }, 'x\n', 'x\n'), { state: 'unchecked', reason: 'the record has no sha256 to compare with' });
    });
  });
});
