/**
 * What `npm run demo` (scripts/demo.mjs) puts in its Chroma server, made the way a Chroma user's data is made: the
 * sample collections (sampleData.ts) embedded with Chroma's default embedding function (all-MiniLM-L6-v2), which
 * each collection's configuration stores as `default`, so that a query embeds its text the same way with nothing
 * asked. The model is downloaded once, with progress, into the cache Chroma's Python client uses.
 *
 * Where the model cannot be had (offline, CI), the demo says so in one line and falls back to the demo vectors (a
 * hashed bag of words), served by this process on 127.0.0.1 as a text-embeddings-inference server
 * (demoVectors.ts) and stored as `huggingface_server` with that URL: a query still embeds with the function the
 * records were embedded with, once the user (or the demo's own VS Code profile, see demoChromaSettings) trusts the
 * host.
 *
 * Idempotent: a collection already embedded this way is left alone (records missing from it are added); one
 * embedded another way (the old demo's bag of words without a function, or the other mode) is made again; one whose
 * demo-vectors server moved to another port is only pointed at it.
 */
import { isDeepStrictEqual } from 'node:util';
import { existsSync, lstatSync, mkdirSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ChromaNotFoundError } from '../../src/chroma';
import type { ChromaClient, Collection, EmbeddingFunctionConfig, Scope } from '../../src/chroma';
import { createDefaultEmbeddingFunction } from '../../src/embedding/core/defaultFunction';
import { DEFAULT_MODEL, defaultCacheDir, ensureModel, isModelCached } from '../../src/embedding/core/modelStore';
import type { ModelSource } from '../../src/embedding/core/modelStore';
import { storedFunction } from '../../src/embedding/core/resolve';
import { DemoVectorsServer } from './demoVectors';
import { demoEmbedding, sampleCollections } from './sampleData';
import type { SampleCollection } from './sampleData';

/** The demo-vectors server's port: stored in the collections' configuration, so the same on every run. */
export const DEMO_VECTORS_PORT = 8111;
export const TRUSTED_HOSTS = 'chroma.embedding.trustedHosts';
const BATCH = 256;

export interface DemoEmbedding {
  mode: 'default' | 'demo-vectors';
  /** What the collections store as their embedding function. */
  stored: EmbeddingFunctionConfig & { name: string; config: Record<string, unknown> };
  /** For the collections' metadata. */
  description: string;
  embed(texts: string[]): Promise<number[][]>;
  /** demo-vectors: the server a query's text goes to; it must run while the collections are queried. */
  server?: DemoVectorsServer;
}

export interface DemoOptions {
  /** Where the default model comes from and is cached: Chroma's bucket and ~/.cache/chroma/… unless given. */
  model?: Partial<ModelSource>;
  /** The demo-vectors server's port (DEMO_VECTORS_PORT; another free one, said, when it is taken). */
  vectorsPort?: number;
  /** A download that receives nothing for this long is given up (30 s). */
  stallMs?: number;
  /** paging-demo's size (2,500). */
  largeRecords?: number;
  /** One-line messages. */
  say?: (line: string) => void;
  /** Progress of a download or an embedding run (a line that replaces the one before). */
  progress?: (line: string) => void;
}

export type SeedAction = 'created' | 'recreated' | 'reconfigured' | 'filled' | 'unchanged';

export interface SeedResult {
  /** `name`, or `database/name` outside the default database. */
  collection: string;
  action: SeedAction;
  /** Records embedded and written in this run. */
  embedded: number;
}

const mib = (n: number) => (n / 1048576).toFixed(1);

/** Downloads the model unless cached; gives up when nothing arrives for `stallMs`. */
async function fetchModel(source: ModelSource, opts: DemoOptions): Promise<void> {
  if (isModelCached(source.dir)) {
    return;
  }
  const stallMs = opts.stallMs ?? 30_000;
  let started = false;
  const ac = new AbortController();
  let stalled = false;
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      stalled = true;
      ac.abort();
    }, stallMs);
  };
  arm();
  try {
    await ensureModel(source, {
      signal: ac.signal,
      onProgress: ({ received, total }) => {
        arm();
        if (!started) {
          // Said once the model is on its way: offline, the only line is the one that says it is not available.
          started = true;
          opts.say?.(`demo: downloading Chroma's default embedding model (${DEFAULT_MODEL.name}${total ? `, ${mib(total)} MiB` : ''}) into ${source.dir}, once`);
        }
        opts.progress?.(`demo: downloading ${DEFAULT_MODEL.name}: ${mib(received)}${total ? ` of ${mib(total)}` : ''} MiB`);
      },
    });
  } catch (e) {
    throw stalled ? new Error(`nothing arrived from ${new URL(source.url).host} for ${stallMs / 1000} s`) : e;
  } finally {
    clearTimeout(timer);
  }
}

