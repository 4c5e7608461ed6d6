/**
 * The embedding function of a collection: the one its configuration stores (`{type, name, config}`), or, for
 * collections without one (legacy, or created with embedding_function=None), the one the user chose for it.
 * No `vscode` here.
 */
import type { Collection } from '../../chroma/types';
import { createDefaultEmbeddingFunction } from './defaultFunction';
import type { DefaultFunctionOptions } from './defaultFunction';
import { HOSTED } from './hosted';
import type { KeySource } from './keyPolicy';
import { EmbeddingError } from './types';
import type { EmbeddingFunction, StoredEmbeddingFunction } from './types';

export interface ResolveOptions {
  /** Where keys may come from and go to (keyPolicy.ts). */
  keys: KeySource;
  /** The user's remembered choice for collections that store none. */
  choiceFor?: (collection: Collection) => StoredEmbeddingFunction | undefined;
  defaultFunction?: DefaultFunctionOptions;
}

/** Names Chroma uses for its default model. */
const DEFAULT_NAMES = new Set(['default', 'onnx_mini_lm_l6_v2']);

/** The names this extension can compute, for pickers and messages. */
export const SUPPORTED_FUNCTIONS = ['default', ...Object.keys(HOSTED)] as const;

/** Chroma's default model, computed locally: it needs no key and sends nothing anywhere. */
export function isDefaultFunction(stored: StoredEmbeddingFunction): boolean {
  return DEFAULT_NAMES.has(stored.name ?? '');
}

/** The function a collection's configuration stores: a name (a string) and its config (an object), else none. */
export function storedFunction(collection: Collection): StoredEmbeddingFunction | undefined {
  const ef: unknown = collection.configuration_json?.embedding_function;
  if (typeof ef !== 'object' || ef === null) {
    return undefined;
  }
  const { type, name, config } = ef as Record<string, unknown>;
  if (type === 'legacy' || typeof name !== 'string' || !name) {
    return undefined;
  }
  const cfg = typeof config === 'object' && config !== null && !Array.isArray(config) ? (config as Record<string, unknown>) : {};
  return { type: typeof type === 'string' ? type : undefined, name, config: cfg };
}

export function createEmbeddingFunction(stored: StoredEmbeddingFunction, opts: ResolveOptions): EmbeddingFunction {
  const name = stored.name ?? '';
  if (isDefaultFunction(stored)) {
    return createDefaultEmbeddingFunction(opts.defaultFunction);
  }
  const factory = HOSTED[name];
  if (!factory) {
    throw new EmbeddingError(
      `The collection uses the embedding function "${name}", which Chroma Explorer cannot compute (it knows ${SUPPORTED_FUNCTIONS.join(', ')}). ` +
        'Add documents from your app, or choose a supported function for a new collection.',
      'unknown-function',
    );
  }
  return factory(stored.config ?? {}, opts.keys);
}

export function resolveEmbeddingFunction(collection: Collection, opts: ResolveOptions): EmbeddingFunction {
  const stored = storedFunction(collection) ?? opts.choiceFor?.(collection);
  if (!stored) {
    throw new EmbeddingError(
      `Collection "${collection.name}" stores no embedding function (it is a legacy collection or was created without one). ` +
        'Choose the one its records were embedded with; the choice is remembered for this collection.',
      'needs-choice',
    );
  }
  return createEmbeddingFunction(stored, opts);
}
