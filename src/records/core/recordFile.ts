/**
 * A record as an editable JSON file, and back: `{"id", "document", "metadata", "uri"}` in that order, metadata keys
 * sorted, two-space indent, then read-only notes (`$`-keys) the save ignores. Nothing a server sends is trusted:
 * invisible, bidi and line-separator characters are written as `\uXXXX` escapes (lossless: JSON reads them back), and
 * a field too large to edit here (see EDIT_LIMITS) is left out of the file, described in a `$`-note, and kept as it
 * is on save: no cut value is ever in a field, so none can be saved back. No `vscode` here.
 */
import { createHash } from 'node:crypto';
import type * as Jsonc from 'jsonc-parser';
import type { Node, ParseError } from 'jsonc-parser';
import type { Metadata } from '../../chroma/types';
import { boundedJson, displayLine, formatCount, hasLoneSurrogate, prefix } from '../../util/text';

/** The record as the server has it. */
export interface RecordState {
  id: string;
  document: string | null;
  metadata: Metadata | null;
  uri: string | null;
  embedding: ArrayLike<number> | null;
}

export const FIELDS = ['id', 'document', 'metadata', 'uri'] as const;
export type Field = (typeof FIELDS)[number];

/**
 * The largest value of each field the editor shows (characters of the value, or of its JSON for metadata). Longer
 * ones are left out of the file and kept as they are: a 10 MB document opens at once and can still have its metadata
 * edited, and is never cut and saved back.
 */
export const EDIT_LIMITS: Record<Field, number> = {
  id: 10_000,
  document: 100_000,
  metadata: 100_000,
  uri: 10_000,
};

/** How much of a field left out of the file its note shows. */
const NOTE_START_CHARS = 1_000;

/** What the editor was given: enough to check a save against it. */
export interface ReadBase {
  /** The record's id (from its address; for a new record, undefined until it is added). */
  id?: string;
  /** recordHash() of the server's record when it was read; undefined for a new record. */
  hash?: string;
  /** Fields left out of the file (too large): they must stay out, and are kept as they are. */
  hidden: readonly Field[];
  /** The metadata as read (when shown): values the edit leaves as they were are not checked again. */
  metadata?: Metadata | null;
}

export interface FileContext {
  collectionName: string;
  /** The collection's embedding function, for the `$embedding` note ("default", "openai", "none stored (legacy)"). */
  functionLabel: string;
}

// C1 controls, soft hyphen, zero-width and bidi marks, embeddings, overrides and isolates, line and paragraph
// separators (VS Code offers to "remove unusual line terminators", which would change the text), word joiners, BOM,
// interlinear annotations: shown as escapes, so what a value holds is what the reader sees.
const HIDDEN_CHARS = /[\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]/g;

