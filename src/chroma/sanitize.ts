/**
 * Making server text fit for a message: one line, bounded, without control or bidirectional-override characters,
 * in time linear in a bounded prefix of the input (a server once sent a 52 MB message, and 100 KB of `<`).
 */

import { prefix } from '../util/text';

/** The longest message a ChromaError carries. */
export const MAX_MESSAGE_CHARS = 300;

/** How much of a server's text is ever looked at: enough for any useful message, small enough to scan at once. */
export const SERVER_TEXT_PREFIX_CHARS = 16 * 1024;

// C0 and C1 controls (tab, newlines included: they become spaces), DEL, the line and paragraph separators,
// zero-width and bidi marks, embeddings, overrides and isolates, and the BOM.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]+/g;

/** `text` as one line of at most `max` characters: unsafe characters become spaces, runs of space collapse. */
export function oneLine(text: string, max = MAX_MESSAGE_CHARS): string {
  // Whitespace collapses to at most half, so 2·max + 2 characters are enough to fill `max`.
  const head = text.length > 2 * max + 2 ? text.slice(0, 2 * max + 2) : text;
  const clean = head.replace(UNSAFE, ' ').replace(/\s+/g, ' ').trim();
  if (!clean || (clean.length <= max && head.length === text.length)) {
    return clean;
  }
  return `${prefix(clean, max - 1).trimEnd()}…`;
}


/** `text` ending as a sentence: a period added unless it already ends in `.`, `!` or `?` (no "exists?."). */
export function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/** A value quoted for a message, cut to `max` characters: `"abc…"`. */
export function quote(value: string, max = 60): string {
  return JSON.stringify(oneLine(value, max));
}

/**
 * Readable text of an HTML or plain-text error page, one line, or undefined when none is left. Only a bounded prefix
 * is looked at, so a page of 100 KB of `<` costs no more than a short one.
 */
export function pageText(page: string, max = MAX_MESSAGE_CHARS): string | undefined {
  const text = page.length > SERVER_TEXT_PREFIX_CHARS ? page.slice(0, SERVER_TEXT_PREFIX_CHARS) : page;
  return oneLine(stripTags(text), max) || undefined;
}

/**
 * `text` with each `<…>` replaced by a space, as `/<[^>]*>/g` would (an unclosed `<` stays), in one linear pass:
 * that regex retries from every `<`, which is quadratic on a run of them.
 */
export function stripTags(text: string): string {
  // nextClose[i]: the index of the first '>' at or after i, or -1; built backwards.
  const nextClose = new Int32Array(text.length + 1);
  nextClose[text.length] = -1;
  for (let i = text.length - 1; i >= 0; i--) {
    nextClose[i] = text.charCodeAt(i) === 62 /* > */ ? i : nextClose[i + 1];
  }
  const parts: string[] = [];
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) === 60 /* < */ && nextClose[i] !== -1) {
      parts.push(text.slice(from, i), ' ');
      i = nextClose[i];
      from = i + 1;
    }
  }
  parts.push(text.slice(from));
  return parts.join('');
}

/**
 * An http(s) URL as origin and path only (no credentials, query or fragment), resolved against `base`, one line of
 * at most 300 characters; undefined when there is no usable http(s) URL.
 */
export function describeLocation(location: string | null | undefined, base: string): string | undefined {
  if (!location) {
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(location.slice(0, 4096), base);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return undefined;
  }
  return oneLine(`${url.origin}${url.pathname}`, MAX_MESSAGE_CHARS);
}

/** `text` cut in the middle to at most `max` characters, keeping its start and its end (`…/collections/…/add`). */
export function elideMiddle(text: string, max: number): string {
  if (text.length <= max) {
    return text;
  }
  const tail = Math.floor(max / 3);
  return `${prefix(text, max - tail - 1)}…${text.slice(text.length - tail)}`;
}
