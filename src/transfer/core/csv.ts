/**
 * CSV import: rows streamed from the file (RFC 4180: quoted fields with commas, quotes and line breaks; CRLF or LF;
 * a BOM), the delimiter sniffed from the header (comma, semicolon or tab), and columns mapped to the id, the
 * document, metadata keys and, optionally, an embedding (a JSON array or base64 float32). Metadata values keep their
 * type: whole numbers, decimals, true/false, else text; empty cells are left out. No `vscode` here.
 */
import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { base64ToEmbedding } from '../../chroma/encoding';
import type { CollectionConfiguration, Embedding, Metadata, MetadataValue } from '../../chroma/types';
import { formatCount } from '../../util/text';
import { TransferError } from './errors';
import type { TransferRecord } from './format';
import { runImport } from './importer';
import type { ImportOptions, ImportResult } from './importer';

/** A field longer than this is refused rather than read into memory. */
const MAX_FIELD_CHARS = 64 * 1024 * 1024;

export type Delimiter = ',' | ';' | '\t';

/** The delimiter a header line uses most, outside quotes (comma when none). */
export function sniffDelimiter(header: string): Delimiter {
  const counts: Record<Delimiter, number> = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const ch of header) {
    if (ch === '"') {
      quoted = !quoted;
    } else if (!quoted && (ch === ',' || ch === ';' || ch === '\t')) {
      counts[ch]++;
    }
  }
  return (Object.keys(counts) as Delimiter[]).reduce((best, d) => (counts[d] > counts[best] ? d : best), ',');
}

/** A CSV row: its fields and the 1-based line it starts on. */
interface CsvRow {
  fields: string[];
  line: number;
}

/** The CSV state machine: text goes in chunk by chunk (a field or row may span chunks), rows come out. */
class CsvParser {
  private fields: string[] = [];
  private field = '';
  private quoted = false;
  /** The last character was a quote inside a quoted field: an escaped quote or the field's end. */
  private quoteSeen = false;
  private atFieldStart = true;
  private line = 1;
  private rowLine = 1;

  constructor(
    private readonly name: string,
    /** Undefined until the first chunk names it. */
    public delimiter: Delimiter | undefined,
  ) {}

  /** The rows that end in `text`. */
  *feed(text: string): Generator<CsvRow> {
    for (let i = 0; i < text.length; i++) {
      const ch = text[i];
      if (this.quoted && this.quotedChar(ch)) {
        continue;
      }
      if (ch === '"' && this.atFieldStart) {
        this.quoted = true;
        this.atFieldStart = false;
      } else if (ch === this.delimiter) {
        this.endField();
      } else if (ch === '\n') {
        if (this.field.endsWith('\r')) {
          this.field = this.field.slice(0, -1);
        }
        yield this.endRow();
        this.line++;
        this.rowLine = this.line;
      } else if (ch !== '\r' || text[i + 1] !== '\n') {
        this.field += ch;
        this.atFieldStart = false;
      }
      if (this.field.length > MAX_FIELD_CHARS) {
        throw new TransferError('bad-line', `${this.name} has a field of more than 64 MiB at line ${formatCount(this.rowLine)}: not a file this can read.`);
      }
    }
  }

  /** The last row, if the file does not end with a line break; refuses a file that ends inside quotes. */
  end(): CsvRow | undefined {
    if (this.quoted && !this.quoteSeen) {
      throw new TransferError('bad-line', `${this.name} ends inside a quoted field that starts on line ${formatCount(this.rowLine)}: a closing quote (") is missing.`);
    }
    return this.field !== '' || this.fields.length > 0 ? this.endRow() : undefined;
  }

  /** A character inside a quoted field: true when it was taken, false after the closing quote (then it is unquoted). */
  private quotedChar(ch: string): boolean {
    if (this.quoteSeen) {
      this.quoteSeen = false;
      if (ch === '"') {
        this.field += '"';
        return true;
      }
      this.quoted = false; // the closing quote; this character is handled as unquoted
      return false;
    }
    if (ch === '"') {
      this.quoteSeen = true;
      return true;
    }
    if (ch === '\n') {
      this.line++;
    }
    this.field += ch;
    return true;
  }

  private endField(): void {
    this.fields.push(this.field);
    this.field = '';
    this.atFieldStart = true;
  }

  private endRow(): CsvRow {
    this.endField();
    const row = { fields: this.fields, line: this.rowLine };
    this.fields = [];
    return row;
  }
}

/**
 * The rows of a CSV file, each an array of fields, with the 1-based line each starts on. `delimiter` undefined:
 * sniffed from the first line.
 */
export async function* readCsvRows(
  path: string,
  name: string,
  opts: { delimiter?: Delimiter; signal?: AbortSignal } = {},
): AsyncGenerator<{ fields: string[]; line: number; delimiter: Delimiter }, void, undefined> {
  const stream = createReadStream(path, { highWaterMark: 1024 * 1024, signal: opts.signal });
  const decoder = new StringDecoder('utf8');
  const parser = new CsvParser(name, opts.delimiter);
  let first = true;
  try {
    const chunks = async function* (): AsyncGenerator<string> {
      for await (const buf of stream as AsyncIterable<Buffer>) {
        yield decoder.write(buf);
      }
      yield decoder.end();
    };
    for await (let text of chunks()) {
      if (first && text.length > 0) {
        first = false;
        if (text.charCodeAt(0) === 0xfeff) {
          text = text.slice(1);
        }
        const nl = text.search(/\r?\n/);
        parser.delimiter ??= sniffDelimiter(nl < 0 ? text : text.slice(0, nl));
      }
      for (const row of parser.feed(text)) {
        yield { ...row, delimiter: parser.delimiter ?? ',' };
      }
    }
    const last = parser.end();
    if (last) {
      yield { ...last, delimiter: parser.delimiter ?? ',' };
    }
  } finally {
    stream.destroy();
  }
}

