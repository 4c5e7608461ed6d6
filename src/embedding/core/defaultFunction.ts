/**
 * Chroma's default embedding function, all-MiniLM-L6-v2, computed locally the way Chroma's Python client does:
 * the archive's tokenizer.json (through @huggingface/tokenizers), truncation at 256 tokens, the ONNX model through
 * onnxruntime-node, mean pooling weighted by the attention mask, and L2 normalisation. The runtime and the model
 * load lazily, on the first embedding, never at activation. No `vscode` here.
 */
import { readFile } from 'node:fs/promises';
import type * as Onnx from 'onnxruntime-node';
import { DEFAULT_MODEL, defaultCacheDir, ensureModel } from './modelStore';
import type { DownloadProgress, ModelFiles, ModelSource } from './modelStore';
import { EmbeddingError } from './types';
import type { EmbeddingFunction } from './types';

export const MAX_TOKENS = 256;

export interface DefaultFunctionOptions {
  /** Where the model comes from and is cached (defaults: Chroma's bucket and ~/.cache/chroma/...). */
  source?: Partial<ModelSource>;
  /** Texts per inference run (default 32). */
  batchSize?: number;
  onDownloadProgress?: (p: DownloadProgress) => void;
  /** Cancels a download in progress. */
  downloadSignal?: AbortSignal;
}

/** What the tokenizer gives for one text. */
export interface Encoded {
  ids: number[];
  mask: number[];
}

interface Tokenizer {
  encode(text: string): { ids: number[]; attention_mask: number[] };
}

type Ort = typeof Onnx;
type Session = Awaited<ReturnType<Ort['InferenceSession']['create']>>;

export interface Pipeline {
  tokenize(texts: readonly string[]): Encoded[];
  infer(batch: readonly Encoded[]): Promise<{ hidden: Float32Array; dims: readonly number[] }>;
}

/** Truncates to `max` tokens the way the tokenizer's truncation does: [CLS] … [SEP] stay at the ends. */
export function truncate(e: Encoded, max = MAX_TOKENS): Encoded {
  if (e.ids.length <= max) {
    return e;
  }
  return { ids: [...e.ids.slice(0, max - 1), e.ids[e.ids.length - 1]], mask: [...e.mask.slice(0, max - 1), e.mask[e.mask.length - 1]] };
}

/**
 * Mean pooling over the sequence, weighted by the attention mask, then L2 normalisation (a zero norm counts as
 * 1e-12), for a [batch, sequence, hidden] output.
 */
export function poolAndNormalize(hidden: Float32Array, dims: readonly number[], masks: readonly number[][]): number[][] {
  const [batch, seq, dim] = dims;
  const out: number[][] = new Array(batch);
  const sum = new Float64Array(dim);
  for (let b = 0; b < batch; b++) {
    sum.fill(0);
    let count = 0;
    const mask = masks[b];
    const len = Math.min(seq, mask.length);
    for (let s = 0; s < len; s++) {
      const m = mask[s];
      if (m === 0) {
        continue;
      }
      count += m;
      let base = (b * seq + s) * dim;
      for (let d = 0; d < dim; d++, base++) {
        sum[d] += hidden[base] * m;
      }
    }
    const inv = 1 / Math.max(count, 1e-9);
    let sq = 0;
    for (let d = 0; d < dim; d++) {
      sum[d] *= inv;
      sq += sum[d] * sum[d];
    }
    const scale = 1 / Math.max(Math.sqrt(sq), 1e-12);
    const v = new Array<number>(dim);
    for (let d = 0; d < dim; d++) {
      v[d] = sum[d] * scale;
    }
    out[b] = v;
  }
  return out;
}

/**
 * The tokenizer of a model folder (its tokenizer.json and tokenizer_config.json), with our truncation to
 * MAX_TOKENS: what the embedding function feeds the model, and what its token counts measure.
 */
