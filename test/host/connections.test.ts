import * as assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ConnectionConfig } from '../../src/connections/core/connectionConfig';
import { CREDENTIALS_IN_URL } from '../../src/connections/core/connectionConfig';
import { TestProxy } from '../support/proxy';
import { Commands } from '../../src/platform/commandIds';
import { useChromaServer } from '../support/fixtures';
import { activateApi, answerModals, clearConnections, useQuickInputs } from './support';

describe('connections: the Add Connection wizard in real VS Code', () => {
  const ctx = useChromaServer();
  const input = useQuickInputs();

  it('URL, then Enter through the defaults: saved as host:port with no auth, after a successful check', async () => {
    const { server } = ctx;
    const { driver } = input;
    const api = await activateApi();
    const done = vscode.commands.executeCommand<ConnectionConfig | undefined>(Commands.addConnection);
    const step1 = await driver.pick({ value: server.url, itemsFollowValue: true });
    assert.match(step1.labels[0], new RegExp(`Connect to ${server.url.replace(/\./g, '\\.')}`));
    assert.ok(step1.labels.some((l) => /Chroma Cloud/.test(l)));
    const name = await driver.input();
    assert.equal(name.value, `127.0.0.1:${server.port}`);
    const auth = await driver.pick();
    assert.equal(auth.labels[0], 'No authentication');
    const conn = await done;
    assert.deepEqual(conn, { name: `127.0.0.1:${server.port}`, url: server.url });
    assert.deepEqual(api.store.list(), [conn]);
    const inspected = vscode.workspace.getConfiguration().inspect('chroma.connections');
    assert.deepEqual(inspected?.globalValue, [conn]);
    assert.equal(inspected?.workspaceValue, undefined);
  });
});

describe('connections: credentials in URLs are refused everywhere a URL comes in', () => {
  const ctx = useChromaServer();
  const input = useQuickInputs();
  const PASSWORD = 'pw-9c41-never-shown';

  it('the wizard\'s URL step refuses user:password@host, says to use basic auth, and never shows the password', async () => {
    const { driver } = input;
    const done = vscode.commands.executeCommand<ConnectionConfig | undefined>(Commands.addConnection);
    const pick = (await driver.next()) as vscode.QuickPick<vscode.QuickPickItem>;
    // The workbench echoes each value back, the prefilled one too (which may come after this one is set): wait for
    // the echo of this value. The step's own listener, registered first, has refreshed the items when this one runs.
    const url = `http://alice:${PASSWORD}@127.0.0.1:${ctx.server.port}`;
    const changed = new Promise<void>((resolve) => {
      const sub = pick.onDidChangeValue((v) => v === url && (sub.dispose(), resolve()));
    });
    pick.value = url;
    await changed;
    const typed = pick.items[0];
    assert.match(typed.label, /Type a server URL/);
    assert.equal(typed.detail, CREDENTIALS_IN_URL);
    assert.ok(!JSON.stringify(pick.items).includes(PASSWORD), 'the password is shown nowhere in the step');
    pick.hide();
    assert.equal(await done, undefined);
    assert.deepEqual((await activateApi()).store.list(), []);
  });

  it('settings and saves with credentials in the URL are refused; Check Server sends nothing', async () => {
    const api = await activateApi();
    await vscode.workspace
      .getConfiguration()
      .update('chroma.connections', [{ name: 'creds', url: `http://alice:${PASSWORD}@127.0.0.1:${ctx.server.port}` }], vscode.ConfigurationTarget.Global);
    assert.deepEqual(api.store.list(), [], 'a connection read from settings with credentials is dropped');
    await assert.rejects(api.store.save({ name: 'creds2', url: `http://bob:${PASSWORD}@127.0.0.1:9` }, { secret: null }), (e: Error) => {
      assert.equal(e.message, CREDENTIALS_IN_URL);
      return true;
    });
    const proxy = await TestProxy.start(ctx.server.url);
    try {
      const url = new URL(proxy.url);
      url.username = 'alice';
      url.password = PASSWORD;
      assert.equal(await vscode.commands.executeCommand(Commands.checkServer, url.toString()), undefined);
      assert.equal(proxy.seen.length, 0, 'no request left with the credentials');
      // the same server without them is checked
      assert.ok(await vscode.commands.executeCommand(Commands.checkServer, proxy.url));
    } finally {
      await proxy.stop();
    }
  });
});