async function startVectors(port: number, say?: (line: string) => void): Promise<DemoVectorsServer> {
  try {
    return await DemoVectorsServer.start(port);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE' || port === 0) {
      throw e;
    }
    const server = await DemoVectorsServer.start(0);
    say?.(`demo: port ${port} is taken: the demo vectors are served on port ${server.port} instead, and the collections point there`);
    return server;
  }
}

/** The first sentence of an error, for a one-line message. */
function reasonOf(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  return message.split(/\.(\s|$)/)[0];
}

/** Chroma's default function when its model can be had, else the demo vectors and their server. */
export async function demoEmbeddingFunction(opts: DemoOptions = {}): Promise<DemoEmbedding> {
  const source: ModelSource = { url: opts.model?.url ?? DEFAULT_MODEL.url, sha256: opts.model?.sha256 ?? DEFAULT_MODEL.sha256, dir: opts.model?.dir ?? defaultCacheDir() };
  try {
    await fetchModel(source, opts);
    const fn = createDefaultEmbeddingFunction({ source });
    await fn.embed(['the model loads']); // a runtime that cannot load falls back too
    return {
      mode: 'default',
      stored: { type: 'known', name: 'default', config: {} },
      description: `Chroma's default embedding function (${DEFAULT_MODEL.name})`,
      embed: (texts) => fn.embed(texts),
    };
  } catch (e) {
    const server = await startVectors(opts.vectorsPort ?? DEMO_VECTORS_PORT, opts.say);
    opts.say?.(
      `demo: Chroma's default embedding model is not available (${reasonOf(e)}); the sample collections use demo vectors instead (a hashed bag of words), which this script serves for queries at ${server.url}`,
    );
    return {
      mode: 'demo-vectors',
      stored: { type: 'known', name: 'huggingface_server', config: { url: server.url } },
      description: `demo vectors: a hashed bag of words, 384-d, served by npm run demo at ${server.url}`,
      embed: (texts) => Promise.resolve(texts.map((t) => demoEmbedding(t))),
      server,
    };
  }
}

async function findCollection(client: ChromaClient, name: string, scope?: Scope): Promise<Collection | undefined> {
  try {
    return await client.getCollection(name, { scope });
  } catch (e) {
    if (e instanceof ChromaNotFoundError) {
      return undefined;
    }
    throw e;
  }
}

async function ensureDatabase(client: ChromaClient, tenant: string, database: string): Promise<void> {
  try {
    await client.getDatabase(database, { tenant });
  } catch (e) {
    if (!(e instanceof ChromaNotFoundError)) {
      throw e;
    }
    await client.createDatabase(database, { tenant });
  }
}

/** Makes one sample collection hold its records, embedded with `embedding` and storing it. */
async function seedOne(client: ChromaClient, tenant: string, sample: SampleCollection, embedding: DemoEmbedding, dim: number, opts: DemoOptions): Promise<SeedResult> {
  const scope = sample.database ? { tenant, database: sample.database } : undefined;
  const label = sample.database ? `${sample.database}/${sample.name}` : sample.name;
  if (sample.database) {
    await ensureDatabase(client, tenant, sample.database);
  }
  const metadata = { ...sample.metadata, embedder: embedding.description };
  const configuration = { embedding_function: embedding.stored };
  let col = await findCollection(client, sample.name, scope);
  let action: SeedAction = 'unchanged';
  const stored = col && storedFunction(col);
  if (col && (stored?.name !== embedding.stored.name || (col.dimension != null && col.dimension !== dim))) {
    // Embedded another way (or with no function stored): its vectors do not match what a query makes.
    await client.deleteCollection(sample.name, { scope });
    col = undefined;
    action = 'recreated';
  }
  if (!col) {
    col = await client.createCollection({ name: sample.name, metadata, configuration }, { scope });
    action = action === 'recreated' ? action : 'created';
  } else if (!isDeepStrictEqual(stored?.config ?? {}, embedding.stored.config)) {
    // The same vectors, served elsewhere (the demo-vectors port moved): only the configuration changes.
    await client.modifyCollection(col, { metadata, configuration });
    action = 'reconfigured';
  }
  const present = new Set(sample.ids.length ? (await client.get(col, { ids: sample.ids, include: [] })).ids : []);
  const missing = sample.ids.flatMap((id, i) => (present.has(id) ? [] : [i]));
  for (let i = 0; i < missing.length; i += BATCH) {
    const at = missing.slice(i, i + BATCH);
    const documents = at.map((j) => sample.documents[j]);
    const embeddings = await embedding.embed(documents);
    await client.upsert(col, { ids: at.map((j) => sample.ids[j]), embeddings, documents, metadatas: at.map((j) => sample.metadatas[j]) });
    opts.progress?.(`demo: embedding ${label}: ${Math.min(i + BATCH, missing.length)} of ${missing.length} records`);
  }
  return { collection: label, action: missing.length > 0 && action === 'unchanged' ? 'filled' : action, embedded: missing.length };
}

