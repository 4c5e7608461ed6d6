import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ServerProbe } from '../../src/chroma';
import { Commands } from '../../src/platform/commandIds';
import { ContextValues } from '../../src/explorer/contextValues';
import { SETTING_KEYS, setting } from '../../src/platform/settings';
import { useChromaServer } from '../support/fixtures';
import { HttpStub } from '../support/httpStub';
import { activateExtension, captureMessages, manifest } from './support';

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
    for (const treeOnly of [Commands.refreshNode, Commands.loadMore, Commands.openInEditor, Commands.statusMenu, Commands.turnOffTelemetry, Commands.addActiveEditorHere]) {
      assert.ok(hidden.has(treeOnly), `${treeOnly} shows in the palette`);
    }
  });

  it('the Get Started walkthrough: every step has an image that is packaged, and links a declared command', async () => {
    const ext = await activateExtension();
    const m = ext.packageJSON as {
      contributes: { commands: Array<{ command: string }>; walkthroughs: Array<{ steps: Array<{ id: string; description: string; media: { image: string } }> }> };
    };
    const declared = new Set(m.contributes.commands.map((c) => c.command));
    const steps = m.contributes.walkthroughs[0].steps;
    assert.deepEqual(steps.map((s) => s.id), ['connect', 'browse', 'add', 'query', 'telemetry']);
    for (const step of steps) {
      const image = vscode.Uri.joinPath(ext.extensionUri, step.media.image);
      const stat = await vscode.workspace.fs.stat(image);
      assert.ok(stat.size > 1000, `${step.media.image} is empty`);
      const links = [...step.description.matchAll(/\(command:([\w.]+)\)/g)].map((l) => l[1]);
      assert.ok(links.length > 0, `step ${step.id} links no command`);
      for (const id of links) {
        assert.ok(declared.has(id) || id.startsWith('workbench.'), `step ${step.id} links unknown ${id}`);
      }
    }
  });

  it('settings are declared once: the keys the code reads are exactly package.json\'s, each with a default', async () => {
    const ext = await activateExtension();
    const properties = (ext.packageJSON as { contributes: { configuration: { properties: Record<string, { default?: unknown; markdownDescription?: string; scope?: string }> } } })
      .contributes.configuration.properties;
    assert.deepEqual([...SETTING_KEYS].sort(), Object.keys(properties).sort());
    for (const key of SETTING_KEYS) {
      assert.ok('default' in properties[key], `${key} has no default`);
      assert.ok(properties[key].markdownDescription, `${key} has no markdownDescription`);
      assert.ok(properties[key].scope, `${key} has no scope`);
      // VS Code answers with the contributed default: the code holds no copy of it (other suites add connections)
      if (key !== 'chroma.connections') {
        assert.deepEqual(setting(key), properties[key].default, key);
      }
    }
  });

  it('a resource-scoped ingest setting is read per folder', async () => {
    const folder = vscode.workspace.workspaceFolders![0];
    const config = vscode.workspace.getConfiguration(undefined, folder.uri);
    await config.update('chroma.ingest.chunkSize', 321, vscode.ConfigurationTarget.WorkspaceFolder);
    try {
      assert.equal(setting('chroma.ingest.chunkSize', vscode.Uri.joinPath(folder.uri, 'notes.md')), 321);
    } finally {
      await config.update('chroma.ingest.chunkSize', undefined, vscode.ConfigurationTarget.WorkspaceFolder);
    }
  });

  it('"Check Server" reports version, batch limit and collections of a real server', async () => {
    const probe = await vscode.commands.executeCommand<ServerProbe>(Commands.checkServer, ctx.server.url);
    assert.ok(probe, 'the command returned nothing');
    assert.match(probe.version, /^\d+\.\d+\.\d+/);
    assert.ok(probe.preflight.max_batch_size > 0);
    assert.deepEqual(probe.scope, { tenant: 'default_tenant', database: 'default_database' });
  });

  it('a server\'s error text cannot put a command link into the error notification', async () => {
    const stub = await HttpStub.start(() => ({ status: 500, body: { error: 'InternalError', message: 'boom [Open a terminal](command:workbench.action.terminal.new)' } }));
    const messages = captureMessages();
    try {
      const probe = await vscode.commands.executeCommand<ServerProbe | undefined>(Commands.checkServer, stub.url);
      assert.equal(probe, undefined);
      assert.equal(messages.errors.length, 1);
      assert.match(messages.errors[0], /boom \[Open a terminal\] \(command:/);
      assert.doesNotMatch(messages.errors[0], /\]\(command:/);
    } finally {
      messages.dispose();
      await stub.stop();
    }
  });

  it('"Check Server" on a stopped server fails with a message, not an exception', async () => {
    const { server } = ctx;
    const port = server.port;
    await server.pause();
    const messages = captureMessages();
    try {
      const probe = await vscode.commands.executeCommand<ServerProbe | undefined>(Commands.checkServer, `http://127.0.0.1:${port}`);
      assert.equal(probe, undefined);
      // one error the user can act on: what failed, why, what to do; no stack, no "[object Object]"
      assert.equal(messages.errors.length, 1, messages.errors.join('\n'));
      const [error] = messages.errors;
      assert.match(error, new RegExp(`^Cannot reach Chroma at 127\\.0\\.0\\.1:${port}: .+\\. Check that the server is running and the URL is right\\.`));
      assert.doesNotMatch(error, /\bat \S+:\d+:\d+|\[object Object\]/);
    } finally {
      messages.dispose();
      await server.restart();
    }
  });
});
