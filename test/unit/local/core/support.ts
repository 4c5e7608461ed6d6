/**
 * Shared by the local-core suites: the server command under test (the project's npm Chroma 1.0.0, or the newest
 * through Debian 13's loader as a setting-style command line, by CHROMA_EXPLORER_SERVER), temp folders, the
 * processes serving a folder (read from /proc), and a small add/list/query round trip against a real server.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join, relative } from 'node:path';
import * as assert from 'node:assert/strict';
import { ChromaClient } from '../../../../src/chroma';
import { resolveServerCommand } from '../../../../src/local/core/resolveServer';
import type { ServerCommand } from '../../../../src/local/core/resolveServer';
import { PROJECT_ROOT, serverKindFromEnv } from '../../../support/chromaServer';

export { PROJECT_ROOT };

export const PROJECT_CLI = join(PROJECT_ROOT, 'node_modules', 'chromadb', 'dist', 'cli.mjs');

/** A temp folder removed after the enclosing describe. */
export function useTempDir(prefix = 'chroma-local-'): () => string {
  const dirs: string[] = [];
  after(() => {
    for (const d of dirs) {
      rmSync(d, { recursive: true, force: true });
    }
  });
  return () => {
    const d = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(d);
    return d;
  };
}

function newestDir(): string {
  const base = process.env.CHROMA_EXPLORER_TOOLS ?? join(process.env.HOME ?? '', '.cache', 'chroma-explorer-tools');
  const dir = join(base, 'chroma-newest');
  if (!existsSync(join(dir, '.installed'))) {
    throw new Error(`The newest Chroma is not installed in ${dir}: run bash scripts/setup.sh.`);
  }
  return dir;
}

function nodeOnPath(): string {
  const found = (process.env.PATH ?? '').split(delimiter).map((d) => join(d, 'node')).find((p) => existsSync(p));
  return found ?? process.execPath;
}

/** `chroma.local.serverCommand` that runs the newest server (its binding needs glibc 2.38+: Debian 13's loader). */
export function newestSetting(): string {
  const dir = newestDir();
  const q = (s: string) => `"${s}"`;
  return [
    q(join(dir, 'usr', 'lib64', 'ld-linux-x86-64.so.2')),
    '--library-path',
    q(join(dir, 'usr', 'lib', 'x86_64-linux-gnu')),
    q(nodeOnPath()),
    q(join(dir, 'node_modules', 'chromadb', 'dist', 'cli.mjs')),
  ].join(' ');
}

export const NEWEST_CLI = () => join(newestDir(), 'node_modules', 'chromadb', 'dist', 'cli.mjs');

/** The server these suites run: the project's npm Chroma 1.0.0, or the newest as the setting would name it. */
export async function serverCommandUnderTest(dataFolder: string): Promise<ServerCommand> {
  const kind = serverKindFromEnv();
  const r =
    kind === 'newest'
      ? await resolveServerCommand({ dataFolder, workspaceFolders: [], setting: newestSetting() })
      : await resolveServerCommand({ dataFolder, workspaceFolders: [PROJECT_ROOT], env: { PATH: '' } });
  assert.ok(r.chosen, `no server command: ${JSON.stringify(r)}`);
  return r.chosen;
}

/** Processes whose command line has `--path <folder>` (from /proc). */
export async function processesServing(folder: string): Promise<number[]> {
  const out: number[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) {
      continue;
    }
    try {
      const args = (await readFile(`/proc/${name}/cmdline`, 'utf8')).split('\0');
      const i = args.indexOf('--path');
      if (i >= 0 && args[i + 1] === folder) {
        out.push(Number(name));
      }
    } catch {
      // exited
    }
  }
  return out;
}

export { until } from '../../../support/until';

/** sha256 of every file under a folder, by relative path. */
export function hashTree(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) {
        walk(full);
      } else {
        out[relative(root, full)] = createHash('sha256').update(readFileSync(full)).digest('hex');
      }
    }
  };
  walk(root);
  return out;
}

/** Creates a collection, adds three records with embeddings, queries the nearest: what "add, query" means in the issue. */
export async function roundTrip(url: string, name: string): Promise<void> {
  const client = new ChromaClient({ url, timeoutMs: 20_000 });
  const col = await client.createCollection({ name });
  await client.add(col, { ids: ['a', 'b', 'c'], embeddings: [[1, 0, 0], [0, 1, 0], [0, 0, 1]], documents: ['one', 'two', 'three'] });
  const listed = (await client.listCollections()).map((c) => c.name);
  assert.ok(listed.includes(name), `listed: ${listed.join(', ')}`);
  const q = await client.query(col, { queryEmbeddings: [[0.9, 0.1, 0]], nResults: 2, include: ['documents', 'distances'] });
  assert.deepEqual(q.ids[0], ['a', 'b']);
  assert.equal(q.documents?.[0]?.[0], 'one');
}
