/** Ids and metadata of the records made from a document. No `vscode` here. */
import { createHash } from 'node:crypto';
import type { Metadata } from '../../chroma/types';
import type { Chunk } from './chunker';
import { formatSize } from '../../util/size';

export type IdStrategy = 'path' | 'contentHash';

export interface SourceInfo {
  /** Workspace-relative path (forward slashes); undefined for documents that are not files. */
  source?: string;
  /** The document's URI. */
  uri: string;
  languageId: string;
  /** What ids start with: the relative path, or the untitled editor's title, or the URI. */
  idBase: string;
  gitCommit?: string;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** `<path>#<chunk index>`, or with the contentHash strategy `<path>#<first 16 hex of the chunk's sha256>`. */
export function chunkId(base: string, chunk: Pick<Chunk, 'index' | 'text'>, strategy: IdStrategy = 'path'): string {
  return strategy === 'contentHash' ? `${base}#${sha256(chunk.text).slice(0, 16)}` : `${base}#${chunk.index}`;
}

/** `<path>#L<start>-L<end>` for a selection (1-based, inclusive lines). */
export function selectionId(base: string, startLine: number, endLine: number): string {
  return `${base}#L${startLine}-L${endLine}`;
}

export function chunkMetadata(info: SourceInfo, chunk: Chunk, chunks: number, addedAt: string): Metadata {
  const m: Metadata = {
    uri: info.uri,
    languageId: info.languageId,
    startLine: chunk.startLine,
    endLine: chunk.endLine,
    chunk: chunk.index,
    chunks,
    sha256: sha256(chunk.text),
    addedAt,
  };
  if (info.source !== undefined) {
    m.source = info.source;
  }
  if (info.gitCommit) {
    m.gitCommit = info.gitCommit;
  }
  return m;
}

export interface IngestRecord {
  id: string;
  document: string;
  metadata: Metadata;
}

export interface InputProblem {
  kind: 'empty' | 'binary' | 'too-large';
  /** What is wrong with the input: "big.txt is 6 MiB, over the 5 MiB limit (…)". */
  reason: string;
  /** The reason and its consequence, for an input the user chose alone: "… Nothing was sent." */
  message: string;
}

function problem(kind: InputProblem['kind'], reason: string): InputProblem {
  return { kind, reason, message: `${reason}. Nothing was sent.` };
}

/** Why a file's bytes cannot be added as text, or undefined when they can. */
export function inputProblem(bytes: Uint8Array, name: string, maxBytes: number): InputProblem | undefined {
  if (bytes.length > maxBytes) {
    return problem(
      'too-large',
      `${name} is ${formatSize(bytes.length)}, over the ${formatSize(maxBytes)} limit (chroma.ingest.maxFileSizeMB)`,
    );
  }
  if (bytes.includes(0)) {
    return problem('binary', `${name} looks binary (it contains NUL bytes)`);
  }
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    if (text.trim() === '') {
      return problem('empty', `${name} is empty`);
    }
  } catch {
    return problem('binary', `${name} is not valid UTF-8 text`);
  }
  return undefined;
}

/** The same checks on text already decoded (an open editor); a NUL character encodes to a NUL byte. */
export function textProblem(text: string, name: string, maxBytes: number): InputProblem | undefined {
  return inputProblem(Buffer.from(text, 'utf8'), name, maxBytes);
}
