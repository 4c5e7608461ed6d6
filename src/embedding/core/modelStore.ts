/**
 * Chroma's default model on disk: downloads `onnx.tar.gz` into the same cache folder Chroma's Python client uses
 * (`~/.cache/chroma/onnx_models/all-MiniLM-L6-v2/`), checks its SHA-256, and unpacks it to `onnx/`. A machine that
 * already ran Chroma in Python needs no download; once cached, no network is needed.
 *
 * Nothing half-written ever sits where the model is read from: the download goes to `onnx.tar.gz.part` (resumed
 * with an HTTP Range request after a break, restarted when the server cannot resume), is checked, then renamed;
 * the archive is unpacked into a temp folder that is renamed to `onnx/` when complete. No `vscode` here.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { EmbeddingError } from './types';

export const DEFAULT_MODEL = {
  name: 'all-MiniLM-L6-v2',
  url: 'https://chroma-onnx-models.s3.amazonaws.com/all-MiniLM-L6-v2/onnx.tar.gz',
  sha256: '913d7300ceae3b2dbc2c50d1de4baacab4be7b9380491c27fab7418616a16ec3',
} as const;

export function defaultCacheDir(): string {
  return join(homedir(), '.cache', 'chroma', 'onnx_models', DEFAULT_MODEL.name);
}

export interface ModelSource {
  /** Where the archive is downloaded from. */
  url: string;
  /** The archive's expected SHA-256 (hex). */
  sha256: string;
  /** The model's cache folder; it ends up holding onnx.tar.gz and onnx/. */
  dir: string;
}

export interface DownloadProgress {
  received: number;
  total?: number;
}

export interface ModelFiles {
  model: string;
  tokenizer: string;
  tokenizerConfig: string;
}

export function modelFiles(dir: string): ModelFiles {
  const onnx = join(dir, 'onnx');
  return { model: join(onnx, 'model.onnx'), tokenizer: join(onnx, 'tokenizer.json'), tokenizerConfig: join(onnx, 'tokenizer_config.json') };
}

export function isModelCached(dir: string): boolean {
  const f = modelFiles(dir);
  return existsSync(f.model) && existsSync(f.tokenizer);
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

async function sizeOf(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch {
    return 0;
  }
}

/** Downloads (resuming a broken download when the server allows it) to `<archive>.part`. */
async function download(src: ModelSource, part: string, opts: { signal?: AbortSignal; onProgress?: (p: DownloadProgress) => void }): Promise<void> {
  const have = await sizeOf(part);
  let res: Response;
  try {
    res = await fetch(src.url, { signal: opts.signal, headers: have > 0 ? { range: `bytes=${have}-` } : {} });
  } catch (e) {
    if (opts.signal?.aborted) {
      throw new EmbeddingError('The model download was cancelled. It resumes where it stopped next time.', 'model-download');
    }
    throw new EmbeddingError(
      `Cannot download Chroma's default model from ${new URL(src.url).host}: ${e instanceof Error ? (e.cause as Error | undefined)?.message ?? e.message : String(e)}. ` +
        `Check the network, or copy a cached ${DEFAULT_MODEL.name} folder into ${src.dir}.`,
      'model-download',
    );
  }
  if (res.status === 416 && have > 0) {
    // the part is already complete (or longer than the file): verify it as it is
    return;
  }
  if (!res.ok || !res.body) {
    throw new EmbeddingError(`Downloading Chroma's default model failed: ${res.status} ${res.statusText} from ${new URL(src.url).host}.`, 'model-download');
  }
  const resumed = res.status === 206 && have > 0;
  const length = Number(res.headers.get('content-length') ?? NaN);
  const total = Number.isFinite(length) ? length + (resumed ? have : 0) : undefined;
  let received = resumed ? have : 0;
  const body = Readable.fromWeb(res.body as never);
  body.on('data', (chunk: Buffer) => {
    received += chunk.length;
    opts.onProgress?.({ received, total });
  });
  const out = createWriteStream(part, { flags: resumed ? 'a' : 'w' });
  try {
    await pipeline(body, out, { signal: opts.signal });
  } catch (e) {
    // The part file is what the next attempt resumes from: wait until it is closed, and say what it holds (bytes
    // read but not yet written when the stream broke are not in it).
    if (!out.closed) {
      await new Promise<void>((r) => out.once('close', () => r()));
    }
    if (opts.signal?.aborted) {
      throw new EmbeddingError('The model download was cancelled. It resumes where it stopped next time.', 'model-download');
    }
    throw new EmbeddingError(
      `The model download broke off after ${await sizeOf(part)} bytes (${e instanceof Error ? e.message : String(e)}). Try again: it resumes where it stopped.`,
      'model-download',
    );
  }
  if (total !== undefined && received < total) {
    throw new EmbeddingError(`The model download broke off after ${received} of ${total} bytes. Try again: it resumes where it stopped.`, 'model-download');
  }
}

/**
 * Makes sure the model is unpacked in `src.dir`, downloading it if needed. Returns its files. A cached model is used
 * as it is, with no network.
 */
export async function ensureModel(
  src: ModelSource,
  opts: { signal?: AbortSignal; onProgress?: (p: DownloadProgress) => void } = {},
): Promise<ModelFiles> {
  if (isModelCached(src.dir)) {
    return modelFiles(src.dir);
  }
  await mkdir(src.dir, { recursive: true });
  const archive = join(src.dir, 'onnx.tar.gz');
  if (!existsSync(archive) || (await sha256Of(archive)) !== src.sha256) {
    const part = `${archive}.part`;
    await download(src, part, opts);
    const sha = await sha256Of(part);
    if (sha !== src.sha256) {
      await rm(part, { force: true });
      throw new EmbeddingError(
        `The downloaded model does not match its checksum (SHA-256 ${sha.slice(0, 12)}…, expected ${src.sha256.slice(0, 12)}…). It was discarded; nothing was cached. Try again later.`,
        'model-download',
      );
    }
    await rename(part, archive);
  }
  const staging = await mkdtemp(join(src.dir, '.unpack-'));
  try {
    const tar = await import('tar');
    await tar.x({ file: archive, cwd: staging, strict: true });
    if (!isModelCached(staging)) {
      throw new EmbeddingError(`The model archive has no onnx/model.onnx and onnx/tokenizer.json.`, 'model-download');
    }
    await rm(join(src.dir, 'onnx'), { recursive: true, force: true });
    await rename(join(staging, 'onnx'), join(src.dir, 'onnx'));
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return modelFiles(src.dir);
}
