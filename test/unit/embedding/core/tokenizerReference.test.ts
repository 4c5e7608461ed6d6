/**
 * Our tokenizer path (loadTokenizer, what the default embedding function runs) against token ids recorded
 * elsewhere, on the real all-MiniLM-L6-v2 tokenizer. It catches a tokenizer that drifts from Chroma's. Chroma's
 * Python ONNXMiniLM_L6_V2 runs HF `tokenizers` on the same tokenizer.json, with truncation at 256.
 *
 * Where everything comes from (none of it was produced by this project's code):
 * - The tokenizer: test/fixtures/minilm-tokenizer/tokenizer.json and tokenizer_config.json, byte for byte from
 *   chroma-core/onnx-embedding @ 430c933ad0fb3993d043fe96c11c6ee8d1ebaa11, onnx/ (Chroma's generator for its
 *   default model). The README there gives the provenance, and the first test checks the SHA-256.
 * - PYTHON_ORACLE (texts and ids): brody-0125/dart_bert_tokenizer. The ids are from
 *   test/fixtures/huggingface/all-MiniLM-L6-v2.golden.json @ 528ef5e77d1c59cd842b098e7c4fa054b7f70bf2: Python
 *   `tokenizers==0.23.2`, Tokenizer.from_str(tokenizer.json of sentence-transformers/all-MiniLM-L6-v2 @ revision
 *   1110a243fdf4706b3f48f1d95db1a4f5529b4d41).encode(text), cases "single-N-special-True". That file pads to 128
 *   because the tokenizer.json asks for it; only the positions its attention_mask marks are copied here. The texts
 *   are TEXTS in scripts/generate_hf_fixtures.py @ 34e736ee104b3cf4083dc6390e22cff3894bde26, with escapes. The
 *   golden file's inputs and offsets agree with them, including the 5-character "a\0b\u200dc". This is Rust
 *   `tokenizers`, the library Chroma's Python client runs, on all-MiniLM-L6-v2 itself. It shares no code with ours.
 * - BERT_UNCASED (texts and ids): huggingface/tokenizers.js @ dd68eab9f621ef384923393c8dcb70ee6176a25f. The ids are
 *   the expected values under "Xenova/bert-base-uncased" in tests/models/bert/test_tokenization_bert.ts. The texts
 *   are the constants they name in tests/static/constants.ts, copied with escapes for the non-ASCII characters.
 *   Every case of that block is here except TEXT_PAIR (pairs are never embedded). bert-base-uncased has the same
 *   uncased WordPiece vocabulary and the same normalizer settings as all-MiniLM-L6-v2. These cases come from
 *   transformers.js, whose tests/generate_tests.py recorded Python `transformers` output for most of the same
 *   strings (a copy is in chroma-core/chromadb-default-embed @ 0f2c10d115e01c384162f86186fc251beefe4073).
 *   tokenizers.js is also the library we run, so read these ids as its maintainers' expectations. They catch our
 *   loading code, the fixture and our truncation drifting. A bug shared with the library would get past them.
 * - Python cross-checks: huggingface/transformers @ c8dfc84ee87d238ad88090d677fe5f1bae4739cf,
 *   tests/models/bert/test_tokenization_bert.py. BasicTokenizer(do_lower_case=True) gives the pre-WordPiece words of
 *   MIXED_CASE_WITH_ACCENTS / WITHOUT_ACCENTS (hallo|hello ! how are you ?), SIMPLE_WITH_ACCENTS (hello),
 *   CHINESE_LATIN_MIXED (ah 博 推 zz) and PUNCTUATION. A newer version of that file (seen through a code search;
 *   its commit was not recorded) lists BASIC ("UNwant\u00e9d,running") as [101, 18162, 1010, 2770, 102] for
 *   google-bert/bert-base-uncased, the same ids as below.
 * - Over 256 tokens: no public source lists ids for a text this long. The expected ids are built from the cited ids
 *   of HELLO_WORLD_LOWERCASE, SIMPLE and Python single-13, repeated. The rule is Chroma's:
 *   enable_truncation(max_length=256) in ONNXMiniLM_L6_V2.tokenizer (chroma-core/chroma @
 *   0c08df2665dde7ab1adc08ad110c15a8cf4f0a48, chromadb/utils/embedding_functions/onnx_mini_lm_l6_v2.py) and in
 *   chroma-core/onnx-embedding's run_onnx.py. HF tokenizers then keeps the first 254 tokens of the text between
 *   [CLS] and [SEP].
 * - Not checked: Chroma pads every text to 256 with [PAD]=0 and mask 0, while we pad a batch to its longest text.
 *   Pooling weights by the mask, so this does not change vectors; defaultFunction.test.ts covers it on the tiny
 *   model. Reference vectors are missing: the real model (onnx/model.onnx in chroma-core/onnx-embedding, a 90 MB Git
 *   LFS object) is too large to commit, and no public repository found stores vectors computed with it.
 */
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadTokenizer, MAX_TOKENS } from '../../../../src/embedding/core/defaultFunction';
import type { Pipeline } from '../../../../src/embedding/core/defaultFunction';
import { PROJECT_ROOT } from '../../../support/chromaServer';

