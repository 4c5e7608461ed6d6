/**
 * The default embedding pipeline: chunks/s, split into tokenisation and inference, against a bare onnxruntime
 * session on the same inputs, in the same run; and the runtime choice measured: onnxruntime-node (native, one
 * VSIX per platform) against onnxruntime-web (wasm, one universal VSIX) on VSIX weight, chunks/s on this machine's
 * cores, and time to first embedding.
 *
 * By default it runs the tiny model of test/fixtures/tiny-model. To run it on the real all-MiniLM-L6-v2 once it
 * is cached (e.g. by Chroma's Python client or by the extension):
 *   BENCH_MODEL_DIR=~/.cache/chroma/onnx_models/all-MiniLM-L6-v2 npm run bench:embedding
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { loadPipeline, poolAndNormalize } from '../src/embedding/core/defaultFunction';
import type { Encoded, Pipeline } from '../src/embedding/core/defaultFunction';
import { isModelCached, modelFiles } from '../src/embedding/core/modelStore';
import type { ModelFiles } from '../src/embedding/core/modelStore';
import { PROJECT_ROOT } from '../test/support/chromaServer';
import { median } from './support';

const CHUNKS = Number(process.env.BENCH_CHUNKS ?? 2000);
const BATCH = 32;

function dirSize(p: string): number {
  const st = statSync(p);
  if (!st.isDirectory()) {
    return st.size;
  }
  return readdirSync(p).reduce((n, e) => n + dirSize(join(p, e)), 0);
}

function chunks(): string[] {
  const words = ['chroma', 'vector', 'database', 'embedding', 'collection', 'query', 'document', 'the', 'a', 'of', 'and', 'cat', 'sat', 'on', 'mat', 'search', 'record', 'server', 'client', 'code'];
  let s = 7;
  const next = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  return Array.from({ length: CHUNKS }, () => Array.from({ length: 40 + Math.floor(next() * 160) }, () => words[Math.floor(next() * words.length)]).join(' '));
}

function tensors<T>(make: (type: 'int64', data: BigInt64Array, dims: number[]) => T, batch: readonly Encoded[], withTypes: boolean): Record<string, T> {
  const seq = Math.max(...batch.map((e) => e.ids.length));
  const ids = new BigInt64Array(batch.length * seq);
  const mask = new BigInt64Array(batch.length * seq);
  batch.forEach((e, b) => e.ids.forEach((id, i) => ((ids[b * seq + i] = BigInt(id)), (mask[b * seq + i] = BigInt(e.mask[i])))));
  const feeds: Record<string, T> = { input_ids: make('int64', ids, [batch.length, seq]), attention_mask: make('int64', mask, [batch.length, seq]) };
  if (withTypes) {
    feeds.token_type_ids = make('int64', new BigInt64Array(batch.length * seq), [batch.length, seq]);
  }
  return feeds;
}

/** Times `pass` `runs` times in a row; the median ms. */
async function medianPass(pass: () => Promise<void>, runs: number): Promise<number> {
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    await pass();
    times.push(performance.now() - t);
  }
  return median(times);
}

/** The model's folder: BENCH_MODEL_DIR, else the tiny fixture unpacked into `temp` (the caller removes it). */
async function modelDir(): Promise<{ dir: string; temp?: string }> {
  const dir = process.env.BENCH_MODEL_DIR;
  if (dir) {
    return { dir };
  }
  const temp = mkdtempSync(join(tmpdir(), 'bench-model-'));
  const tar = await import('tar');
  await tar.x({ file: join(PROJECT_ROOT, 'test', 'fixtures', 'tiny-model', 'onnx.tar.gz'), cwd: temp });
  return { dir: temp, temp };
}

interface NodeRuntime {
  pipeline: Pipeline;
  encoded: Encoded[];
  withTypes: boolean;
  firstOursTotal: number;
  tokenizeMs: number;
  inferMs: number;
  bareMs: number;
}

/** Ours, split into tokenisation and inference + pooling, against a bare onnxruntime-node session on the same token ids. */
async function nodeRuntime(files: ModelFiles, texts: string[]): Promise<NodeRuntime> {
  let t = performance.now();
  const pipeline = await loadPipeline(files);
  const firstOurs = performance.now() - t;
  t = performance.now();
  await pipeline.infer(pipeline.tokenize([texts[0]]));
  const firstOursTotal = firstOurs + (performance.now() - t);
  t = performance.now();
  const encoded = pipeline.tokenize(texts);
  const tokenizeMs = performance.now() - t;
  const oursPass = async () => {
    for (let i = 0; i < encoded.length; i += BATCH) {
      const batch = encoded.slice(i, i + BATCH);
      const { hidden, dims } = await pipeline.infer(batch);
      poolAndNormalize(hidden, dims, batch.map((e) => e.mask));
    }
  };

  // A bare onnxruntime-node session on the same token ids (no pooling): the floor for inference.
  const bare = await ort.InferenceSession.create(files.model, { graphOptimizationLevel: 'all' });
  const withTypes = bare.inputNames.includes('token_type_ids');
  const barePass = async () => {
    for (let i = 0; i < encoded.length; i += BATCH) {
      await bare.run(tensors((ty, d, s) => new ort.Tensor(ty, d, s), encoded.slice(i, i + BATCH), withTypes));
    }
  };
  // One untimed pass each (allocator and caches warm), then alternate timed passes; medians.
  await oursPass();
  await barePass();
  const oursTimes: number[] = [];
  const bareTimes: number[] = [];
  for (let r = 0; r < 5; r++) {
    t = performance.now();
    await oursPass();
    oursTimes.push(performance.now() - t);
    t = performance.now();
    await barePass();
    bareTimes.push(performance.now() - t);
  }
  return { pipeline, encoded, withTypes, firstOursTotal, tokenizeMs, inferMs: median(oursTimes), bareMs: median(bareTimes) };
}