/** JSON.stringify(value, null, 2), with every character that could hide or reorder text as a `\uXXXX` escape. */
export function safeJson(value: unknown): string {
  // outside strings JSON.stringify writes only ASCII, so these can only be inside strings, where an escape is valid
  return JSON.stringify(value, null, 2).replace(HIDDEN_CHARS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The metadata with its keys sorted (own keys only; `__proto__` stays a plain key). */
export function sortedMetadata(m: Metadata | null | undefined): Metadata | null {
  if (!m || typeof m !== 'object') {
    return null;
  }
  return Object.fromEntries(Object.keys(m).sort().map((k) => [k, m[k]])) as Metadata;
}

/**
 * A fingerprint of what a save could overwrite: document, metadata (sorted), uri and embedding. Equal fingerprints
 * mean nothing changed on the server in between.
 */
export function recordHash(r: RecordState): string {
  const h = createHash('sha256');
  h.update(JSON.stringify([r.document === null, sortedMetadata(r.metadata), r.uri, r.embedding ? Array.from(r.embedding) : null]));
  // the document last and as it is: a 10 MB one is hashed without being copied into JSON first
  h.update(r.document ?? '');
  return h.digest('hex');
}

/** The characters a value takes in the file, escapes included (escapes only grow a value: longer ones are not measured). */
function valueSize(field: Field, value: unknown): number {
  const max = EDIT_LIMITS[field];
  if (typeof value === 'string') {
    return value.length > max ? value.length : safeJson(value).length - 2;
  }
  if (field === 'metadata' && value && typeof value === 'object') {
    return boundedJson(value, max + 1).truncated ? Infinity : safeJson(value).length;
  }
  return 0;
}

/** The note that stands for a field left out: its size, why, that it is kept, and how it starts. */
function hiddenNote(field: Field, value: unknown): string {
  const size = typeof value === 'string' ? `${formatCount(value.length)} characters; ` : '';
  return `Too large to edit here (${size}this editor takes up to ${formatCount(EDIT_LIMITS[field])} characters of JSON): left out of this file, and kept as it is when you save.`;
}

function startOf(value: unknown): string {
  const text = typeof value === 'string' ? value : boundedJson(value, NOTE_START_CHARS).text;
  return prefix(text, NOTE_START_CHARS);
}

/** The embedding's note, one short line: its dimension and the function that made it ("384-d · default function"). */
export function embeddingNote(e: ArrayLike<number> | null, ctx: FileContext): string {
  const fn = ctx.functionLabel === 'none stored (legacy)' ? 'no function stored (legacy)' : `${displayLine(ctx.functionLabel, 60)} function`;
  return `${e && e.length ? `${e.length}-d` : 'none stored'} · ${fn}`;
}

/** The rest of the `$embedding` note, for its hover: what makes the embedding, and when it changes. */
export function embeddingHoverText(functionLabel: string): string {
  return (
    `The embedding is made by the collection's embedding function (${displayLine(functionLabel, 200)}) when the document changes, ` +
    'and kept when only metadata or uri change. Notes starting with "$" are not saved.'
  );
}

/** The file a record opens as, and which fields were left out of it. */
export function renderRecordFile(r: RecordState, ctx: FileContext): { text: string; hidden: Field[] } {
  const file: Record<string, unknown> = {};
  const notes: Record<string, unknown> = {};
  const hidden: Field[] = [];
  const values: Record<Field, unknown> = { id: r.id, document: r.document, metadata: sortedMetadata(r.metadata) ?? {}, uri: r.uri };
  for (const field of FIELDS) {
    const value = values[field];
    if (valueSize(field, value) > EDIT_LIMITS[field]) {
      hidden.push(field);
      notes[`$${field}`] = hiddenNote(field, value);
      notes[`$${field}Start`] = startOf(value);
    } else {
      file[field] = value;
    }
  }
  notes.$embedding = embeddingNote(r.embedding, ctx);
  notes.$collection = displayLine(ctx.collectionName, 200);
  return { text: `${safeJson({ ...file, ...notes })}\n`, hidden };
}

/** The file Add Record… opens: an id to keep or replace, and empty fields. */
export function renderNewRecordFile(id: string, ctx: FileContext): string {
  return `${safeJson({
    id,
    document: '',
    metadata: {},
    uri: null,
    $new: `Fill in the record and save to add it to "${displayLine(ctx.collectionName, 200)}". Its embedding is made from the document by the collection's embedding function (${ctx.functionLabel}).`,
  })}\n`;
}

// ---------------------------------------------------------------------------------------------------- reading back

/** What a save found wrong, with where (offsets into the file) for the editor to mark. */
export interface Problem {
  message: string;
  offset: number;
  length: number;
}

/** The fields of a saved file; a field left out of the file (too large to edit) is undefined: kept as it is. */
export interface RecordEdit {
  id?: string;
  document?: string | null;
  metadata?: Metadata | null;
  uri?: string | null;
}

export type ParseResult = { edit: RecordEdit; problems: [] } | { edit?: undefined; problems: Problem[] };

/** Line and column (1-based) of an offset, for messages. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}

function describeType(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : typeof v === 'string' ? 'a string' : `a ${typeof v}`;
}

function quoted(s: string): string {
  return JSON.stringify(displayLine(s, 80));
}

/** Two metadata values are the same: equal scalars of one type (values newer servers nest compare as JSON). */
export function sameValue(a: unknown, b: unknown): boolean {
  return typeof a === typeof b && (a !== null && typeof a === 'object' ? JSON.stringify(a) === JSON.stringify(b) : a === b);
}

export interface ParseOptions {
  /** `edit`: an existing record (its id cannot change); `new`: a record to add (its id is to fill in). */
  mode: 'edit' | 'new';
  /** What the editor was given, when known (after a window reload it is not). */
  base?: ReadBase;
  /** The id from the file's address (existing records). */
  id?: string;
  /** Checks one metadata key and value as the client would before sending; returns why it is refused. */
  checkMetadata: (id: string, key: string, value: unknown) => string | undefined;
  /** Checks the number of metadata keys; returns why it is refused. */
  checkKeyCount: (id: string, metadata: Metadata) => string | undefined;
}

/**
 * Reads a saved record file: JSON syntax, no unknown or repeated keys, each field of its type, the id unchanged (or,
 * for a new record, filled in), metadata values and keys by Chroma's rules (values the file had when it was read are
 * not checked again: the server holds them already). Problems come with their place in the file.
 */
/** jsonc-parser on first use (a vendored file in the bundle): the record file system is set up at activation. */
let jsonc: typeof Jsonc | undefined;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const loadJsonc = (): typeof Jsonc => (jsonc ??= require('jsonc-parser') as typeof Jsonc);

export function parseRecordFile(text: string, opts: ParseOptions): ParseResult {
  const { parseTree, printParseErrorCode } = loadJsonc();
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  if (errors.length || !root) {
    const e = errors[0] ?? { error: 0, offset: 0, length: 0 };
    const { line, column } = lineColumn(text, e.offset);
    return {
      problems: [{ message: `The record is not valid JSON: ${printParseErrorCode(e.error)} at line ${line}, column ${column}.`, offset: e.offset, length: Math.max(1, e.length) }],
    };
  }
  if (root.type !== 'object') {
    return { problems: [{ message: `The record must be a JSON object with ${FIELDS.map((f) => `"${f}"`).join(', ')}.`, offset: root.offset, length: root.length }] };
  }
  const problems: Problem[] = [];
  const r: FieldReader = { opts, edit: {}, at: (node, message) => problems.push({ message, offset: node.offset, length: node.length }) };
  // the values as JSON.parse reads them (plain own keys, `__proto__` included)
  const value = JSON.parse(text) as Record<string, unknown>;
  const props = topLevelKeys(root, r.at);
  const hidden = new Set<Field>(opts.base?.hidden ?? []);
  for (const field of FIELDS) {
    // the note of a field left out, when the editor's base is not known (after a reload)
    if (props.has(`$${field}`) && opts.mode === 'edit') {
      hidden.add(field);
    }
  }
  for (const field of FIELDS) {
    const p = props.get(field);
    if (hidden.has(field)) {
      if (p) {
        r.at(p.key, `This record's ${field} is too large to edit here, so it is not in this file and is kept as it is: remove the ${quoted(field)} key.`);
      }
    } else if (!p) {
      const none = field === 'metadata' ? '{}' : 'null';
      r.at(root, field === 'id' ? 'The "id" key is missing: put it back.' : `The ${quoted(field)} key is missing: put it back (${none} for none).`);
    } else if (field === 'id') {
      readId(r, value[field], p.value);
    } else if (field === 'metadata') {
      readMetadata(r, value[field], p);
    } else {
      readText(r, field, value[field], p.value);
    }
  }
  return problems.length ? { problems } : { edit: r.edit, problems: [] };
}

