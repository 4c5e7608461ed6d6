/** A fixed, fast embedding function for tests and benchmarks: the hashed bag of words of the sample data. */
import type { EmbeddingFunction } from '../../src/embedding/core/types';
import { demoEmbedding } from './sampleData';

export function fastEmbedder(dim = 32, opts: { delayMs?: number; calls?: { n: number; texts?: number } } = {}): EmbeddingFunction {
  return {
    name: 'test-hash',
    async embed(texts) {
      if (opts.calls) {
        opts.calls.n++;
        opts.calls.texts = (opts.calls.texts ?? 0) + texts.length;
      }
      if (opts.delayMs) {
        await new Promise((r) => setTimeout(r, opts.delayMs));
      }
      return texts.map((t) => demoEmbedding(t, dim));
    },
  };
}
