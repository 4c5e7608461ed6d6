/**
 * Structure-aware chunking. The text is cut into "cores" that partition it exactly (Markdown at headings, code at
 * blank-line blocks, then at lines, then at characters), packed up to the chunk size; each chunk is its core plus
 * up to `overlap` of the text before it. So concatenating the chunks with their overlaps removed gives the text back.
 * A cut never falls inside a surrogate pair or between \r and \n, and every chunk knows its exact line range.
 * No `vscode` here.
 */

export type ChunkMode = 'markdown' | 'code' | 'text';

export interface ChunkOptions {
  /** Largest chunk, in the unit `measure` counts (characters by default). */
  size: number;
  /** How much of the previous text each chunk repeats, in the same unit. */
  overlap: number;
  mode: ChunkMode;
  /** Counts a piece of text (e.g. tokens); characters by default. */
  measure?: (text: string) => number;
}

export interface Chunk {
  index: number;
  text: string;
  /** Offsets in the source text: [start, end). */
  start: number;
  end: number;
  /** Where the chunk's own part (without the overlap) starts. */
  coreStart: number;
  /** 1-based, inclusive. */
  startLine: number;
  endLine: number;
}

const MARKDOWN_HEADING = /^ {0,3}#{1,6}(\s|$)/;

/** Offsets at which each line starts. */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      starts.push(i + 1);
    }
  }
  return starts;
}

/** The 1-based line of an offset. */
export function lineOf(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) {
      lo = mid;
    } else {
      hi = mid - 1;
    }
  }
  return lo + 1;
}

/** True when a cut at `i` splits nothing: not inside a surrogate pair, not between \r and \n. */
export function isSafeCut(text: string, i: number): boolean {
  if (i <= 0 || i >= text.length) {
    return true;
  }
  const prev = text.charCodeAt(i - 1);
  const next = text.charCodeAt(i);
  if (prev >= 0xd800 && prev <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
    return false;
  }
  return !(prev === 13 && next === 10);
}

function safeBefore(text: string, i: number, floor: number): number {
  let j = i;
  while (j > floor && !isSafeCut(text, j)) {
    j--;
  }
  return j;
}

