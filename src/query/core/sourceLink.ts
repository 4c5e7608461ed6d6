/**
 * From a hit's metadata back to the file and lines it was cut from, and whether those lines still hold the chunk.
 * Ingest writes `source` (workspace-relative path), `uri`, `startLine`/`endLine` (1-based, inclusive) and `sha256`
 * of the chunk's text on every record. Metadata comes from a server: a path that leaves the workspace, or a URI
 * outside it, resolves to nothing. No `vscode` here.
 */
import type { Metadata } from '../../chroma/types';
import { lineOf, lineStarts } from '../../ingest/core/chunker';
import { sha256 } from '../../ingest/core/records';

export interface SourceLink {
  /** Workspace-relative path with forward slashes, as ingest writes it. */
  source?: string;
  /** The file's URI when it was added. */
  uri?: string;
  /** 1-based, inclusive. */
  startLine: number;
  endLine: number;
  /** sha256 (hex) of the chunk's text when it was added. */
  sha256?: string;
}

/** A workspace folder, as the parts of its URI (`vscode.Uri` scheme, authority and path). */
export interface FolderRef {
  scheme: string;
  authority: string;
  path: string;
  name: string;
}

/** A file to try: `segments` joined onto workspace folder number `folder`. */
export interface Candidate {
  folder: number;
  segments: string[];
}

/** Whether the lines still hold what was added, found by comparing sha256. */
export type Freshness =
  | { state: 'fresh' }
  /** The chunk's text is still in the file, at other lines (text was added or removed above it). */
  | { state: 'moved'; startLine: number; endLine: number }
  | { state: 'stale'; reason: string }
  /** Nothing to compare with: the record has no sha256. */
  | { state: 'unchecked'; reason: string };

const MAX_LINE = 100_000_000;
const MAX_PATH = 4_096;
const MAX_URI = 8_192;
/** Suffixes of the first line tried when no document can be trusted (see `checkFreshness`). */
const MAX_SUFFIX_TRIES = 1_000;
const BOM = '\ufeff';

const isLine = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= MAX_LINE;

/** The link in a hit's metadata, or undefined when it has no usable `source`/`uri` and line range. */
export function sourceLinkOf(metadata: Metadata | null | undefined): SourceLink | undefined {
  if (!metadata || typeof metadata !== 'object') {
    return undefined;
  }
  const { startLine, endLine } = metadata;
  if (!isLine(startLine) || !isLine(endLine) || endLine < startLine) {
    return undefined;
  }
  const text = (v: unknown, max: number) => (typeof v === 'string' && v.length > 0 && v.length <= max && !v.includes('\0') ? v : undefined);
  const source = text(metadata.source, MAX_PATH);
  const uri = text(metadata.uri, MAX_URI);
  if (source === undefined && uri === undefined) {
    return undefined;
  }
  const hash = typeof metadata.sha256 === 'string' && /^[0-9a-f]{64}$/i.test(metadata.sha256) ? metadata.sha256.toLowerCase() : undefined;
  return { source, uri, startLine, endLine, sha256: hash };
}

/** "notes.md:12–20" (or the URI's last part when there is no source). */
export function describeLink(link: SourceLink): string {
  const name = link.source ?? link.uri?.split(/[/\\]/).filter(Boolean).pop() ?? '?';
  return `${name}:${link.startLine === link.endLine ? link.startLine : `${link.startLine}–${link.endLine}`}`;
}

/** Path segments of a relative path, or undefined when it could leave its folder or is not relative. */
function safeSegments(path: string): string[] | undefined {
  if (path.startsWith('/') || path.includes('\\') || /^[a-zA-Z]:/.test(path)) {
    return undefined;
  }
  const segments = path.split('/').filter((s) => s !== '');
  return segments.length > 0 && segments.every((s) => s !== '.' && s !== '..') ? segments : undefined;
}

/** scheme, authority and decoded path of a `scheme://authority/path` URI; undefined when it is not one. */
function parseUri(uri: string): { scheme: string; authority: string; path: string } | undefined {
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/?#]*)(\/[^?#]*)?(?:[?#].*)?$/.exec(uri);
  if (!m) {
    return undefined;
  }
  try {
    return { scheme: m[1].toLowerCase(), authority: decodeURIComponent(m[2]).toLowerCase(), path: decodeURIComponent(m[3] ?? '/') };
  } catch {
    return undefined;
  }
}

/** Paths compared the way the file system does: a Windows drive letter in either case. */
function samePathPrefix(path: string, folder: string): string | undefined {
  const norm = (p: string) => (/^\/[a-zA-Z]:/.test(p) ? p[0] + p[1].toLowerCase() + p.slice(2) : p);
  const p = norm(path);
  const f = norm(folder).replace(/\/+$/, '');
  if (p === f) {
    return '';
  }
  return p.startsWith(`${f}/`) ? p.slice(f.length + 1) : undefined;
}

/**
 * The files a link may name, most likely first: its `uri` when that lies inside a workspace folder, then its
 * `source` under each folder (in a multi-root workspace a leading folder name is understood too). The caller
 * opens the first that exists. Nothing outside the workspace folders, and no `..`, ever comes out.
 */