/** onnxruntime-web (wasm, 1 thread) on the same inputs: time to first embedding (the first chunk), then median of 5 passes. */
async function webRuntime(files: ModelFiles, first: string, n: NodeRuntime): Promise<{ webMs: number; firstWeb: number }> {
  const web = await import('onnxruntime-web');
  web.env.wasm.numThreads = 1;
  const t = performance.now();
  const webSession = await web.InferenceSession.create(files.model);
  await webSession.run(tensors((ty, d, s) => new web.Tensor(ty, d, s), n.pipeline.tokenize([first]), n.withTypes));
  const firstWeb = performance.now() - t;
  const webPass = async () => {
    for (let i = 0; i < n.encoded.length; i += BATCH) {
      await webSession.run(tensors((ty, d, s) => new web.Tensor(ty, d, s), n.encoded.slice(i, i + BATCH), n.withTypes));
    }
  };
  await webPass();
  return { webMs: await medianPass(webPass, 5), firstWeb };
}

/** What each runtime adds to a VSIX, in bytes: onnxruntime-node for linux-x64, and the files onnxruntime-web needs. */
function runtimeWeights(): { nodeLinux: number; webNeeded: number } {
  const nodeDir = join(PROJECT_ROOT, 'node_modules', 'onnxruntime-node');
  const nodeBin = readdirSync(join(nodeDir, 'bin')).find((d) => d.startsWith('napi'))!;
  const nodeLinux = dirSize(join(nodeDir, 'bin', nodeBin, 'linux', 'x64')) + dirSize(join(nodeDir, 'dist')) + dirSize(join(PROJECT_ROOT, 'node_modules', 'onnxruntime-common', 'dist'));
  const webDist = join(PROJECT_ROOT, 'node_modules', 'onnxruntime-web', 'dist');
  const webNeeded = ['ort-wasm-simd-threaded.wasm', 'ort-wasm-simd-threaded.mjs', 'ort.node.min.js'].reduce((n, f) => n + dirSize(join(webDist, f)), 0);
  return { nodeLinux, webNeeded };
}

function report(n: NodeRuntime, w: { webMs: number; firstWeb: number }, weights: { nodeLinux: number; webNeeded: number }): void {
  const { tokenizeMs, inferMs, bareMs } = n;
  const MiB = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MiB`;
  const rate = (ms: number) => `${((CHUNKS / ms) * 1000).toFixed(0)} chunks/s`;
  console.log(`\nours (onnxruntime-node): ${rate(tokenizeMs + inferMs)}`);
  console.log(`  tokenisation ${tokenizeMs.toFixed(0)} ms (${rate(tokenizeMs)}), inference + pooling ${inferMs.toFixed(0)} ms (${rate(inferMs)})`);
  console.log(`  bare onnxruntime-node session, same inputs: ${bareMs.toFixed(0)} ms; ratio ours-inference/bare=${(inferMs / bareMs).toFixed(2)}`);
  console.log(`  time to first embedding (load tokenizer + session, embed one chunk): ${n.firstOursTotal.toFixed(0)} ms`);
  console.log(`onnxruntime-web (wasm, 1 thread): inference ${w.webMs.toFixed(0)} ms (${rate(w.webMs)}); time to first embedding ${w.firstWeb.toFixed(0)} ms`);
  console.log(`runtime weight in a VSIX: onnxruntime-node linux-x64 ${MiB(weights.nodeLinux)} (one VSIX per platform); onnxruntime-web ${MiB(weights.webNeeded)} (universal)`);
  console.log(`ratio ours/bare=${(inferMs / bareMs).toFixed(2)} web/node=${(w.webMs / bareMs).toFixed(2)}`);
}

async function main(): Promise<void> {
  const { dir, temp } = await modelDir();
  if (!isModelCached(dir)) {
    throw new Error(`no onnx/model.onnx and onnx/tokenizer.json under ${dir}`);
  }
  const files = modelFiles(dir);
  const texts = chunks();
  console.log(`model ${process.env.BENCH_MODEL_DIR ? dir : 'tiny fixture (16-d)'}, ${CHUNKS} chunks of 40–200 words, batches of ${BATCH}`);
  const n = await nodeRuntime(files, texts);
  const w = await webRuntime(files, texts[0], n);
  report(n, w, runtimeWeights());
  if (temp) {
    rmSync(temp, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.stack ?? e.message : String(e));
  process.exit(1);
});
