import * as assert from 'node:assert/strict';
import {
  boundedJson,
  codeFence,
  decodeIdPart,
  displayLine,
  encodeIdPart,
  escapeIcons,
  formatCount,
  notificationText,
  escapeMarkdown,
  inlineCode,
  longestRun,
  markdownLine,
  stripControls,
  truncate,
} from '../../../src/util/text';
import { activeTags, codeText, iconsDrawn, renderMarkdown, visibleText } from './markdown';

/** Text a hostile server can send: links, images, HTML, autolinks, emphasis, code, icons, entities, headings. */
const HOSTILE = [
  '[click me](command:chroma.deleteCollection)',
  '![tracker](https://evil.example/pixel.png)',
  '<img src=x onerror=alert(1)>',
  '<script>alert(1)</script>',
  '<https://evil.example>',
  'https://evil.example/path and www.evil.example and mail@evil.example',
  '**bold** _em_ ~~strike~~',
  '`code` ``two`` ```three```',
  '$(alert) $(sync~spin) $(mark-github)',
  '&lt;b&gt; &amp; &#x41;',
  '# heading',
  '[ref]: https://evil.example',
  '| a | b |',
  'back\\slash \\$(alert) \\[x](y)',
];

describe('text: escaping and cleaning what a server sends (pure)', () => {
  it('escaped Markdown renders as the literal text: no link, image, HTML, autolink, emphasis or code', () => {
    for (const s of HOSTILE) {
      const html = renderMarkdown(`- value: ${escapeMarkdown(s)}`);
      assert.deepEqual(activeTags(html), [], `${s} → ${html}`);
      assert.ok(!html.includes('<code>'), `${s} → ${html}`);
      assert.equal(visibleText(html), `value: ${s}`);
    }
    // the unescaped text would render links, images and HTML: the check above can fail
    assert.ok(activeTags(renderMarkdown(HOSTILE.join('\n\n'))).length >= 4);
  });

  it('escaped Markdown draws no theme icon, with or without supportThemeIcons', () => {
    assert.deepEqual(iconsDrawn('$(alert) and $(sync~spin)'), ['alert', 'sync~spin'], 'the replay sees icons in raw text');
    for (const s of HOSTILE) {
      // with supportThemeIcons, VS Code draws `$(name)` left in the rendered text: the escape keeps a backslash there
      assert.deepEqual(iconsDrawn(escapeMarkdown(s, { themeIcons: true })), [], s);
    }
    // without supportThemeIcons nothing is drawn anyway, and the text shows no stray backslash
    assert.equal(visibleText(renderMarkdown(escapeMarkdown('$(alert) costs $5'))), '$(alert) costs $5');
    assert.equal(escapeIcons('v1 $(alert) $(sync~spin) $5'), 'v1 \\$(alert) \\$(sync~spin) $5');
  });

  it('removes bidi overrides, isolates, marks and C0/C1 controls; line breaks become spaces', () => {
    const bidi = '\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c';
    const controls = '\u0000\u0001\u0007\u001b\u007f\u0080\u009b\u009f';
    assert.equal(stripControls(`invoice${bidi}${controls}exe.txt`), 'invoiceexe.txt');
    assert.equal(stripControls('a\nb\tc\rd\u2028e'), 'a b c d e');
    assert.equal(stripControls('ok \ud800 \udc00 \ud83d\ude00'), 'ok \ufffd \ufffd \ud83d\ude00');
    assert.equal(displayLine('  evil\u202Etxt.exe\n\nsecond line  ', 80), 'eviltxt.exe second line');
    assert.equal(markdownLine('a\u202e[x](y)\nb', 80), 'a\\[x\\]\\(y\\) b');
  });

  it('one-line displays are bounded, read only a prefix, and never split a surrogate pair', () => {
    const big = `${'word '.repeat(2_000_000)}end`; // 10 MB
    const line = displayLine(big, 80);
    assert.ok(line.length <= 80 && line.endsWith('…'), line);
    assert.equal(displayLine(' '.repeat(5_000_000), 80), '…', 'whitespace only, cut: nothing to show but the cut');
    assert.equal(displayLine('x'.repeat(100), 10), `${'x'.repeat(9)}…`);
    const emoji = '😀'.repeat(10);
    assert.equal(truncate(emoji, 4), '😀…');
    assert.ok(!/[\ud800-\udbff](?![\udc00-\udfff])/.test(displayLine(emoji, 6)));
    assert.equal(displayLine(null, 10), '');
  });

  it('code spans and fences are longer than any backtick run inside, and render the text exactly', () => {
    for (const s of ['plain', '`', 'a ` b', 'a `` b ```', '``start', 'end``', ' spaced ']) {
      const html = renderMarkdown(inlineCode(s));
      assert.equal((html.match(/<code>/g) ?? []).length, 1, html);
      assert.equal(codeText(html), s, `${s} → ${html}`);
    }
    const doc = 'text\n```\nnot a fence end\n````\n`````js';
    const fenced = renderMarkdown(codeFence(doc, 'json'));
    assert.equal((fenced.match(/<pre>/g) ?? []).length, 1);
    assert.equal(codeText(fenced), `${doc}\n`);
  });

  it('fences over 300 KB of backtick runs do not overflow the stack (no spread over data)', () => {
    const runs = '`a'.repeat(150_000); // 150,000 runs: a spread into Math.max throws RangeError
    assert.doesNotThrow(() => codeFence(runs));
    assert.ok(codeFence(runs).startsWith('```\n'));
    const long = '`'.repeat(300_000);
    assert.equal(longestRun(long, '`'), 300_000);
    assert.ok(codeFence(long).startsWith('`'.repeat(300_001) + '\n'));
  });

  it('bounded JSON equals JSON.stringify when it fits, and stops at the bound when it does not', () => {
    const values: unknown[] = [
      { a: 1, b: 'two', c: [1, 2, { d: null }], e: true, f: [], g: {}, 'quo"te': 'line\nbreak', u: 'ünï 😀' },
      [1, 'x', null, [[]]],
      'just a string',
      42,
      null,
      { skip: undefined, n: Number.NaN, i: Number.POSITIVE_INFINITY, nested: { deep: { deeper: [1, 2, 3] } } },
    ];
    for (const v of values) {
      assert.deepEqual(boundedJson(v, 1e6), { text: JSON.stringify(v, null, 2), truncated: false });
      assert.deepEqual(boundedJson(v, 1e6, 0), { text: JSON.stringify(v), truncated: false });
    }
    const huge = { big: 'x'.repeat(10_000_000), many: Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, i])) };
    const cut = boundedJson(huge, 2_000);
    assert.equal(cut.truncated, true);
    assert.ok(cut.text.length <= 2_001 && cut.text.endsWith('…'), String(cut.text.length));
    assert.ok(cut.text.startsWith('{\n  "big": "xxx'));
  });

  it('id encoding never throws, round-trips lone surrogates and stays unique', () => {
    const ids = ['plain', 'a/b c#d?e', '%uD800', '\ud800', '\udc00x', 'x\ud800\ud800', '😀', '\ud83d', '%u', '%25uD800', ''];
    const encoded = ids.map(encodeIdPart);
    assert.equal(new Set(encoded).size, ids.length, encoded.join(' | '));
    ids.forEach((id, i) => assert.equal(decodeIdPart(encoded[i]), id));
    assert.equal(encodeIdPart('a b'), encodeURIComponent('a b'), 'well-formed ids keep the usual encoding');
    assert.throws(() => encodeURIComponent('\ud800'), URIError, 'the case this guards');
  });
});

describe('formatCount (pure)', () => {
  it('groups thousands like en-US number formatting', () => {
    const fmt = new Intl.NumberFormat('en-US');
    for (const n of [0, 7, 999, 1000, 12345, 999999, 1000000, 123456789, -4200, Number.MAX_SAFE_INTEGER]) {
      assert.equal(formatCount(n), fmt.format(n));
    }
    assert.equal(formatCount(1.5), '1.5');
  });
});

describe('notificationText (pure)', () => {
  it('breaks the link syntax VS Code renders in notifications, and keeps the rest', () => {
    assert.equal(notificationText('boom [click](command:workbench.action.terminal.new)'), 'boom [click] (command:workbench.action.terminal.new)');
    assert.equal(notificationText('a ]  ( b'), 'a ] ( b');
    assert.equal(notificationText('Chroma 1.0.0 at localhost:8000 (12 ms)'), 'Chroma 1.0.0 at localhost:8000 (12 ms)');
  });
});
