/**
 * Text from a server, made safe and small for the UI: one-line labels without control or bidi characters,
 * Markdown escaping, code spans and fences that fit their content, bounded JSON, and id encodings that never
 * throw. Every function here looks at a bounded prefix of its input (or walks it once, in a loop), so a 10 MB
 * string costs no more than a short one. No `vscode` here.
 */

/** The most of a string a one-line display looks at before cleaning it. */
const PREFIX_FACTOR = 4;
const PREFIX_EXTRA = 256;

// C0/C1 controls and DEL, zero-width characters, bidi embeddings/overrides/isolates and marks (U+061C, U+200B–F,
// U+202A–E, U+2060–9) and the BOM.
const INVISIBLE = /[\u0000-\u0008\u000e-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;
// Whitespace controls and line/paragraph separators become a space, so words stay apart.
const BREAKS = /[\t\n\v\f\r\u2028\u2029]/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export function hasLoneSurrogate(s: string): boolean {
  LONE_SURROGATE.lastIndex = 0;
  const found = LONE_SURROGATE.test(s);
  LONE_SURROGATE.lastIndex = 0;
  return found;
}

/** Removes control and bidi characters (line breaks and tabs become spaces); lone surrogates become U+FFFD. */
export function stripControls(s: string): string {
  return s.replace(BREAKS, ' ').replace(INVISIBLE, '').replace(LONE_SURROGATE, '\ufffd');
}

/** The first `max` UTF-16 units of `s`, never ending in half a surrogate pair. */
export function prefix(s: string, max: number): string {
  if (s.length <= max) {
    return s;
  }
  const code = s.charCodeAt(max - 1);
  return s.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

/** `s` cut to at most `max` characters, with an ellipsis when it was cut. */
export function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${prefix(s, Math.max(0, max - 1))}…`;
}

/**
 * One line of at most `max` characters for labels, descriptions and previews: whitespace runs collapsed,
 * control and bidi characters removed, an ellipsis when cut. Only a bounded prefix of `text` is read.
 */
export function displayLine(text: string | null | undefined, max: number): string {
  if (!text) {
    return '';
  }
  const budget = max * PREFIX_FACTOR + PREFIX_EXTRA;
  const start = prefix(text, budget);
  const line = stripControls(start).replace(/\s+/g, ' ').trim();
  if (line.length > max) {
    return truncate(line, max);
  }
  return start.length < text.length ? `${prefix(line, Math.max(0, max - 1))}…` : line;
}

/** Whether `m` is an object with at least one own key (without listing all its keys). */
export function hasOwnKeys(m: unknown): m is object {
  if (!m || typeof m !== 'object') {
    return false;
  }
  for (const key in m) {
    if (Object.prototype.hasOwnProperty.call(m, key)) {
      return true;
    }
  }
  return false;
}

/** A copy of a short string that does not keep the (maybe huge) string it was sliced from alive. */
export function detach(s: string): string {
  return s.split('').join('');
}

const MD_PUNCTUATION = /[!-/:-@[-`{-~]/g;
// VS Code's theme-icon syntax, `$(name)` or `$(name~modifier)`.
const THEME_ICON = /\$\([A-Za-z0-9-]+(?:~[A-Za-z0-9-]*)?\)/g;

/**
 * `text` as literal Markdown inline text: every ASCII punctuation character is backslash-escaped (so no link,
 * image, HTML, autolink, emphasis or code span can form), and line breaks and control characters are removed
 * first. Meant for one line; use it after a label or list marker, not at the start of a block.
 *
 * `themeIcons`: the MarkdownString has `supportThemeIcons`. VS Code then renders `$(name)` in the text that
 * Markdown produced, unless a backslash precedes it; the extra escaped backslash keeps it literal.
 */
export function escapeMarkdown(text: string, opts: { themeIcons?: boolean } = {}): string {
  const clean = stripControls(text);
  if (!opts.themeIcons) {
    return escapePunctuation(clean);
  }
  // `$(alert)` becomes `\\\$\(alert\)`: Markdown turns that into `\$(alert)`, which VS Code shows as literal text.
  let out = '';
  let last = 0;
  for (const m of clean.matchAll(THEME_ICON)) {
    const at = m.index ?? 0;
    out += `${escapePunctuation(clean.slice(last, at))}\\\\${escapePunctuation(m[0])}`;
    last = at + m[0].length;
  }
  return out + escapePunctuation(clean.slice(last));
}

/**
 * Plain text for a place that draws `$(name)` as an icon (status-bar text, quick-pick labels): each icon
 * pattern gets the backslash that makes VS Code show it as text.
 */
export function escapeIcons(text: string): string {
  return text.replace(THEME_ICON, '\\$&');
}

function escapePunctuation(s: string): string {
  return s.replace(MD_PUNCTUATION, '\\$&');
}

/** At most `max` characters of `text` on one line, as literal Markdown text (see `escapeMarkdown`). */
export function markdownLine(text: string, max: number, opts: { themeIcons?: boolean } = {}): string {
  return escapeMarkdown(displayLine(text, max), opts);
}

/** At most `max` characters of `text` on one line, as a Markdown code span. */
export function codeLine(text: string, max: number): string {
  return inlineCode(displayLine(text, max));
}

/** The longest run of `ch` in `text`, in one pass (no spread, no array of matches). */
export function longestRun(text: string, ch: string): number {
  let best = 0;
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === ch) {
      run++;
      if (run > best) {
        best = run;
      }
    } else {
      run = 0;
    }
  }
  return best;
}

