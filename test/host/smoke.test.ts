import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ServerProbe } from '../../src/chroma';
import { Commands } from '../../src/commands/ids';
import { ContextValues } from '../../src/explorer/contextValues';
import { useChromaServer } from '../support/fixtures';
import { activateExtension, manifest } from './support';

describe('smoke: the extension in a real VS Code', () => {
  const ctx = useChromaServer();

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

  it('every tree contextValue is matched by a package.json menu, and menus name no unknown contextValue', async () => {
    const ext = await activateExtension();
    const menus = manifest(ext).contributes.menus['view/item/context'];
    const whens = menus.map((m) => m.when ?? '');
    const values: string[] = Object.values(ContextValues);
    for (const value of values) {
      const used = whens.some((w) => {
        if (w.includes(`viewItem == ${value}`)) {
          return true;
        }
        const re = /viewItem =~ \/(.+?)\//.exec(w);
        return re !== null && new RegExp(re[1]).test(value);
      });
      assert.ok(used, `contextValue "${value}" is in no view/item/context menu`);
    }
    for (const w of whens) {
      const eq = /viewItem == (\w+)/.exec(w);
      if (eq) {
        assert.ok(values.includes(eq[1]), `menu names unknown contextValue "${eq[1]}"`);
      }
    }
  });

  it('tree-only commands are hidden from the palette; every menu command is declared', async () => {
    const ext = await activateExtension();
    const m = manifest(ext);
    const declared = new Set(m.contributes.commands.map((c) => c.command));
    for (const [menu, entries] of Object.entries(m.contributes.menus)) {
      for (const e of entries) {
        assert.ok(declared.has(e.command), `${menu} names undeclared ${e.command}`);
      }
    }
    const hidden = new Set(m.contributes.menus.commandPalette.filter((e) => e.when === 'false').map((e) => e.command));
    for (const treeOnly of [Commands.refreshNode, Commands.loadMore, Commands.openRecord, Commands.openInEditor, Commands.copyRecordId, Commands.copyCollectionId]) {
      assert.ok(hidden.has(treeOnly), `${treeOnly} shows in the palette`);
    }
  });

  it('"Check Server" reports version, batch limit and collections of a real server', async () => {
    const probe = await vscode.commands.executeCommand<ServerProbe>(Commands.checkServer, ctx.server.url);
    assert.ok(probe, 'the command returned nothing');
    assert.match(probe.version, /^\d+\.\d+\.\d+/);
    assert.ok(probe.preflight.max_batch_size > 0);
    assert.deepEqual(probe.scope, { tenant: 'default_tenant', database: 'default_database' });
  });

  it('"Check Server" on a stopped server fails with a message, not an exception', async () => {
    const { server } = ctx;
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