const FIXTURE = join(PROJECT_ROOT, 'test', 'fixtures', 'minilm-tokenizer');
const FILES = { tokenizer: join(FIXTURE, 'tokenizer.json'), tokenizerConfig: join(FIXTURE, 'tokenizer_config.json') };
const TOKENIZER_SHA256 = 'da0e79933b9ed51798a3ae27893d3c5fa4a201126cef75586296df9b4d2c62a0';
const CONFIG_SHA256 = '7702051bbc4953b94d47fa1d61b42ed4cbb3c71b501a8dd7183a823f8bea1f20';

/** Python tokenizers 0.23.2 on all-MiniLM-L6-v2: brody-0125/dart_bert_tokenizer's golden file (see the header). */
const PYTHON_ORACLE: Array<[text: string, ids: number[]]> = [
  ['Hello, world!', [101, 7592, 1010, 2088, 999, 102]], // single-0
  ['', [101, 102]], // single-1
  [' \t\n', [101, 102]], // single-2
  ['Hello   world', [101, 7592, 2088, 102]], // single-3
  ['Hello\tworld\nagain', [101, 7592, 2088, 2153, 102]], // single-4
  ['caf\u00e9 na\u00efve r\u00e9sum\u00e9', [101, 7668, 15743, 13746, 102]], // single-5
  ['cafe\u0301', [101, 7668, 102]], // single-6
  ['\u00f8 \u0142 \u0153 \u00d0 \u00de', [101, 1100, 1105, 1107, 1098, 1101, 102]], // single-7
  ['\u4f60\u597d\u4e16\u754c hello', [101, 100, 100, 1745, 100, 7592, 102]], // single-8
  ['\uc548\ub155\ud558\uc138\uc694 \uc138\uacc4', [101, 1463, 30006, 30021, 29992, 30010, 30025, 30005, 30006, 29997, 30009, 29999, 30013, 100, 102]], // single-9
  ['Hello \u{1f60a} world', [101, 7592, 100, 2088, 102]], // single-10
  ['a\u0000b\u200dc', [101, 5925, 102]], // single-11
  ['[MASK]Hello[SEP]', [101, 103, 7592, 102, 102]], // single-12
  ['I\'m happy. Don\'t worry!', [101, 1045, 1005, 1049, 3407, 1012, 2123, 1005, 1056, 4737, 999, 102]], // single-13
  ['a'.repeat(101), [101, 100, 102]], // single-14
  ['\u0130 \u{10400}', [101, 1045, 100, 102]], // single-15
];