/** The header row (column names) and the delimiter of a CSV file. */
export async function readCsvHeader(path: string, name: string): Promise<{ columns: string[]; delimiter: Delimiter }> {
  for await (const row of readCsvRows(path, name)) {
    const columns = row.fields.map((f) => f.trim());
    if (columns.every((c) => c === '')) {
      break;
    }
    const twice = columns.find((c, i) => columns.indexOf(c) !== i);
    if (twice !== undefined) {
      throw new TransferError('bad-line', `${name} names the column "${twice}" twice in its header: give each column its own name.`);
    }
    return { columns, delimiter: row.delimiter };
  }
  throw new TransferError('not-an-export', `${name} has no header row: its first line must name the columns.`);
}

/** A cell as a metadata value: whole numbers, decimals and true/false keep their type; undefined for an empty cell. */
export function csvValue(text: string): MetadataValue | undefined {
  const t = text.trim();
  if (t === '') {
    return undefined;
  }
  if (/^-?(0|[1-9]\d*)$/.test(t) && Number.isSafeInteger(Number(t))) {
    return Number(t);
  }
  if (/^-?(0|[1-9]\d*)?\.\d+([eE][+-]?\d+)?$|^-?(0|[1-9]\d*)[eE][+-]?\d+$/.test(t) && Number.isFinite(Number(t))) {
    return Number(t);
  }
  if (t === 'true' || t === 'false') {
    return t === 'true';
  }
  return text;
}

/** Which columns (by name) become what. Without an id column, ids are `<prefix>-<row>`. */
export interface CsvMapping {
  id?: string;
  document?: string;
  metadata: string[];
  /** A column holding the embedding: a JSON array of numbers, or base64 float32. */
  embedding?: string;
}

function embeddingOf(cell: string, at: string): Embedding | null {
  const t = cell.trim();
  if (t === '') {
    return null;
  }
  if (t.startsWith('[')) {
    let v: unknown;
    try {
      v = JSON.parse(t);
    } catch {
      v = undefined;
    }
    if (!Array.isArray(v) || v.length === 0 || !v.every((x) => typeof x === 'number')) {
      throw new TransferError('bad-line', `${at}: the embedding is not a JSON array of numbers. Fix that row, then import again.`);
    }
    return v as number[];
  }
  if (t.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(t) || ((t.length / 4) * 3 - (t.match(/=*$/)?.[0].length ?? 0)) % 4 !== 0) {
    throw new TransferError('bad-line', `${at}: the embedding is neither a JSON array nor base64 float32. Fix that row, then import again.`);
  }
  return base64ToEmbedding(t);
}

/** The records of a CSV file under a mapping (the header row skipped). */
export async function* csvRecords(path: string, name: string, mapping: CsvMapping, idPrefix: string, signal?: AbortSignal): AsyncGenerator<TransferRecord, void, undefined> {
  let columns: string[] | undefined;
  let index: { id?: number; document?: number; embedding?: number; metadata: Array<[string, number]> } | undefined;
  let row = 0;
  for await (const { fields, line } of readCsvRows(path, name, { signal })) {
    if (!columns || !index) {
      columns = fields.map((f) => f.trim());
      const col = (c: string | undefined): number | undefined => {
        if (c === undefined) {
          return undefined;
        }
        const i = columns!.indexOf(c);
        if (i < 0) {
          throw new TransferError('bad-line', `${name} has no column "${c}" (its columns: ${columns!.join(', ')}).`);
        }
        return i;
      };
      index = { id: col(mapping.id), document: col(mapping.document), embedding: col(mapping.embedding), metadata: mapping.metadata.map((m) => [m, col(m)!]) };
      continue;
    }
    row++;
    if (fields.length === 1 && fields[0].trim() === '') {
      continue; // a blank line
    }
    const at = `Row ${formatCount(row)} (line ${formatCount(line)}) of ${name}`;
    if (fields.length !== columns.length) {
      throw new TransferError('bad-line', `${at} has ${fields.length} fields, the header ${columns.length}. Fix that row (quote fields that hold the delimiter), then import again.`);
    }
    const id = index.id === undefined ? `${idPrefix}-${row}` : fields[index.id].trim();
    if (id === '') {
      throw new TransferError('bad-line', `${at} has an empty id. Fill it in, or import without an id column (ids are then made from the row numbers).`);
    }
    const metadata: Metadata = {};
    for (const [key, i] of index.metadata) {
      const v = csvValue(fields[i]);
      if (v !== undefined) {
        metadata[key] = v;
      }
    }
    const document = index.document === undefined ? null : fields[index.document];
    yield {
      id,
      document: document === '' ? null : document,
      metadata: Object.keys(metadata).length ? metadata : null,
      uri: null,
      embedding: index.embedding === undefined ? null : embeddingOf(fields[index.embedding], at),
    };
  }
}

export interface CsvImportOptions extends Omit<ImportOptions, 'reembed'> {
  mapping: CsvMapping;
  /** What a new collection is made with (its embedding function embeds the documents). */
  configuration?: CollectionConfiguration;
  /** Ids of rows without an id column: `<idPrefix>-<row>`. */
  idPrefix: string;
}

/** Imports a CSV file: like importFile, with the records from rows. */
export function importCsv(opts: CsvImportOptions): Promise<ImportResult> {
  const label = opts.fileLabel ?? opts.file;
  return runImport(opts, {
    label,
    total: 0,
    create: { configuration: opts.configuration },
    noEmbeddings: opts.mapping.embedding === undefined,
    records: csvRecords(opts.file, label, opts.mapping, opts.idPrefix, opts.signal),
  });
}
