import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ChromaClient } from '../../../../src/chroma';
import { LocalServers } from '../../../../src/local/core/localServers';
import type { RunningServer, ServerStatus } from '../../../../src/local/core/localServers';
import { ServerRegistry, folderKey } from '../../../../src/local/core/serverRegistry';
import { ChromaProcess } from '../../../../src/local/core/serverProcess';
import { freePort } from '../../../../src/local/core/ports';
import { serverKindFromEnv } from '../../../support/chromaServer';
import { PROJECT_ROOT, processesServing, roundTrip, serverCommandUnderTest, until, useTempDir } from './support';

describe(`LocalServers: one server per folder, watched (real chroma run, ${serverKindFromEnv()})`, function () {
  this.timeout(120_000);
  const temp = useTempDir();
  const toDispose: LocalServers[] = [];
  afterEach(async () => {
    await Promise.all(toDispose.splice(0).map((s) => s.dispose()));
  });
  function servers(storageDir = temp()): LocalServers {
    const s = new LocalServers({ storageDir, attachedPollMs: 100, stopGraceMs: 3000 });
    toDispose.push(s);
    return s;
  }

  it('a crash shows as stopped unexpectedly with its signal and last line, is not restarted on its own, and Restart works', async () => {
    const folder = join(temp(), 'chroma');
    const s = servers();
    const states: string[] = [];
    s.onDidChange((e) => states.push(e.status.state));
    const first = await s.start(folder, { command: await serverCommandUnderTest(folder), label: './chroma' });
    assert.equal(first.owned, true);
    await roundTrip(first.url, 'before-crash');
    const crashed = new Promise<ServerStatus>((r) => s.onDidChange((e) => e.status.state === 'stopped-unexpectedly' && r(e.status)));
    process.kill(first.pid, 'SIGKILL');
    const status = await crashed;
    assert.equal(status.state === 'stopped-unexpectedly' && status.signal, 'SIGKILL');
    assert.ok(status.state === 'stopped-unexpectedly' && status.lastLine);
    assert.equal(await s.findRunning(folder), undefined, 'its state file is gone');
    assert.deepEqual(await processesServing(await folderKey(folder)), [], 'nothing started it again');
    assert.equal(s.status(await folderKey(folder)).state, 'stopped-unexpectedly');
    const again = await s.restart(folder);
    assert.notEqual(again.pid, first.pid);
    const names = (await new ChromaClient({ url: again.url }).listCollections()).map((c) => c.name);
    assert.deepEqual(names, ['before-crash'], 'the data survived the crash');
    await s.stop(folder);
    assert.deepEqual(states, ['starting', 'running', 'stopped-unexpectedly', 'starting', 'running', 'not-running']);
  });

  it('two windows: the second finds the first one\'s server and starts none; its Stop is a requested stop for the first', async () => {
    const storage = temp();
    const folder = await folderKey(temp());
    const command = await serverCommandUnderTest(folder);
    const window1 = spawn(process.execPath, [join(PROJECT_ROOT, 'out', 'test', 'unit', 'local', 'core', 'windowProcess.js'), storage, folder, JSON.stringify(command)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      let out = '';
      window1.stdout.on('data', (d: Buffer) => (out += d.toString()));
      await until('window 1 started its server', () => out.includes('ready '), 90_000);
      const theirs = JSON.parse(/ready (.*)/.exec(out)?.[1] ?? '{}') as RunningServer;
      assert.equal(theirs.owned, true);

      const window2 = servers(storage);
      const found = await window2.start(folder, { command });
      assert.equal(found.owned, false);
      assert.equal(found.port, theirs.port);
      assert.equal(found.pid, theirs.pid);
      assert.deepEqual(await processesServing(folder), [theirs.pid], 'one server for the folder');
      const state = await new ServerRegistry(join(storage, 'servers')).read(folder);
      assert.equal(state?.port, theirs.port);
      assert.equal(state?.command?.includes(folder), true, 'the state names what was run');
      assert.equal(typeof state?.watchdogPid, 'number');
      await roundTrip(found.url, 'shared');

      await window2.stop(folder);
      await until('window 1 sees its server stopped', () => out.includes('status not-running'));
      assert.ok(!out.includes('stopped-unexpectedly'), out);
      assert.deepEqual(await processesServing(folder), []);
      assert.equal(window2.status(folder).state, 'not-running');
    } finally {
      window1.kill('SIGKILL');
    }
  });

  it("a window sees another window's server go away", async () => {
    const storage = temp();
    const folder = await folderKey(temp());
    const command = await serverCommandUnderTest(folder);
    const window1 = spawn(process.execPath, [join(PROJECT_ROOT, 'out', 'test', 'unit', 'local', 'core', 'windowProcess.js'), storage, folder, JSON.stringify(command)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    window1.stdout.on('data', (d: Buffer) => (out += d.toString()));
    await until('window 1 started its server', () => out.includes('ready '), 90_000);
    const window2 = servers(storage);
    const found = await window2.findRunning(folder);
    assert.equal(found?.owned, false);
    const gone = new Promise<string>((r) => window2.onDidChange((e) => r(e.status.state)));
    window1.kill('SIGKILL'); // the window dies: its watchdog stops the server, the state file stays behind
    assert.equal(await gone, 'stopped-unexpectedly');
    await until('no process serves the folder', async () => (await processesServing(folder)).length === 0);
  });

  it('state files: stale ones (dead PID, no heartbeat, another folder in the command line) are removed; writes are atomic', async () => {
    const registry = new ServerRegistry(temp());
    const folder = await folderKey(temp());
    const dead = spawn(process.execPath, ['-e', '0']);
    await new Promise((r) => dead.once('exit', r));
    const base = { folder, port: await freePort(), ownerPid: process.pid, description: 'x', startedAt: new Date().toISOString() };
    await registry.write({ ...base, pid: dead.pid as number });
    assert.equal((await registry.read(folder))?.pid, dead.pid);
    assert.equal(await registry.findLive(folder), undefined, 'dead PID');
    assert.equal(await registry.read(folder), undefined, 'removed');

    await registry.write({ ...base, pid: process.pid });
    assert.equal(await registry.findLive(folder), undefined, 'alive PID, but not serving that folder');

    const other = join(temp(), 'other');
    const proc = await ChromaProcess.start({ folder: other, command: await serverCommandUnderTest(other) });
    try {
      await registry.write({ ...base, pid: proc.pid as number, port: proc.port });
      assert.equal(await registry.findLive(folder), undefined, 'its heartbeat answers, but its command line names another folder');
      await registry.write({ ...base, folder: other, pid: proc.pid as number, port: proc.port });
      assert.equal((await registry.findLive(other))?.port, proc.port);
      assert.deepEqual(readdirSync(registry.dir).filter((n) => n.endsWith('.tmp')), []);
    } finally {
      await proc.stop();
    }
  });

  it('two starts at once in one window share one server', async () => {
    const folder = join(temp(), 'chroma');
    const s = servers();
    const command = await serverCommandUnderTest(folder);
    const [a, b] = await Promise.all([s.start(folder, { command }), s.start(folder, { command })]);
    assert.equal(a.pid, b.pid);
    assert.deepEqual(await processesServing(await folderKey(folder)), [a.pid]);
  });
});
