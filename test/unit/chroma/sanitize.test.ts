import * as assert from 'node:assert/strict';
import { ChromaError } from '../../../src/chroma';
import { describeLocation, elideMiddle, oneLine, pageText, quote, stripTags } from '../../../src/chroma/sanitize';
import { prefix } from '../../../src/util/text';

const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/;

describe('sanitize (pure)', () => {
  it('oneLine: control, bidi and line-separator characters become spaces, runs collapse, the cut is marked', () => {
    assert.equal(oneLine('a\r\nb\tc\u0000d\u001b[0m\u202ee\u2066f\u2028g\u0085h'), 'a b c d [0m e f g h');
    assert.equal(oneLine('  lots   of\n\n space  '), 'lots of space');
    const cut = oneLine('word '.repeat(1000), 300);
    assert.equal(cut.length, 300);
    assert.ok(cut.endsWith('…'));
    assert.equal(oneLine(''), '');
    assert.equal(oneLine('\n\n\n'), '');
  });

  it('oneLine on 50 MB looks only at a short prefix', () => {
    const huge = `start ${'y'.repeat(50 * 1024 * 1024)}`;
    const line = oneLine(huge, 100);
    assert.equal(line.length, 100);
    assert.ok(line.startsWith('start yyy') && line.endsWith('…'));
  });

  it('never splits a surrogate pair', () => {
    const text = `${'a'.repeat(9)}😀rest`;
    assert.equal(prefix(text, 10), 'a'.repeat(9));
    assert.equal(prefix(text, 11), `${'a'.repeat(9)}😀`);
    assert.ok(!oneLine(`${'a'.repeat(298)}😀😀😀`, 300).includes('\ud83d…'));
  });

  it('quote: a bounded JSON string of one line', () => {
    assert.equal(quote('abc'), '"abc"');
    assert.equal(quote(`a\nb${'c'.repeat(100)}`, 10), '"a bcccccc…"');
  });

  it('pageText: tags removed in one pass, an unclosed "<" kept as text, whitespace collapsed', () => {
    assert.equal(pageText('<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>'), '502 Bad Gateway 502 Bad Gateway');
    assert.equal(pageText('a <b>bold</b> 1 < 2'), 'a bold 1 < 2');
    assert.equal(pageText('<br><br>'), undefined);
  });

  it('stripTags is linear: 4 MB of "<" at once (the regex it replaces is quadratic: hours on this input)', () => {
    const lt = '<'.repeat(4 * 1024 * 1024);
    assert.equal(stripTags(lt), lt);
    assert.equal(stripTags(`${'<'.repeat(100_000)}>x`), ' x');
    const line = pageText(lt, 300);
    assert.equal(line?.length, 300);
  });

  it('stripTags does what /<[^>]*>/g did', () => {
    for (const text of ['<a>b<c>', 'x<y', '<<a>>', '>', 'a<b<c>d', '']) {
      assert.equal(stripTags(text), text.replace(/<[^>]*>/g, ' '), text);
    }
  });

  it('describeLocation: origin and path only, resolved, bounded; nothing for a missing or broken one', () => {
    assert.equal(describeLocation('https://u:p@host.example:8443/a/b?token=x#f', 'http://origin/'), 'https://host.example:8443/a/b');
    assert.equal(describeLocation('/api/v2/heartbeat', 'http://origin:8000/api/v2/x'), 'http://origin:8000/api/v2/heartbeat');
    assert.equal(describeLocation('javascript:alert(1)', 'http://origin/'), undefined);
    assert.equal(describeLocation('file:///etc/passwd', 'http://origin/'), undefined);
    assert.equal(describeLocation(null, 'http://origin/'), undefined);
    assert.equal(describeLocation('http://[bad', 'http://origin/'), undefined);
    const long = describeLocation(`https://h/${'p'.repeat(10_000)}`, 'http://origin/');
    assert.ok(long !== undefined && long.length <= 300 && !UNSAFE.test(long));
  });

  it('elideMiddle keeps the start and the end', () => {
    assert.equal(elideMiddle('abcdef', 10), 'abcdef');
    assert.equal(elideMiddle('0123456789abcdefghij', 10), '012345…hij');
  });

  it('every ChromaError message is one line of at most 300 characters, whoever built it', () => {
    const e = new ChromaError('server-error', `line 1\nline 2 ${'z'.repeat(1000)}`, { serverMessage: 'a\u202eb\n'.repeat(500), serverKind: 'K\n'.repeat(100) });
    for (const text of [e.message, e.serverMessage ?? '', e.serverKind ?? '']) {
      assert.ok(text.length <= 300 && !UNSAFE.test(text), JSON.stringify(text.slice(0, 50)));
    }
    assert.ok(e.message.startsWith('line 1 line 2 zzz'));
  });
});
