import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ServerProbe } from '../../src/chroma';
import { Commands } from '../../src/commands/ids';
import { ChromaServer } from '../support/chromaServer';
import { activateExtension, manifest } from './support';

describe('smoke: the extension in a real VS Code', () => {
  let server: ChromaServer;
  before(async function () {
    this.timeout(120_000);
    server = await ChromaServer.start();
  });
  after(async () => {
    await server?.stop();
  });

  it('activates without error, and not on "*"', async () => {
    const ext = await activateExtension();
    assert.equal(ext.isActive, true);
    assert.ok(!(manifest(ext).activationEvents ?? []).includes('*'));
  });

  it('every command in package.json is registered, and every registered chroma.* command is declared', async () => {
    const ext = await activateExtension();
    const declared = manifest(ext).contributes.commands.map((c) => c.command).sort();
    const registered = (await vscode.commands.getCommands(true)).filter((c) => c.startsWith('chroma.')).sort();
    assert.deepEqual(registered, declared);
    assert.deepEqual([...Object.values(Commands)].sort(), declared);
  });

  it('every command has the Chroma category and no hand-written prefix', async () => {
    const ext = await activateExtension();
    for (const c of manifest(ext).contributes.commands) {
      assert.equal(c.category, 'Chroma', c.command);
      assert.doesNotMatch(c.title, /^Chroma:/, c.command);
    }
  });

  it('"Check Server" reports version, batch limit and collections of a real server', async () => {
    const probe = await vscode.commands.executeCommand<ServerProbe>(Commands.checkServer, server.url);
    assert.ok(probe, 'the command returned nothing');
    assert.match(probe.version, /^\d+\.\d+\.\d+/);
    assert.ok(probe.preflight.max_batch_size > 0);
    assert.deepEqual(probe.scope, { tenant: 'default_tenant', database: 'default_database' });
  });

  it('"Check Server" on a stopped server fails with a message, not an exception', async () => {
    const port = server.port;
    await server.pause();
    try {
      const probe = await vscode.commands.executeCommand<ServerProbe | undefined>(Commands.checkServer, `http://127.0.0.1:${port}`);
      assert.equal(probe, undefined);
    } finally {
      await server.restart();
    }
  });
});
