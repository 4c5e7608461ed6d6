/**
 * Local Chroma benchmark (`npm run bench:local`): from "open this data folder" to the first page of collections
 * through the local core (resolve the Chroma, start it with its watchdog, wait for the heartbeat, list collections),
 * against `chroma run` alone, the same command on the same folder, to its first heartbeat (polled every 10 ms).
 * Median of 5 rounds each, alternating which goes first, after one uncounted warm-up of each. Also the memory of
 * this process (standing in for the extension host) with no server and while one runs, after a GC.
 * Servers: Chroma 1.0.0 (the project's node_modules/.bin/chroma), then the newest (through its loader), each named
 * as the setting `chroma.local.serverCommand` would name it; `CHROMA_EXPLORER_SERVER=1.0.0` or `=newest` runs only that one.
 * Last line per server: `ratio ours/raw=X.XX (goal ≤ 1.2) hostMemory=+N.N MiB (goal ≤ 5) on Chroma KIND`.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChromaClient } from '../src/chroma';
import { launchSpec } from '../src/local/core/launch';
import { LocalServers } from '../src/local/core/localServers';
import { freePort } from '../src/local/core/ports';
import { resolveServerCommand } from '../src/local/core/resolveServer';
import type { ResolveOptions } from '../src/local/core/resolveServer';
import { ChromaServer, PROJECT_ROOT, describeServer } from '../test/support/chromaServer';
import type { ChromaServerKind } from '../test/support/chromaServer';
import { newestSetting } from '../test/unit/local/core/support';
import { median } from './support';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const COLLECTIONS = 30;

function mib(bytes: number): number {
  return bytes / 1024 / 1024;
}

function hostMemory(): { heap: number; rss: number } {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  return { heap: mib(m.heapUsed), rss: mib(m.rss) };
}

/** `chroma run` alone: spawn, poll the heartbeat every 10 ms, stop. */
async function raw(resolveOpts: ResolveOptions): Promise<number> {
  const t = performance.now();
  const { chosen } = await resolveServerCommand(resolveOpts);
  if (!chosen) {
    throw new Error('no chroma');
  }
  const port = await freePort();
  const spec = launchSpec(chosen, resolveOpts.dataFolder, port);
  const child = spawn(spec.command, spec.args, { env: spec.env, stdio: 'ignore' });
  const exited = new Promise((r) => child.once('exit', r));
  const client = new ChromaClient({ url: `http://127.0.0.1:${port}`, retries: 0 });
  for (;;) {
    try {
      await client.heartbeat({ timeoutMs: 2000, retries: 0 });
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 10));
    }
  }
  const ms = performance.now() - t;
  child.kill('SIGINT');
  const kill = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(kill);
  return ms;
}

/** Ours: resolve, start through LocalServers, first page of collections. */
async function ours(servers: LocalServers, resolveOpts: ResolveOptions): Promise<number> {
  const t = performance.now();
  const { chosen } = await resolveServerCommand(resolveOpts);
  if (!chosen) {
    throw new Error('no chroma');
  }
  const server = await servers.start(resolveOpts.dataFolder, { command: chosen });
  const page = await new ChromaClient({ url: server.url }).listCollections({ limit: 100 });
  const ms = performance.now() - t;
  if (page.length !== COLLECTIONS) {
    throw new Error(`listed ${page.length} collections, not ${COLLECTIONS}`);
  }
  await servers.stop(resolveOpts.dataFolder);
  return ms;
}

async function benchKind(kind: ChromaServerKind): Promise<void> {
  const ws = mkdtempSync(join(tmpdir(), 'chroma-bench-local-'));
  const folder = join(ws, 'chroma');
  const seed = await ChromaServer.start({ path: folder, kind });
  const seeding = new ChromaClient({ url: seed.url });
  for (let i = 0; i < COLLECTIONS; i++) {
    await seeding.createCollection({ name: `collection-${String(i).padStart(2, '0')}` });
  }
  await seed.stop();
  // 1.0.0: the project's node_modules/.bin/chroma; newest: its loader command line. Both as the setting names them.
  const resolveOpts: ResolveOptions =
    kind === 'newest'
      ? { dataFolder: folder, workspaceFolders: [ws], setting: newestSetting() }
      : { dataFolder: folder, workspaceFolders: [ws], setting: join(PROJECT_ROOT, 'node_modules', '.bin', 'chroma') };
  const servers = new LocalServers({ storageDir: join(ws, 'storage'), stopGraceMs: 3000 });
  try {
    await raw(resolveOpts);
    await ours(servers, resolveOpts);
    const rawMs: number[] = [];
    const oursMs: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      if (round % 2 === 0) {
        rawMs.push(await raw(resolveOpts));
        oursMs.push(await ours(servers, resolveOpts));
      } else {
        oursMs.push(await ours(servers, resolveOpts));
        rawMs.push(await raw(resolveOpts));
      }
    }
    const idle = hostMemory();
    const { chosen } = await resolveServerCommand(resolveOpts);
    const server = await servers.start(folder, { command: chosen ?? (undefined as never) });
    await new ChromaClient({ url: server.url }).listCollections({ limit: 100 });
    const running = hostMemory();
    await servers.stop(folder);
    const r = median(oursMs) / median(rawMs);
    const fmt = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(', ');
    console.log(`  ${describeServer(kind)}, ${COLLECTIONS} collections, ${ROUNDS} rounds`);
    console.log(`  chroma run alone to first heartbeat     median ${median(rawMs).toFixed(0)} ms   (${fmt(rawMs)})`);
    console.log(`  ours: resolve, start, first page        median ${median(oursMs).toFixed(0)} ms   (${fmt(oursMs)})`);
    console.log(`  host heap ${idle.heap.toFixed(1)} → ${running.heap.toFixed(1)} MiB, RSS ${idle.rss.toFixed(1)} → ${running.rss.toFixed(1)} MiB while a server runs`);
    console.log(
      `ratio ours/raw=${r.toFixed(2)} (goal ≤ 1.2) hostMemory=${(running.rss - idle.rss >= 0 ? '+' : '') + (running.rss - idle.rss).toFixed(1)} MiB RSS, ` +
        `${(running.heap - idle.heap >= 0 ? '+' : '') + (running.heap - idle.heap).toFixed(1)} MiB heap (goal ≤ 5) on Chroma ${kind}`,
    );
  } finally {
    await servers.dispose();
    rmSync(ws, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const only = process.env.CHROMA_EXPLORER_SERVER;
  const kinds: ChromaServerKind[] = only === '1.0.0' || only === 'newest' ? [only] : ['1.0.0', 'newest'];
  for (const kind of kinds) {
    await benchKind(kind);
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