describe('connections: Chroma CLI profiles and localhost', () => {
  beforeEach(clearConnections);
  afterEach(clearConnections);

  it('imports Chroma CLI profiles from ~/.chroma/credentials, API keys into secret storage', async () => {
    const api = await activateApi();
    assert.ok(homedir().startsWith(tmpdir()), `the runners give the extension host a scratch HOME; got ${homedir()}`);
    mkdirSync(join(homedir(), '.chroma'), { recursive: true });
    writeFileSync(
      join(homedir(), '.chroma', 'credentials'),
      '[default]\napi_key = "ck-cli-default"\ntenant_id = "9f1c-tenant"\n\n[work]\napi_key = "ck-cli-work"\n',
    );
    assert.equal(await vscode.commands.executeCommand(Commands.importCliProfiles), 2);
    const imported = api.store.get('Chroma Cloud (default)');
    assert.deepEqual(imported, { name: 'Chroma Cloud (default)', url: 'https://api.trychroma.com', authHeader: 'x-chroma-token', tenant: '9f1c-tenant' });
    assert.equal(await api.store.getSecret(imported), 'ck-cli-default');
    assert.equal(await api.store.getSecret(api.store.get('Chroma Cloud (work)')!), 'ck-cli-work');
    assert.ok(!JSON.stringify(vscode.workspace.getConfiguration().inspect('chroma.connections')).includes('ck-cli'));
    assert.equal(await vscode.commands.executeCommand(Commands.importCliProfiles), 0, 'a second import adds nothing');
  });

  it('a renamed connection keeps its token; a changed host drops it', async () => {
    const api = await activateApi();
    await api.store.save({ name: 'a', url: 'http://127.0.0.1:9', authHeader: 'x-chroma-token' }, { secret: 'tok-a' });
    await api.store.save({ name: 'b', url: 'http://127.0.0.1:9', authHeader: 'x-chroma-token' }, { previousName: 'a' });
    assert.equal(await api.store.getSecret(api.store.get('b')!), 'tok-a');
    await api.store.save({ name: 'b', url: 'http://other.invalid:9', authHeader: 'x-chroma-token' }, { previousName: 'b' });
    assert.equal(await api.store.getSecret(api.store.get('b')!), undefined);
    assert.equal(await api.store.getSecret({ name: 'b', url: 'http://127.0.0.1:9' }), undefined);
  });

  it('"Connect to localhost:8000" adds it in one click', async () => {
    const api = await activateApi();
    await vscode.commands.executeCommand(Commands.connectLocalhost);
    assert.deepEqual(api.store.list(), [{ name: 'localhost:8000', url: 'http://localhost:8000' }]);
  });

  it('removing asks first (modal) and keeps the connection when not confirmed', async () => {
    const api = await activateApi();
    await api.store.save({ name: 'keep-me', url: 'http://127.0.0.1:9' }, { secret: null });
    const modal = answerModals(undefined);
    try {
      assert.equal(await vscode.commands.executeCommand(Commands.removeConnection, undefined), false);
    } finally {
      modal.dispose();
    }
    assert.match(modal.asked[0], /Remove the connection "keep-me".*modal=true/);
    assert.ok(api.store.get('keep-me'));
  });

  it('removing, confirmed, forgets the connection and deletes its token from secret storage', async () => {
    const api = await activateApi();
    await api.store.save({ name: 'drop-me', url: 'http://127.0.0.1:9', authHeader: 'x-chroma-token' }, { secret: 'tok-drop' });
    const conn = api.store.get('drop-me')!;
    assert.equal(await api.store.getSecret(conn), 'tok-drop');
    const modal = answerModals('Remove');
    try {
      assert.equal(await vscode.commands.executeCommand(Commands.removeConnection, undefined), true, 'the only connection is the one removed');
    } finally {
      modal.dispose();
    }
    assert.equal(modal.asked.length, 1);
    assert.match(modal.asked[0], /Remove the connection "drop-me" \(http:\/\/127\.0\.0\.1:9\)\?.*modal=true/);
    assert.equal(api.store.get('drop-me'), undefined);
    assert.equal(await api.store.getSecret(conn), undefined, 'the token outlived its connection');
    assert.ok(!JSON.stringify(vscode.workspace.getConfiguration().inspect('chroma.connections')).includes('drop-me'));
  });
});