export async function loadTokenizer(files: Pick<ModelFiles, 'tokenizer' | 'tokenizerConfig'>): Promise<Pipeline['tokenize']> {
  const [{ Tokenizer }, tokenizerJson, tokenizerConfig] = await Promise.all([
    import('@huggingface/tokenizers'),
    readFile(files.tokenizer, 'utf8').then((t) => JSON.parse(t) as object),
    readFile(files.tokenizerConfig, 'utf8').then((t) => JSON.parse(t) as object).catch(() => ({})),
  ]);
  const tokenizer = new Tokenizer(tokenizerJson, tokenizerConfig) as unknown as Tokenizer;
  return (texts) =>
    texts.map((t) => {
      const e = tokenizer.encode(t);
      return truncate({ ids: e.ids, mask: e.attention_mask });
    });
}

/** The tokenizer and the ONNX session of a model folder. */
export async function loadPipeline(files: ModelFiles): Promise<Pipeline> {
  const tokenize = await loadTokenizer(files);
  let ort: Ort;
  try {
    ort = (await import('onnxruntime-node')) as Ort;
  } catch (e) {
    throw new EmbeddingError(
      `The ONNX runtime could not load on this machine (${e instanceof Error ? e.message.split('\n')[0] : String(e)}). Chroma's default embedding function needs it.`,
      'unsupported',
    );
  }
  const session: Session = await ort.InferenceSession.create(files.model, { graphOptimizationLevel: 'all' });
  return {
    tokenize,
    async infer(batch) {
      const seq = Math.max(...batch.map((e) => e.ids.length));
      const n = batch.length * seq;
      const ids = new BigInt64Array(n);
      const mask = new BigInt64Array(n);
      batch.forEach((e, b) => {
        for (let s = 0; s < e.ids.length; s++) {
          ids[b * seq + s] = BigInt(e.ids[s]);
          mask[b * seq + s] = BigInt(e.mask[s]);
        }
      });
      const shape = [batch.length, seq];
      const feeds: Record<string, InstanceType<Ort['Tensor']>> = {
        input_ids: new ort.Tensor('int64', ids, shape),
        attention_mask: new ort.Tensor('int64', mask, shape),
      };
      if (session.inputNames.includes('token_type_ids')) {
        feeds.token_type_ids = new ort.Tensor('int64', new BigInt64Array(n), shape);
      }
      const result = await session.run(feeds);
      const output = result.last_hidden_state ?? result[session.outputNames[0]];
      return { hidden: output.data as Float32Array, dims: output.dims };
    },
  };
}

/** Chroma's `default` embedding function. */
export function createDefaultEmbeddingFunction(opts: DefaultFunctionOptions = {}): EmbeddingFunction {
  const source: ModelSource = {
    url: opts.source?.url ?? DEFAULT_MODEL.url,
    sha256: opts.source?.sha256 ?? DEFAULT_MODEL.sha256,
    dir: opts.source?.dir ?? defaultCacheDir(),
  };
  const batchSize = opts.batchSize ?? 32;
  let loading: Promise<Pipeline> | undefined;
  const pipeline = (): Promise<Pipeline> => {
    if (!loading) {
      loading = ensureModel(source, { signal: opts.downloadSignal, onProgress: opts.onDownloadProgress }).then(loadPipeline);
      loading.catch(() => (loading = undefined));
    }
    return loading;
  };
  return {
    name: 'default',
    maxTokens: MAX_TOKENS,
    async countTokens(text: string) {
      return (await pipeline()).tokenize([text])[0].ids.length;
    },
    async tokenCounter() {
      const p = await pipeline();
      // [CLS] and [SEP] come once per chunk, not once per piece the chunker measures
      return (text: string) => Math.max(0, p.tokenize([text])[0].ids.length - 2);
    },
    async embed(texts, embedOpts) {
      const p = await pipeline();
      const out: number[][] = [];
      for (let i = 0; i < texts.length; i += batchSize) {
        if (embedOpts?.signal?.aborted) {
          throw new EmbeddingError('Embedding was cancelled.', 'unsupported');
        }
        const batch = p.tokenize(texts.slice(i, i + batchSize));
        const { hidden, dims } = await p.infer(batch);
        out.push(...poolAndNormalize(hidden, dims, batch.map((e) => e.mask)));
      }
      return out;
    },
  };
}