/** huggingface/tokenizers.js @ dd68eab, tests/models/bert/test_tokenization_bert.ts, "Xenova/bert-base-uncased". */
const BERT_UNCASED: Record<string, { text: string; ids: number[] }> = {
  SIMPLE: { text: 'How are you doing?', ids: [101, 2129, 2024, 2017, 2725, 1029, 102] },
  SIMPLE_WITH_PUNCTUATION: { text: 'You should\'ve done this', ids: [101, 2017, 2323, 1005, 2310, 2589, 2023, 102] },
  TEXT_WITH_NUMBERS: { text: 'The company was founded in 2016.', ids: [101, 1996, 2194, 2001, 2631, 1999, 2355, 1012, 102] },
  PUNCTUATION: { text: 'A\n\'ll !!to?\'d\'\'d of, can\'t.', ids: [101, 1037, 1005, 2222, 999, 999, 2000, 1029, 1005, 1040, 1005, 1005, 1040, 1997, 1010, 2064, 1005, 1056, 1012, 102] },
  PYTHON_CODE: { text: 'def main():\n\tpass', ids: [101, 13366, 2364, 1006, 1007, 1024, 3413, 102] },
  JAVASCRIPT_CODE: { text: 'let a = obj.toString();\ntoString();', ids: [101, 2292, 1037, 1027, 27885, 3501, 1012, 2000, 3367, 4892, 1006, 1007, 1025, 2000, 3367, 4892, 1006, 1007, 1025, 102] },
  NEWLINES: { text: 'This\n\nis\na\ntest.', ids: [101, 2023, 2003, 1037, 3231, 1012, 102] },
  BASIC: { text: 'UNwant\u00e9d,running', ids: [101, 18162, 1010, 2770, 102] },
  CONTROL_TOKENS: { text: '1\u00002\ufffd3', ids: [101, 13138, 102] },
  HELLO_WORLD_TITLECASE: { text: 'Hello World', ids: [101, 7592, 2088, 102] },
  HELLO_WORLD_LOWERCASE: { text: 'hello world', ids: [101, 7592, 2088, 102] },
  CHINESE_ONLY: { text: '\u751f\u6d3b\u7684\u771f\u8c1b\u662f', ids: [101, 1910, 100, 1916, 1921, 100, 100, 102] },
  LEADING_SPACE: { text: '   leading space', ids: [101, 2877, 2686, 102] },
  TRAILING_SPACE: { text: 'trailing space   ', ids: [101, 12542, 2686, 102] },
  DOUBLE_SPACE: { text: 'Hi  Hello', ids: [101, 7632, 7592, 102] },
  CURRENCY: { text: 'test $1 R2 #3 \u20ac4 \u00a35 \u00a56 \u20a37 \u20b98 \u20b19 test', ids: [101, 3231, 1002, 1015, 1054, 2475, 1001, 1017, 1574, 2549, 27813, 1071, 2575, 100, 1576, 2620, 1575, 2683, 3231, 102] },
  CURRENCY_WITH_DECIMALS: { text: 'I bought an apple for $1.00 at the store.', ids: [101, 1045, 4149, 2019, 6207, 2005, 1002, 1015, 1012, 4002, 2012, 1996, 3573, 1012, 102] },
  ELLIPSIS: { text: 'you\u2026  ', ids: [101, 2017, 1529, 102] },
  TEXT_WITH_ESCAPE_CHARACTERS: { text: 'you\u2026\u00a0\u00a0', ids: [101, 2017, 1529, 102] },
  TEXT_WITH_ESCAPE_CHARACTERS_2: { text: 'you\u2026\u00a0\u00a0you\u2026\u00a0\u00a0', ids: [101, 2017, 1529, 2017, 1529, 102] },
  TILDE_NORMALIZATION: { text: 'weird \uff5e edge \uff5e case', ids: [101, 6881, 1995, 3341, 1995, 2553, 102] },
  SPIECE_UNDERSCORE: { text: '\u2581This \u2581is \u2581a \u2581test \u2581.', ids: [101, 100, 100, 100, 100, 100, 1012, 102] },
  POPULAR_EMOJIS: { text: '\u{1f602} \u{1f44d} \u{1f923} \u{1f60d} \u{1f62d} \u{1f389} \u{1f64f} \u{1f60a} \u{1f525} \u{1f601} \u{1f605} \u{1f917} \u{1f606} \u{1f44f} \u2764\ufe0f \u{1f49c} \u{1f49a} \u{1f497} \u{1f499} \u{1f5a4} \u{1f60e} \u{1f44c} \u{1f973} \u{1f4aa} \u2728 \u{1f449} \u{1f440} \u{1f4af} \u{1f388} \u{1f648} \u{1f64c} \u{1f480} \u{1f447} \u{1f44b} \u2705 \u{1f381} \u{1f31e} \u{1f338} \u{1f4b0}', ids: [101, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 102] },
  MULTIBYTE_EMOJIS: { text: '\u2728 \u{1f917} \u{1f441}\ufe0f \u{1f471}\u{1f3fb} \u{1f575}\u200d\u2642\ufe0f \u{1f9d9}\u{1f3fb}\u200d\u2642 \u{1f468}\u{1f3fb}\u200d\u{1f33e} \u{1f9d1}\u200d\u{1f91d}\u200d\u{1f9d1} \u{1f469}\u200d\u2764\u200d\u{1f48b}\u200d\u{1f468} \u{1f469}\u200d\u{1f469}\u200d\u{1f467}\u200d\u{1f466} \u{1f9d1}\u{1f3fb}\u200d\u{1f91d}\u200d\u{1f9d1}\u{1f3fb} \u{1f3f4}\u{e0067}\u{e0062}\u{e0065}\u{e006e}\u{e0067}\u{e007f} \u{1f468}\u{1f3fb}\u200d\u2764\ufe0f\u200d\u{1f48b}\u200d\u{1f468}\u{1f3fc}', ids: [101, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 102] },
  CHINESE_LATIN_MIXED: { text: 'ah\u535a\u63a8zz', ids: [101, 6289, 1786, 100, 1062, 2480, 102] },
  SIMPLE_WITH_ACCENTS: { text: 'H\u00e9llo', ids: [101, 7592, 102] },
  MIXED_CASE_WITHOUT_ACCENTS: { text: ' \tHeLLo!how  \n Are yoU?  ', ids: [101, 7592, 999, 2129, 2024, 2017, 1029, 102] },
  MIXED_CASE_WITH_ACCENTS: { text: ' \tH\u00e4LLo!how  \n Are yoU?  ', ids: [101, 2534, 2080, 999, 2129, 2024, 2017, 1029, 102] },
  ONLY_WHITESPACE: { text: ' \t\n', ids: [101, 102] },
  LOWER_CASE_WITH_SPECIAL_TOKEN: { text: '[CLS]hello[MASK]world[SEP]', ids: [101, 101, 7592, 103, 2088, 102, 102] },
};

