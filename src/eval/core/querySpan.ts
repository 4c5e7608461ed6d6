/**
 * A query made from a record's own text, for a generated case: one of its sentences, or, when it has only one, a
 * span of 8–20 words from its middle; never the whole text (a query that is its record's text word for word would
 * test nothing but an exact-match lookup). Chosen with the caller's seeded random source, so a seed gives the same
 * queries every time. No `vscode` here.
 */

/** Fewest words a query may have, and most a sentence may have before a span of it is taken instead. */
export const MIN_QUERY_WORDS = 4;
const MAX_SENTENCE_WORDS = 30;
const SPAN_MIN = 8;
const SPAN_MAX = 20;

const words = (text: string) => text.split(/\s+/).filter(Boolean);

/** Sentences: cut after `.`, `!` or `?` before a space, and at line breaks (headings, list items, code lines). */
export function sentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+|\s*\n\s*/)
    .map((s) => s.replace(/\s+/g, ' ').trim())
    .filter(Boolean);
}

/** A span of `length` words around the middle of `ws`, moved by up to two words either way. */
function middleSpan(ws: readonly string[], length: number, random: () => number): string {
  const centre = Math.floor((ws.length - length) / 2);
  const shift = Math.floor(random() * 5) - 2;
  const start = Math.min(ws.length - length, Math.max(0, centre + shift));
  return ws.slice(start, start + length).join(' ');
}

/** A span of 8–20 words, shorter than the text; undefined when the text is too short to leave words out. */
function spanOf(ws: readonly string[], random: () => number): string | undefined {
  const wanted = SPAN_MIN + Math.floor(random() * (SPAN_MAX - SPAN_MIN + 1));
  const length = Math.min(wanted, ws.length - 2);
  return length >= MIN_QUERY_WORDS ? middleSpan(ws, length, random) : undefined;
}

/**
 * The query for a record's text, or undefined when the text is too short to make one that is not the whole of it.
 * Several sentences: one of those with at least 4 words (a long one cut to a span). One sentence: a span of it.
 */
export function queryFromText(text: string, random: () => number): string | undefined {
  const all = words(text);
  const whole = all.join(' ');
  const candidates = sentences(text).filter((s) => words(s).length >= MIN_QUERY_WORDS && s !== whole);
  if (candidates.length > 0) {
    const sentence = candidates[Math.floor(random() * candidates.length)];
    const ws = words(sentence);
    return ws.length > MAX_SENTENCE_WORDS ? middleSpan(ws, SPAN_MAX, random) : sentence;
  }
  return spanOf(all, random);
}