/** A Markdown code span of one line of text: its delimiter is longer than any backtick run inside. */
export function inlineCode(text: string): string {
  const line = stripControls(text);
  if (!line.trim()) {
    return '_(empty)_';
  }
  const ticks = '`'.repeat(longestRun(line, '`') + 1);
  const pad = /^[` ]|[` ]$/.test(line) ? ' ' : '';
  return `${ticks}${pad}${line}${pad}${ticks}`;
}

/** A fenced code block whose fence is longer than any backtick run in `text`. */
export function codeFence(text: string, lang = ''): string {
  const ticks = '`'.repeat(Math.max(3, longestRun(text, '`') + 1));
  return `${ticks}${lang}\n${text}\n${ticks}`;
}

/**
 * JSON text of `value` (as `JSON.stringify(value, null, indent)` would write it) that stops after `max`
 * characters, ending with `…` when cut. It walks only as much of the value as it writes.
 */
export function boundedJson(value: unknown, max: number, indent = 2): { text: string; truncated: boolean } {
  const w = new BoundedJsonWriter(max, indent);
  w.walk(value, 0);
  const text = w.out.join('');
  return { text: w.full ? `${text}…` : text, truncated: w.full };
}

/** boundedJson's writer: the parts written so far, and whether `max` was reached. */
class BoundedJsonWriter {
  readonly out: string[] = [];
  full = false;
  private used = 0;

  constructor(
    private readonly max: number,
    private readonly indent: number,
  ) {}

  walk(v: unknown, depth: number): void {
    if (this.full) {
      return;
    }
    const s = this.scalar(v);
    if (s !== undefined || v === null || typeof v !== 'object') {
      this.push(s ?? 'null');
    } else if (depth > 64) {
      this.push('…');
    } else if (Array.isArray(v)) {
      this.array(v, depth);
    } else {
      this.object(v, depth);
    }
  }

  private push(s: string): void {
    if (this.full) {
      return;
    }
    if (this.used + s.length > this.max) {
      this.out.push(prefix(s, this.max - this.used));
      this.used = this.max;
      this.full = true;
    } else {
      this.out.push(s);
      this.used += s.length;
    }
  }

  private nl(depth: number): string {
    return this.indent ? `\n${' '.repeat(this.indent * depth)}` : '';
  }

  private scalar(v: unknown): string | undefined {
    switch (typeof v) {
      case 'string':
        // cut before stringifying: escapes only grow it, and push cuts again
        return JSON.stringify(v.length > this.max - this.used + 1 ? prefix(v, this.max - this.used + 1) : v);
      case 'number':
        return Number.isFinite(v) ? String(v) : 'null';
      case 'boolean':
        return String(v);
      case 'bigint':
        return v.toString();
      case 'undefined':
      case 'function':
      case 'symbol':
        return undefined;
      default:
        return v === null ? 'null' : undefined;
    }
  }

  private array(v: unknown[], depth: number): void {
    if (v.length === 0) {
      this.push('[]');
      return;
    }
    this.push('[');
    for (let i = 0; i < v.length && !this.full; i++) {
      this.push(`${i ? ',' : ''}${this.nl(depth + 1)}`);
      this.walk(v[i], depth + 1);
    }
    this.push(`${this.nl(depth)}]`);
  }

  private object(v: object, depth: number): void {
    let first = true;
    this.push('{');
    for (const key in v) {
      if (this.full) {
        break;
      }
      const item = (v as Record<string, unknown>)[key];
      if (!Object.prototype.hasOwnProperty.call(v, key) || item === undefined || typeof item === 'function' || typeof item === 'symbol') {
        continue;
      }
      this.push(`${first ? '' : ','}${this.nl(depth + 1)}${JSON.stringify(prefix(key, this.max))}:${this.indent ? ' ' : ''}`);
      first = false;
      this.walk(item, depth + 1);
    }
    this.push(first ? '}' : `${this.nl(depth)}}`);
  }
}

/**
 * `encodeURIComponent` that never throws: a lone surrogate (which it rejects) is written `%uXXXX`. The result is
 * unique per input (`encodeURIComponent` never writes `%u`), and `decodeIdPart` reverses it.
 */
export function encodeIdPart(s: string): string {
  if (!hasLoneSurrogate(s)) {
    return encodeURIComponent(s);
  }
  let out = '';
  let last = 0;
  for (const m of s.matchAll(LONE_SURROGATE)) {
    const at = m.index ?? 0;
    out += `${encodeURIComponent(s.slice(last, at))}%u${m[0].charCodeAt(0).toString(16).toUpperCase()}`;
    last = at + 1;
  }
  return out + encodeURIComponent(s.slice(last));
}

/** Reverses `encodeIdPart`; throws URIError on text that is not such an encoding. */
export function decodeIdPart(s: string): string {
  if (!s.includes('%u')) {
    return decodeURIComponent(s);
  }
  return s
    .split(/(%u[0-9A-Fa-f]{4})/)
    .map((part) => (/^%u[0-9A-Fa-f]{4}$/.test(part) ? String.fromCharCode(parseInt(part.slice(2), 16)) : decodeURIComponent(part)))
    .join('');
}

/**
 * A whole number with thousands separators: `12,345`. Written out rather than with Intl.NumberFormat, whose first
 * use loads ICU data (about 10 ms, at activation when made at module load).
 */
export function formatCount(n: number): string {
  if (!Number.isSafeInteger(n)) {
    return String(n);
  }
  const digits = String(Math.abs(n));
  let out = '';
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) {
      out += ',';
    }
    out += digits[i];
  }
  return n < 0 ? `-${out}` : out;
}

/**
 * Text for a notification: VS Code renders `[label](target)` in notification messages as a link (command: links
 * too), so a message that carries server text has that syntax broken: `] (` is shown instead of `](`.
 */
export function notificationText(message: string): string {
  return message.replace(/\]\s*\(/g, '] (');
}