/** What the field readers share: the options, the edit they fill in, and where a problem is put. */
interface FieldReader {
  opts: ParseOptions;
  edit: RecordEdit;
  at: (node: Node, message: string) => void;
}

/** The object's keys and value nodes; a repeated key and an unknown one (not a field, not a "$" note) are problems. */
function topLevelKeys(root: Node, at: FieldReader['at']): Map<string, { key: Node; value: Node }> {
  const props = new Map<string, { key: Node; value: Node }>();
  for (const prop of root.children ?? []) {
    const [keyNode, valueNode] = prop.children ?? [];
    if (!keyNode || !valueNode) {
      continue;
    }
    const key = keyNode.value as string;
    if (props.has(key)) {
      at(keyNode, `The key ${quoted(key)} appears twice: keep one.`);
      continue;
    }
    props.set(key, { key: keyNode, value: valueNode });
    if (!key.startsWith('$') && !(FIELDS as readonly string[]).includes(key)) {
      at(keyNode, `Unknown key ${quoted(key)}: a record has ${FIELDS.map((f) => `"${f}"`).join(', ')} (keys starting with "$" are notes and are ignored).`);
    }
  }
  return props;
}

function readId({ opts, edit, at }: FieldReader, v: unknown, node: Node): void {
  if (typeof v !== 'string') {
    at(node, `The id must be a string, not ${describeType(v)}.`);
  } else if (opts.mode === 'edit' && opts.id !== undefined && v !== opts.id) {
    at(node, `The id cannot change: it is how Chroma knows the record. Put back ${quoted(opts.id)}; to make a copy under another id, use Add Record….`);
  } else if (opts.mode === 'new' && !v) {
    at(node, 'Fill in the id: every record needs a non-empty id.');
  } else if (hasLoneSurrogate(v)) {
    at(node, 'The id has a lone surrogate (\\uD800–\\uDFFF without its pair): Chroma cannot store it. Remove it.');
  } else {
    edit.id = v;
  }
}

