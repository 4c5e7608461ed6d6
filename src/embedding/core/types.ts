/** What every embedding function does, whatever computes it. No `vscode` here. */

export interface EmbeddingFunction {
  /** Chroma's name for it, as stored in the collection's configuration (e.g. `default`, `openai`). */
  readonly name: string;
  /** Embeds texts, in order; one vector per text. */
  embed(texts: readonly string[], opts?: { signal?: AbortSignal }): Promise<number[][]>;
  /** The tokenizer's limit, when the function has one (chunkers can count in tokens). */
  readonly maxTokens?: number;
  /** Counts tokens, when the function has a tokenizer. */
  countTokens?(text: string): Promise<number>;
  /** A synchronous token counter (without special tokens) once the tokenizer is loaded, for chunking in tokens. */
  tokenCounter?(): Promise<(text: string) => number>;
}

/** `configuration_json.embedding_function` as Chroma stores it. */
export interface StoredEmbeddingFunction {
  type?: string;
  name?: string;
  config?: Record<string, unknown>;
}

export class EmbeddingError extends Error {
  constructor(
    message: string,
    readonly code: 'unknown-function' | 'needs-choice' | 'missing-key' | 'unauthorized' | 'rate-limited' | 'unreachable' | 'bad-response' | 'dimension-mismatch' | 'unsupported' | 'model-download' | 'not-allowed',
  ) {
    super(message);
    this.name = 'EmbeddingError';
  }
}

/** Checks vectors against the collection's dimension before anything is written. */
export function checkDimension(vectors: readonly ArrayLike<number>[], expected: number | null | undefined, functionName: string): void {
  if (expected === null || expected === undefined || vectors.length === 0) {
    return;
  }
  const got = vectors[0].length;
  if (got !== expected) {
    throw new EmbeddingError(
      `The ${functionName} embedding function makes ${got}-dimensional vectors, but the collection holds ${expected}-dimensional ones. ` +
        'Use the embedding function (and model) the collection was filled with.',
      'dimension-mismatch',
    );
  }
}