const CLS = 101;
const SEP = 102;
const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const ones = (n: number) => new Array<number>(n).fill(1);
const repeat = (ids: number[], times: number) => Array.from({ length: times }, () => ids).flat();
/** A cited case's ids without [CLS] and [SEP]. */
const inner = (name: string) => BERT_UNCASED[name].ids.slice(1, -1);

describe('default embedding function: tokenizer against recorded references (all-MiniLM-L6-v2)', () => {
  let tokenize: Pipeline['tokenize'];

  before(async () => {
    tokenize = await loadTokenizer(FILES);
  });

  it('runs on the real all-MiniLM-L6-v2 tokenizer files Chroma saved (checked by SHA-256 and shape)', () => {
    assert.equal(sha256(FILES.tokenizer), TOKENIZER_SHA256);
    assert.equal(sha256(FILES.tokenizerConfig), CONFIG_SHA256);
    const json = JSON.parse(readFileSync(FILES.tokenizer, 'utf8')) as {
      normalizer: { type: string; lowercase: boolean; strip_accents: boolean | null };
      model: { type: string; vocab: Record<string, number> };
    };
    assert.equal(Object.keys(json.model.vocab).length, 30522);
    assert.equal(json.model.type, 'WordPiece');
    assert.deepEqual(
      { type: json.normalizer.type, lowercase: json.normalizer.lowercase, strip_accents: json.normalizer.strip_accents },
      { type: 'BertNormalizer', lowercase: true, strip_accents: null },
    );
  });

  PYTHON_ORACLE.forEach(([text, ids], i) => {
    it(`Python tokenizers, single-${i} ${JSON.stringify(text.slice(0, 24))}: the same ids, every position attended`, () => {
      const [e] = tokenize([text]);
      assert.deepEqual(e.ids, ids);
      assert.deepEqual(e.mask, ones(ids.length));
    });
  });

  for (const [name, { text, ids }] of Object.entries(BERT_UNCASED)) {
    it(`bert-base-uncased, ${name}: the ids tokenizers.js records, every position attended`, () => {
      const [e] = tokenize([text]);
      assert.deepEqual(e.ids, ids);
      assert.deepEqual(e.mask, ones(ids.length));
    });
  }

  it('encodes a batch text by text: all 46 reference texts at once give the same ids, in order', () => {
    const all = [...PYTHON_ORACLE.map(([text, ids]) => ({ text, ids })), ...Object.values(BERT_UNCASED)];
    assert.equal(all.length, 46);
    assert.deepEqual(
      tokenize(all.map((r) => r.text)).map((e) => e.ids),
      all.map((r) => r.ids),
    );
  });

  it('truncates at 256 tokens as Chroma does: [CLS], the first 254 tokens of the text, [SEP]', () => {
    assert.equal(MAX_TOKENS, 256);
    const hello = inner('HELLO_WORLD_LOWERCASE'); // hello world
    const [long] = tokenize([Array.from({ length: 200 }, () => 'hello world').join(' ')]);
    assert.equal(long.ids.length, 256);
    assert.deepEqual(long.ids, [CLS, ...repeat(hello, 127), SEP]);
    assert.deepEqual(long.mask, ones(256));

    const simple = inner('SIMPLE'); // how are you doing ?
    const [question] = tokenize([Array.from({ length: 60 }, () => 'How are you doing?').join(' ')]);
    assert.deepEqual(question.ids, [CLS, ...repeat(simple, 60).slice(0, 254), SEP]);
    assert.deepEqual(question.mask, ones(256));

    const happy = PYTHON_ORACLE[13][1].slice(1, -1); // i ' m happy . don ' t worry !
    const [worry] = tokenize([Array.from({ length: 30 }, () => PYTHON_ORACLE[13][0]).join(' ')]);
    assert.deepEqual(worry.ids, [CLS, ...repeat(happy, 30).slice(0, 254), SEP]);
  });

  it('keeps a text of exactly 254 tokens whole and cuts the 255th', () => {
    const hello = inner('HELLO_WORLD_LOWERCASE');
    const fits = Array.from({ length: 127 }, () => 'hello world').join(' ');
    const [exact] = tokenize([fits]);
    assert.deepEqual(exact.ids, [CLS, ...repeat(hello, 127), SEP]);
    const [over] = tokenize([`${fits} hello`]);
    assert.deepEqual(over.ids, [CLS, ...repeat(hello, 127), SEP]);
    const [under] = tokenize([Array.from({ length: 126 }, () => 'hello world').join(' ') + ' hello']);
    assert.deepEqual(under.ids, [CLS, ...repeat(hello, 126), hello[0], SEP]);
  });
});
