import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ConnectionConfig } from '../../src/common/connectionConfig';
import { Commands } from '../../src/commands/ids';
import { ChromaServer } from '../support/chromaServer';
import { QuickInputDriver } from './quickInputDriver';
import { activateApi, clearConnections } from './support';

describe('connections: the Add Connection wizard in real VS Code', () => {
  let server: ChromaServer;
  let driver: QuickInputDriver;
  before(async function () {
    this.timeout(120_000);
    server = await ChromaServer.start();
  });
  after(async () => {
    await server?.stop();
  });
  beforeEach(async () => {
    await clearConnections();
    driver = new QuickInputDriver();
  });
  afterEach(async () => {
    driver.dispose();
    await clearConnections();
  });

  it('URL, then Enter through the defaults: saved as host:port with no auth, after a successful check', async () => {
    const api = await activateApi();
    const done = vscode.commands.executeCommand<ConnectionConfig | undefined>(Commands.addConnection);
    const step1 = await driver.pick({ value: server.url });
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