/** Makes every sample collection hold its records, embedded with `embedding` and storing it. */
export async function seedDemo(client: ChromaClient, embedding: DemoEmbedding, opts: DemoOptions = {}): Promise<SeedResult[]> {
  const { tenant } = await client.scope();
  const dim = (await embedding.embed(['dimension']))[0].length;
  const out: SeedResult[] = [];
  for (const sample of sampleCollections({ largeRecords: opts.largeRecords })) {
    out.push(await seedOne(client, tenant, sample, embedding, dim, opts));
  }
  return out;
}

/** The demo's data: the embedding function (model or demo vectors), then the collections. */
export async function prepareDemo(client: ChromaClient, opts: DemoOptions = {}): Promise<{ embedding: DemoEmbedding; collections: SeedResult[] }> {
  const embedding = await demoEmbeddingFunction(opts);
  try {
    return { embedding, collections: await seedDemo(client, embedding, opts) };
  } catch (e) {
    await embedding.server?.stop();
    throw e;
  }
}

/** One line per collection that changed, for the demo's output. */
export function describeSeed(results: readonly SeedResult[]): string[] {
  const what: Record<SeedAction, string> = {
    created: 'created',
    recreated: 'made again (it was embedded another way)',
    reconfigured: 'pointed at the demo vectors server',
    filled: 'missing records added',
    unchanged: '',
  };
  return results.filter((r) => r.action !== 'unchanged').map((r) => `demo: ${r.collection}: ${what[r.action]}${r.embedded ? ` (${r.embedded} records embedded)` : ''}`);
}

/**
 * The Chroma part of the demo VS Code's own user settings, from what they hold now: a connection to the demo server
 * first (replacing an earlier demo connection), and the demo-vectors host among the trusted hosts when the demo
 * serves them, so that its queries ask nothing. Only ever written into the demo's own profile (.demo/vscode).
 */
export function demoChromaSettings(existing: Record<string, unknown>, opts: { chromaPort: number; trustedOrigin?: string }): Record<string, unknown> {
  const connection = { name: `demo (localhost:${opts.chromaPort})`, url: `http://localhost:${opts.chromaPort}` };
  const connections = Array.isArray(existing['chroma.connections']) ? (existing['chroma.connections'] as unknown[]) : [];
  const others = connections.filter((c) => !String((c as { name?: unknown } | null)?.name).startsWith('demo ('));
  const out: Record<string, unknown> = { 'chroma.connections': [connection, ...others] };
  const trusted = Array.isArray(existing[TRUSTED_HOSTS]) ? (existing[TRUSTED_HOSTS] as unknown[]) : [];
  if (opts.trustedOrigin && !trusted.includes(opts.trustedOrigin)) {
    out[TRUSTED_HOSTS] = [...trusted, opts.trustedOrigin];
  }
  return out;
}

/**
 * Lets a VS Code that runs with its own HOME (the demo's code-server) find the default model where Chroma caches it
 * (`dir`), with a link, instead of downloading it again. A model folder already there is left as it is.
 */
export function shareModelCache(home: string, dir = defaultCacheDir()): void {
  const link = join(home, '.cache', 'chroma', 'onnx_models', DEFAULT_MODEL.name);
  let present = false;
  try {
    lstatSync(link);
    present = true;
  } catch {
    // not there yet
  }
  if (present || !existsSync(dir)) {
    return;
  }
  mkdirSync(dirname(link), { recursive: true });
  symlinkSync(dir, link, 'junction');
}
