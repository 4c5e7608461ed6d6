/**
 * Run in the extension host of a VS Code where the linux-x64 VSIX was installed the way a user installs it
 * (scripts/test-vsix.mjs): the packaged extension activates from its install folder, and its bundled
 * onnxruntime-node embeds with the default function (the tiny test model, in the scratch HOME's Chroma cache)
 * for a query against a real Chroma server.
 */
import * as assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { ChromaClient } from '../../src/chroma';
import { defaultCacheDir } from '../../src/embedding/core/modelStore';
import type { ChromaExplorerApi } from '../../src/extension';
import type { QueryRun } from '../../src/query/core/spec';
import { ChromaServer, PROJECT_ROOT } from '../support/chromaServer';

const ID = 'chroma-explorer.chroma-explorer';

export async function run(): Promise<void> {
  if (!homedir().startsWith(tmpdir())) {
    throw new Error(`expected a scratch HOME, got ${homedir()}`);
  }
  const ext = vscode.extensions.getExtension<ChromaExplorerApi>(ID);
  assert.ok(ext, `${ID} is not installed`);
  assert.ok(!ext.extensionPath.startsWith(PROJECT_ROOT), `${ID} runs from ${ext.extensionPath}, not from the installed VSIX`);
  const api = await ext.activate();
  // The second bundle waits for the first command that needs it.
  const featuresLoaded = () => Object.keys(require.cache).some((f) => f.endsWith(join('dist', 'features.js')));
  assert.ok(!featuresLoaded(), 'activation loaded dist/features.js');
  assert.ok(api.lazyCommandIds.includes('chroma.queryCollection'), 'Query Collection… is not loaded on first use');
  mkdirSync(defaultCacheDir(), { recursive: true });
  const tar = await import('tar');
  await tar.x({ file: join(PROJECT_ROOT, 'test', 'fixtures', 'tiny-model', 'onnx.tar.gz'), cwd: defaultCacheDir() });

  const server = await ChromaServer.start();
  try {
    const client = new ChromaClient({ url: server.url });
    await client.createCollection({ name: 'packaged', configuration: { embedding_function: { type: 'known', name: 'default', config: {} } } });
    await api.store.save({ name: 'vsix', url: server.url }, { secret: null });
    // the packaged extension adds a document (embedding it with its own onnxruntime-node) and queries it
    const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: '# Packaged\n\nChroma stores embeddings next to documents.\n' });
    await vscode.window.showTextDocument(doc);
    const added = await vscode.commands.executeCommand<{ counts: { written: number } }>('chroma.addActiveFile', { connection: 'vsix', collection: 'packaged' });
    assert.ok(added && added.counts.written > 0, 'the packaged extension wrote nothing');
    const result = await vscode.commands.executeCommand<QueryRun>('chroma.queryCollection', { connection: 'vsix', collection: 'packaged' }, 'where are embeddings stored?');
    assert.ok(result && result.hits.length > 0, 'the query found nothing');
    assert.ok(featuresLoaded(), 'Query Collection… ran without loading dist/features.js');
    console.log(`vsix: installed at ${ext.extensionPath}; added ${added.counts.written} record(s) and queried them with the packaged onnxruntime-node`);
    console.log('vsix: 1 passed, 0 failed');
  } finally {
    await api.store.remove('vsix');
    await server.stop();
  }
}