/** Structural boundaries (offsets where a unit starts), level by level. */
function structuralCuts(text: string, starts: readonly number[], mode: ChunkMode): number[] {
  const lines = starts.map((s, i) => text.slice(s, i + 1 < starts.length ? starts[i + 1] : text.length));
  const cuts: number[] = [];
  if (mode === 'markdown') {
    let inFence = false;
    lines.forEach((line, i) => {
      if (/^ {0,3}(```|~~~)/.test(line)) {
        inFence = !inFence;
      }
      if (i > 0 && !inFence && MARKDOWN_HEADING.test(line)) {
        cuts.push(starts[i]);
      }
    });
  } else if (mode === 'code' || mode === 'text') {
    // a block starts at the first non-blank line after a blank line
    for (let i = 1; i < lines.length; i++) {
      if (lines[i].trim() !== '' && lines[i - 1].trim() === '') {
        cuts.push(starts[i]);
      }
    }
  }
  return cuts;
}

type Measure = (s: string) => number;
type Span = [number, number];

export function chunkText(text: string, opts: ChunkOptions): Chunk[] {
  if (text.length === 0) {
    return [];
  }
  const measure = opts.measure ?? ((s: string) => s.length);
  const size = Math.max(1, opts.size);
  const overlap = Math.max(0, Math.min(opts.overlap, size - 1));
  const coreBudget = Math.max(1, size - overlap);
  const starts = lineStarts(text);
  const { units, breaks } = splitUnits(text, starts, opts.mode, measure, coreBudget);
  const cores = packCores(text, units, breaks, measure, coreBudget);
  return cores.map(([coreStart, end], index) => {
    const start = index > 0 && overlap > 0 ? overlapStart(text, starts, coreStart, overlap, measure) : coreStart;
    return {
      index,
      text: text.slice(start, end),
      start,
      end,
      coreStart,
      startLine: lineOf(starts, start),
      endLine: lineOf(starts, Math.max(start, end - 1)),
    };
  });
}

/**
 * Units: structural blocks; a block over budget is cut at lines, a line over budget at characters.
 * `breaks` holds the units that start a structural block too big for one chunk: a chunk starts there.
 */
function splitUnits(text: string, starts: number[], mode: ChunkMode, measure: Measure, coreBudget: number): { units: Span[]; breaks: Set<number> } {
  const units: Span[] = [];
  const breaks = new Set<number>();
  const blockStarts = [0, ...[...new Set(structuralCuts(text, starts, mode))].sort((a, b) => a - b), text.length];
  for (let b = 0; b + 1 < blockStarts.length; b++) {
    const [bs, be] = [blockStarts[b], blockStarts[b + 1]];
    if (be <= bs) {
      continue;
    }
    if (measure(text.slice(bs, be)) <= coreBudget) {
      units.push([bs, be]);
      continue;
    }
    breaks.add(bs);
    const lineCuts = starts.slice(lineOf(starts, bs), lineOf(starts, be - 1));
    const edges = [bs, ...lineCuts, be];
    for (let l = 0; l + 1 < edges.length; l++) {
      const [ls, le] = [edges[l], edges[l + 1]];
      if (measure(text.slice(ls, le)) <= coreBudget) {
        units.push([ls, le]);
      } else {
        units.push(...cutLongLine(text, ls, le, measure, coreBudget));
      }
    }
  }
  return { units, breaks };
}

/** A very long line cut at characters within the budget, never inside a surrogate pair or a CRLF. */
function cutLongLine(text: string, ls: number, le: number, measure: Measure, coreBudget: number): Span[] {
  const spans: Span[] = [];
  let s = ls;
  while (s < le) {
    let e = Math.min(le, s + Math.max(1, coreBudget));
    while (e < le && measure(text.slice(s, e)) > coreBudget && e > s + 1) {
      e = s + Math.max(1, Math.floor((e - s) / 2));
    }
    e = e < le ? safeBefore(text, e, s + 1) : e;
    if (e <= s) {
      e = Math.min(le, s + 2);
    }
    spans.push([s, e]);
    s = e;
  }
  return spans;
}

/**
 * Packs units into cores within the budget; whitespace-only units stick to the core before them.
 * (Sizes add up unit by unit: exact for characters, close for tokens, and linear in the text's length.)
 */
function packCores(text: string, units: Span[], breaks: Set<number>, measure: Measure, coreBudget: number): Span[] {
  const cores: Span[] = [];
  let cs = units[0][0];
  let ce = units[0][1];
  let used = measure(text.slice(cs, ce));
  for (let u = 1; u < units.length; u++) {
    const [us, ue] = units[u];
    const piece = text.slice(us, ue);
    const m = measure(piece);
    if (piece.trim() === '' || (used + m <= coreBudget && !breaks.has(us))) {
      ce = ue;
      used += m;
    } else {
      cores.push([cs, ce]);
      cs = us;
      ce = ue;
      used = m;
    }
  }
  cores.push([cs, ce]);
  return cores;
}

/**
 * Where a chunk whose core starts at `coreStart` begins: reach back as far as `overlap` allows (binary search: the
 * measure grows as the start moves back), then start at a line start when one is within that reach.
 */
function overlapStart(text: string, starts: number[], coreStart: number, overlap: number, measure: Measure): number {
  let lo = Math.max(0, coreStart - overlap * 16);
  let hi = coreStart;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (measure(text.slice(mid, coreStart)) <= overlap) {
      hi = mid;
    } else {
      lo = mid + 1;
    }
  }
  const back = lo;
  const line = lineOf(starts, back);
  const candidate = starts[line - 1] === back ? back : starts[line];
  const lineStart = candidate !== undefined && candidate < coreStart ? candidate : undefined;
  let start = safeBefore(text, lineStart ?? back, 0);
  if (start < back) {
    start = back;
    while (start < coreStart && !isSafeCut(text, start)) {
      start++;
    }
  }
  return start;
}

/** The chunking mode for a VS Code language id. */
export function modeFor(languageId: string): ChunkMode {
  if (languageId === 'markdown' || languageId === 'mdx') {
    return 'markdown';
  }
  if (languageId === 'plaintext' || languageId === 'restructuredtext' || languageId === '') {
    return 'text';
  }
  return 'code';
}