export function candidatesFor(link: SourceLink, folders: readonly FolderRef[]): Candidate[] {
  const out: Candidate[] = [];
  const seen = new Set<string>();
  const add = (folder: number, segments: string[] | undefined) => {
    const key = `${folder}/${segments?.join('/')}`;
    if (segments && segments.length > 0 && !seen.has(key)) {
      seen.add(key);
      out.push({ folder, segments });
    }
  };
  const parsed = link.uri !== undefined ? parseUri(link.uri) : undefined;
  if (parsed) {
    folders.forEach((f, i) => {
      if (f.scheme.toLowerCase() === parsed.scheme && f.authority.toLowerCase() === parsed.authority) {
        const rest = samePathPrefix(parsed.path, f.path);
        if (rest !== undefined) {
          add(i, safeSegments(rest));
        }
      }
    });
  }
  const segments = link.source !== undefined ? safeSegments(link.source) : undefined;
  if (segments) {
    folders.forEach((_f, i) => add(i, segments));
    folders.forEach((f, i) => {
      if (segments.length > 1 && segments[0] === f.name) {
        add(i, segments.slice(1));
      }
    });
  }
  return out;
}

/** A file's text with where its lines start, so that many hits of one file split it into lines once. */
export interface FileText {
  text: string;
  starts: readonly number[];
}

export function fileText(text: string): FileText {
  return { text, starts: lineStarts(text) };
}

/** Offsets of the text of lines `start`..`end` (1-based, inclusive, each with its line break). */
function span(starts: readonly number[], textLength: number, start: number, end: number): [number, number] {
  return [starts[start - 1], end < starts.length ? starts[end] : textLength];
}

/**
 * Whether `fileText` still holds the chunk a link names. How the chunker cut it decides how to recompute:
 * a chunk is `text.slice(start, end)` of the file as it was added, lines counted at `\n` (a `\r` belongs to its
 * line), `startLine` the line of its first character and `endLine` that of its last. Most chunks are whole lines
 * (blocks and lines end where the next line starts), so the first test is sha256 of lines startLine..endLine with
 * their line breaks. A chunk may also start inside its first line (the overlap reaches back a number of characters,
 * not lines) or end inside its last (a long line cut at characters, a selection). So, when the hit's `document` is
 * the chunk (its own sha256 is the stored one), the lines still hold it if it occurs there starting in the first line
 * and ending in the last. Without such a document, the suffixes of the lines that start in the first line are
 * hashed (the overlap case). If the chunk is found elsewhere in the file, it moved. A byte-order mark that one of the
 * two texts has and the other not (an editor strips it, a file read does not) does not count as a change.
 */
export function checkFreshness(link: SourceLink, file: string | FileText, document?: string | null): Freshness {
  if (!link.sha256) {
    return { state: 'unchecked', reason: 'the record has no sha256 to compare with' };
  }
  const hash = link.sha256;
  const { text: fileText, starts } = typeof file === 'string' ? { text: file, starts: lineStarts(file) } : file;
  const trusted = typeof document === 'string' && document.length > 0 && sha256(document) === hash ? document : undefined;
  const docs = trusted === undefined ? [] : trusted.startsWith(BOM) ? [trusted, trusted.slice(1)] : [trusted];
  const { startLine, endLine } = link;
  if (endLine <= starts.length) {
    const [from, to] = span(starts, fileText.length, startLine, endLine);
    const lines = fileText.slice(from, to);
    const variants = startLine === 1 ? [lines, lines.startsWith(BOM) ? lines.slice(1) : BOM + lines] : [lines];
    if (variants.some((v) => sha256(v) === hash)) {
      return { state: 'fresh' };
    }
    const firstEnd = (startLine < starts.length ? starts[startLine] : fileText.length) - from;
    const lastStart = starts[endLine - 1] - from;
    for (const doc of docs) {
      for (let at = lines.indexOf(doc); at !== -1 && at < firstEnd; at = lines.indexOf(doc, at + 1)) {
        if (at + doc.length - 1 >= lastStart) {
          return { state: 'fresh' };
        }
      }
    }
    if (trusted === undefined) {
      const tries = Math.min(firstEnd, MAX_SUFFIX_TRIES);
      for (let at = 1; at < tries; at++) {
        if (sha256(lines.slice(at)) === hash) {
          return { state: 'fresh' };
        }
      }
    }
  }
  const moved = relocate(fileText, starts, docs, startLine);
  if (moved) {
    return moved;
  }
  return {
    state: 'stale',
    reason:
      endLine > starts.length
        ? `the file has ${starts.length} lines now, and the record names lines ${startLine}–${endLine}`
        : `lines ${startLine}–${endLine} changed since the record was added`,
  };
}

/** Where in the file the chunk's text is now, nearest to where it was. */
function relocate(text: string, starts: readonly number[], docs: readonly string[], near: number): Freshness | undefined {
  let best: { startLine: number; endLine: number } | undefined;
  for (const doc of docs) {
    for (let at = text.indexOf(doc); at !== -1; at = text.indexOf(doc, at + 1)) {
      const startLine = lineOf(starts, at);
      if (!best || Math.abs(startLine - near) < Math.abs(best.startLine - near)) {
        best = { startLine, endLine: lineOf(starts, at + doc.length - 1) };
      }
      if (startLine > near) {
        break;
      }
    }
  }
  return best && { state: 'moved', ...best };
}

/** The lines to select for a link: where the chunk is now when it moved, else its own lines, within the file. */
export function linesToShow(link: SourceLink, freshness: Freshness | { state: string } | undefined, lineCount: number): { startLine: number; endLine: number } {
  const lines = freshness?.state === 'moved' ? (freshness as Extract<Freshness, { state: 'moved' }>) : link;
  const last = Math.max(1, lineCount);
  const startLine = Math.min(lines.startLine, last);
  return { startLine, endLine: Math.min(Math.max(lines.endLine, startLine), last) };
}