function readText({ opts, edit, at }: FieldReader, field: 'document' | 'uri', v: unknown, node: Node): void {
  if (v !== null && typeof v !== 'string') {
    at(node, `The ${field} must be a string or null, not ${describeType(v)}.`);
  } else if (opts.mode === 'new' && field === 'document' && v === null) {
    at(node, "A new record needs a document (\"\" for an empty one): its embedding is made from it.");
  } else {
    edit[field] = v;
  }
}

/** The metadata: an object (or null), no repeated keys, each changed value and the key count as the client checks them. */
function readMetadata({ opts, edit, at }: FieldReader, v: unknown, p: { key: Node; value: Node }): void {
  if (v !== null && (typeof v !== 'object' || Array.isArray(v))) {
    at(p.value, `The metadata must be an object of keys and values ({} for none), not ${describeType(v)}.`);
    return;
  }
  const meta = (v ?? {}) as Record<string, unknown>;
  const id = edit.id ?? opts.id ?? opts.base?.id ?? '';
  const before = opts.base?.metadata ?? undefined;
  const seen = new Set<string>();
  let ok = true;
  for (const prop of p.value.children ?? []) {
    const [keyNode, valueNode] = prop.children ?? [];
    if (!keyNode || !valueNode) {
      continue;
    }
    const key = keyNode.value as string;
    if (seen.has(key)) {
      at(keyNode, `The metadata key ${quoted(key)} appears twice: keep one.`);
      ok = false;
      continue;
    }
    seen.add(key);
    const unchanged = before && Object.prototype.hasOwnProperty.call(before, key) && sameValue(before[key], meta[key]);
    const problem = unchanged ? undefined : opts.checkMetadata(id, key, meta[key]);
    if (problem) {
      at(prop, problem);
      ok = false;
    }
  }
  const tooMany = opts.checkKeyCount(id, meta as Metadata);
  if (tooMany) {
    at(p.key, tooMany);
    ok = false;
  }
  if (ok) {
    edit.metadata = v === null ? null : (meta as Metadata);
  }
}
